import { existsSync, readdirSync } from 'node:fs';
import { resolve } from 'node:path';
import type nunjucks from 'nunjucks';
import { templateEnvironment } from '../../infra/templates';

/**
 * The console's templates (Nunjucks, autoescape on: every value is escaped
 * unless a template says otherwise). One layout, `layout.njk`, for every page.
 * A capability's own console pages keep their templates beside them, in
 * `api/<capability>/templates/`, searched after the console's own.
 */
export const TEMPLATES_DIR = resolve(__dirname, 'templates');
export const ASSETS_DIR = resolve(__dirname, 'assets');
/** The capabilities whose console pages have templates of their own. */
export const CAPABILITY_TEMPLATE_DIRS = ['partnership', 'partners', 'resources', 'reviews', 'human-tasks', 'documents']
  .map((capability) => resolve(__dirname, '..', capability, 'templates'))
  .filter((dir) => existsSync(dir));

/**
 * The console's template environment. Template names are one namespace across
 * the folders: a name found twice would show whichever folder comes first, so
 * it is refused at start.
 */
export function consoleViews(): nunjucks.Environment {
  const dirs = [TEMPLATES_DIR, ...CAPABILITY_TEMPLATE_DIRS];
  const seen = new Map<string, string>();
  for (const dir of dirs) {
    for (const name of readdirSync(dir).filter((n) => n.endsWith('.njk'))) {
      const earlier = seen.get(name);
      if (earlier) throw new Error(`console template ${name} is in both ${earlier} and ${dir}; give one of them another name`);
      seen.set(name, dir);
    }
  }
  return templateEnvironment(dirs);
}

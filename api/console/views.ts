import { resolve } from 'node:path';
import nunjucks from 'nunjucks';

/**
 * The console's templates (Nunjucks, autoescape on: every value is escaped
 * unless a template says otherwise). One layout, `layout.njk`, for every page.
 */
export const TEMPLATES_DIR = resolve(__dirname, 'templates');
export const ASSETS_DIR = resolve(__dirname, 'assets');

export function consoleViews(): nunjucks.Environment {
  return new nunjucks.Environment(new nunjucks.FileSystemLoader(TEMPLATES_DIR, { noCache: process.env.NODE_ENV !== 'production' }), {
    autoescape: true,
    throwOnUndefined: false,
  });
}

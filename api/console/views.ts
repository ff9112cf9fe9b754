import { resolve } from 'node:path';
import type nunjucks from 'nunjucks';
import { templateEnvironment } from '../../infra/templates';

/**
 * The console's templates (Nunjucks, autoescape on: every value is escaped
 * unless a template says otherwise). One layout, `layout.njk`, for every page.
 */
export const TEMPLATES_DIR = resolve(__dirname, 'templates');
export const ASSETS_DIR = resolve(__dirname, 'assets');

export function consoleViews(): nunjucks.Environment {
  return templateEnvironment(TEMPLATES_DIR);
}

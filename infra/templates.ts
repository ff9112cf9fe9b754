import nunjucks from 'nunjucks';

/**
 * A Nunjucks environment over one folder of templates (the console's pages,
 * the link pages, emails), escaping every value unless a template says
 * otherwise. Templates are re-read on change outside production.
 */
export function templateEnvironment(dir: string): nunjucks.Environment {
  return new nunjucks.Environment(new nunjucks.FileSystemLoader(dir, { noCache: process.env.NODE_ENV !== 'production' }), {
    autoescape: true,
    throwOnUndefined: false,
  });
}

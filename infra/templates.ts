import nunjucks from 'nunjucks';
import { actorDisplay } from '../domain/actor';

/**
 * A Nunjucks environment over one folder of templates (or several, searched in order) (the console's pages,
 * the link pages, emails), escaping every value unless a template says
 * otherwise. Templates are re-read on change outside production.
 */
export function templateEnvironment(dir: string | string[]): nunjucks.Environment {
  const env = new nunjucks.Environment(new nunjucks.FileSystemLoader(dir, { noCache: process.env.NODE_ENV !== 'production' }), {
    autoescape: true,
    throwOnUndefined: false,
  });
  // `{{ by | actor }}`: who acted as a person reads it, "Mona Lind (mona@example.org)", never the audit's subject.
  env.addFilter('actor', (by: unknown) => (typeof by === 'string' ? actorDisplay(by) : by));
  return env;
}

import { readdirSync, readFileSync } from 'node:fs';
import { join, posix } from 'node:path';

/**
 * The domain layer stays plain: no Temporal SDK (its rules run in workflows,
 * the API and tests alike) and no import circles (each module can be read,
 * and tested, after the ones it names).
 */
const DOMAIN = join(__dirname, '../../domain');
/** Every module under domain/, capability folders included, keyed by its path without `.ts` (`partners/stakeholders`). */
const modules = new Map(
  readdirSync(DOMAIN, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [f.split('\\').join('/').replace(/\.ts$/, ''), readFileSync(join(DOMAIN, f), 'utf8')]),
);
const importsOf = (source: string) => [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

test('no domain module imports the Temporal SDK', () => {
  const offenders = [...modules].filter(([, src]) => importsOf(src).some((i) => i.startsWith('@temporalio/'))).map(([name]) => name);
  expect(offenders).toEqual([]);
});

test('domain modules import one another without a circle (type imports included)', () => {
  // A relative import resolved against the importing module's folder names another module's key.
  const within = (name: string, i: string) => posix.normalize(posix.join(posix.dirname(name), i));
  const edges = new Map([...modules].map(([name, src]) => [name, importsOf(src).filter((i) => i.startsWith('.')).map((i) => within(name, i)).filter((m) => modules.has(m))]));
  const circles: string[] = [];
  const visit = (name: string, path: string[]) => {
    for (const next of edges.get(name) ?? []) {
      if (path.includes(next)) circles.push([...path.slice(path.indexOf(next)), next].join(' → '));
      else visit(next, [...path, next]);
    }
  };
  for (const name of modules.keys()) visit(name, [name]);
  expect(circles).toEqual([]);
});

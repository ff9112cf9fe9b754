import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * The domain layer stays plain: no Temporal SDK (its rules run in workflows,
 * the API and tests alike) and no import circles (each module can be read,
 * and tested, after the ones it names).
 */
const DOMAIN = join(__dirname, '../../domain');
const modules = new Map(
  readdirSync(DOMAIN)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => [f.replace(/\.ts$/, ''), readFileSync(join(DOMAIN, f), 'utf8')]),
);
const importsOf = (source: string) => [...source.matchAll(/from '([^']+)'/g)].map((m) => m[1]!);

test('no domain module imports the Temporal SDK', () => {
  const offenders = [...modules].filter(([, src]) => importsOf(src).some((i) => i.startsWith('@temporalio/'))).map(([name]) => name);
  expect(offenders).toEqual([]);
});

test('domain modules import one another without a circle (type imports included)', () => {
  const edges = new Map([...modules].map(([name, src]) => [name, importsOf(src).filter((i) => i.startsWith('./')).map((i) => i.slice(2))]));
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

import { ALL_SEARCH_ATTRIBUTES, searchAttributeCliArgs } from '../../workflows/partnership/search-attributes';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { dynamicConfig, freeLowPort } from '../../scripts/cluster/temporal-config';
import { pinnedTemporalVersion } from '../../scripts/cluster/temporal-build';

/** What docker-compose.yml and `npm run cluster` must agree on, checked without starting either. */
const ROOT = join(__dirname, '../..');
const compose = readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8');

test('the dynamic config mounted by docker-compose.yml is the one npm run cluster writes', () => {
  expect(JSON.parse(readFileSync(join(ROOT, 'infra/temporal/dynamic-config.yaml'), 'utf8'))).toEqual(dynamicConfig(200, 1));
  expect(compose).toContain('./infra/temporal/dynamic-config.yaml:/etc/temporal/config/dynamicconfig/msp.yaml');
});

test('docker-compose.yml creates every search attribute of domain/names.ts, with its type', () => {
  const attrs = /attrs="([^"]+)"/.exec(compose)?.[1].split(' ').sort();
  const expected = searchAttributeCliArgs().filter((a) => a !== '--search-attribute').sort();
  expect(attrs).toEqual(expected);
  expect(expected).toHaveLength(ALL_SEARCH_ATTRIBUTES.length);
});

test('the cluster builds the server version docker-compose.yml pins, and admin-tools match it', () => {
  const version = pinnedTemporalVersion();
  expect(version).toMatch(/^\d+\.\d+\.\d+$/);
  for (const image of compose.matchAll(/temporalio\/admin-tools:(\S+)/g)) expect(image[1]).toBe(version);
});

test('membership ports are chosen below 32768 (PostgreSQL stores them in a smallint)', async () => {
  const taken = new Set<number>();
  for (let i = 0; i < 20; i++) expect(await freeLowPort(taken)).toBeLessThan(32768);
  expect(taken.size).toBe(20);
});

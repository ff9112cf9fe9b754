import { loadConfig } from '../../infra/config';

test('development defaults make the service start with no environment', () => {
  const c = loadConfig({});
  expect(c).toMatchObject({ port: 3000, publicBaseUrl: 'http://localhost:3000', apiKeys: ['dev-api-key'], databaseUrl: 'sqlite:data/msp.db' });
  expect(c.temporal).toEqual({ address: '127.0.0.1:7233', namespace: 'default', taskQueue: 'msp-orchestrator' });
});

test('production refuses development secrets and names what to set', () => {
  expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
    'refusing to start in production with development defaults; set API_KEYS, TASK_LINK_SECRET, PUBLIC_BASE_URL',
  );
  expect(
    loadConfig({ NODE_ENV: 'production', API_KEYS: 'k1, k2', TASK_LINK_SECRET: 'x'.repeat(32), PUBLIC_BASE_URL: 'https://msp.example.org/' }),
  ).toMatchObject({ production: true, apiKeys: ['k1', 'k2'], publicBaseUrl: 'https://msp.example.org' });
});

test('bad values are reported by variable name', () => {
  expect(() => loadConfig({ PORT: 'eighty', SMTP_URL: 'mail.example.org' })).toThrow(/PORT: .*; SMTP_URL: must look like smtp:\/\/host:port/);
});

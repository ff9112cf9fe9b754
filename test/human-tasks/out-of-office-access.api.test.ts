import express from 'express';
import request from 'supertest';
import { apiCaller } from '../../api/auth';
import { errorMiddleware } from '../../api/errors';
import type { HumanTaskService } from '../../api/human-tasks/service';
import { peopleRouter } from '../../api/human-tasks/people';
import type { ConsoleSession } from '../../api/console/session';
import { Store } from '../../infra/store/store';

/**
 * Who may set a person's out-of-office through /api/people: a tool with the
 * API key anyone's, a person signed in to the console their own, an admin
 * anyone's. The session is given directly (the console's sign-in is tested
 * in test/console); the CSRF check passes.
 */
const KEY = 'people-test-key';
const ADMIN = 'root@example.org';
let store: Store;
beforeAll(async () => {
  store = await Store.open('sqlite::memory:');
});
afterAll(async () => {
  await store.close();
});

function appSignedInAs(email?: string) {
  const app = express();
  app.use(express.json());
  app.use((req, _res, next) => {
    const session: ConsoleSession = email ? { user: { issuer: 'https://login.example.org', sub: email, name: email, email, emails: [email] }, expiresAt: Date.now() + 60_000 } : {};
    (req as unknown as { session: ConsoleSession }).session = session;
    next();
  });
  app.use('/api', apiCaller([KEY], { validateRequest: () => true }));
  const service = { openTasksFor: async () => [] } as unknown as HumanTaskService;
  app.use('/api/people', peopleRouter(service, store, [ADMIN]));
  app.use(errorMiddleware);
  return app;
}

const away = { delegate: { name: 'Daria Ivanova', email: 'daria@example.org' }, firstDay: '2099-03-01', lastDay: '2099-03-10', reason: 'annual leave' };

test('a signed-in person sets, reads and clears their own out-of-office, and no one else’s', async () => {
  const ari = appSignedInAs('ari@example.org');
  const own = await request(ari).put('/api/people/Ari@Example.org/out-of-office').send(away);
  expect(own.status).toBe(200);
  expect(own.body).toMatchObject({ email: 'ari@example.org', outOfOffice: away });
  expect((await request(ari).get('/api/people/ari@example.org/out-of-office')).body.outOfOffice).toEqual(away);

  const other = await request(ari).put('/api/people/bea@example.org/out-of-office').send(away);
  expect(other.status).toBe(403);
  expect(other.body.message).toContain('you may set only your own out-of-office');
  expect((await request(ari).get('/api/people/bea@example.org/out-of-office')).status).toBe(403);

  expect((await request(appSignedInAs(ADMIN)).put('/api/people/bea@example.org/out-of-office').send(away)).status).toBe(200);
  expect((await request(ari).delete('/api/people/ari@example.org/out-of-office')).status).toBe(204);
  // The API key may set anyone's; nobody signed in and no key is refused.
  expect((await request(appSignedInAs()).put('/api/people/bea@example.org/out-of-office').set('authorization', `Bearer ${KEY}`).send(away)).status).toBe(200);
  expect((await request(appSignedInAs()).get('/api/people/bea@example.org/out-of-office')).status).toBe(401);
});

test('an out-of-office that names oneself, or ended before today, is refused with a reason', async () => {
  const tool = (body: object) => request(appSignedInAs()).put('/api/people/bea@example.org/out-of-office').set('authorization', `Bearer ${KEY}`).send(body);
  const self = await tool({ ...away, delegate: { name: 'Bea', email: 'BEA@example.org' } });
  expect(self.status).toBe(400);
  expect(self.body).toMatchObject({ code: 'refusals:away.delegateIsSelf', message: expect.stringContaining('other than yourself') });
  const past = await tool({ ...away, firstDay: '2020-01-01', lastDay: '2020-01-02' });
  expect(past.status).toBe(400);
  expect(past.body).toMatchObject({ code: 'refusals:away.lastDayPassed', message: expect.stringContaining('has already passed') });
  expect((await tool({ ...away, firstDay: '2099-02-30' })).status).toBe(400);
});

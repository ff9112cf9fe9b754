import request from 'supertest';
import { itemsOfPhase } from '../../domain/partnership/catalogue';
import { partnershipRequest } from './fixtures';
import { stakeholderInput } from './partners';
import { firstWrite, sectionsOfPhase } from './sections';
import { TEST_API_KEY, type Stack } from './stack';

/**
 * What the API tests in test/api share: the bearer header, and a partnership
 * started and taken through initiating over HTTP (as an operator's tool
 * would), so that each test file starts from the same requests.
 */

/** The header every `/api` request of a test stack carries. */
export const auth = { authorization: `Bearer ${TEST_API_KEY}` };

/** POST /api/partnerships with the fixture's request (and `overrides`); expects 201 and answers the read model. */
export async function createPartnership(stack: Stack, overrides = {}) {
  const res = await request(stack.app).post('/api/partnerships').set(auth).send(partnershipRequest(overrides));
  expect(res.status).toBe(201);
  return res.body as { id: string; [field: string]: unknown };
}

/** Maps a stakeholder, writes the initiating sections and ticks every initiating item, each request expected to succeed. */
export async function completeInitiating(stack: Stack, id: string) {
  await request(stack.app).post(`/api/partnerships/${id}/stakeholders`).set(auth).send(stakeholderInput('Ministry of Labour', 'government')).expect(201);
  for (const s of sectionsOfPhase('initiating')) await request(stack.app).put(`/api/partnerships/${id}/sections/${s}`).set(auth).send(firstWrite(s)).expect(200);
  for (const item of itemsOfPhase('initiating')) {
    await request(stack.app).post(`/api/partnerships/${id}/checklist/${item.id}/complete`).set(auth).send({ by: 'Mona' }).expect(200);
  }
}

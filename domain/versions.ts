import { RuleError } from './rule-error';
import { said } from './said';

/**
 * Versions of the partnership's replace-style records: the shared data a
 * manager or a tool reads, changes and writes back whole — a stakeholder, a
 * roadmap activity, the resource strategy, the fiduciary rule. Each write
 * carries the version it was based on (HTTP If-Match, or the console form's
 * hidden field), so two people editing the same record never silently undo
 * each other: a write from a stale copy is refused with the current version,
 * and a write to an existing record that names no version is refused too.
 */

/** What a replace-style write carries: the version of the record the caller loaded (HTTP If-Match). */
export interface ExpectedVersion {
  expectedVersion?: number;
}

export type VersionedRecord = 'resource-strategy' | 'fiduciary-rule' | `activity:${string}` | `objective:${string}` | `stakeholder:${string}` | `section:${string}` | `progress:${string}`;

/** The part of the partnership's state that holds the versions (runs from before versions existed have none: every record reads as version 0). */
export interface Versioned {
  versions?: Record<string, number>;
}

/** Where a client reads a record and its ETag, for the messages that ask for one (paths under `/api/partnerships/<id>`). */
export function whereToRead(record: VersionedRecord): string {
  if (record.startsWith('activity:')) return `GET /api/partnerships/<id>/roadmap/${record.slice('activity:'.length)}`;
  if (record.startsWith('objective:')) return `GET /api/partnerships/<id>/objectives/${record.slice('objective:'.length)}`;
  if (record.startsWith('stakeholder:')) return `GET /api/partnerships/<id>/stakeholders/${record.slice('stakeholder:'.length)}`;
  if (record.startsWith('section:')) return `GET /api/partnerships/<id>/sections/${record.slice('section:'.length)}`;
  if (record.startsWith('progress:')) return `GET /api/partnerships/<id>/roadmap/${record.slice('progress:'.length)}/progress`;
  return `GET /api/partnerships/<id>/${record}`;
}

export function versionOf(state: Versioned, record: VersionedRecord): number {
  return state.versions?.[record] ?? 0;
}

/**
 * Refuses a write made from a stale copy: the caller loaded `expected`, and
 * someone has written the record since. No expected version passes here;
 * `requireVersion` is what refuses that.
 *
 * @throws RuleError Conflict `refusals:version.stale` {record, expected, current, where}, with `details.currentVersion`
 */
export function checkVersion(state: Versioned, record: VersionedRecord, expected: number | undefined): void {
  const current = versionOf(state, record);
  if (expected === undefined || expected === current) return;
  throw new RuleError(
    'Conflict',
    said('refusals:version.stale', { record, expected, current, where: whereToRead(record) }),
    { record, currentVersion: current },
  );
}

/**
 * Refuses a replace-style write that names no version: without one, nothing
 * can tell a change made from an up-to-date copy from one that would undo
 * someone else's. Only Update validators call it, so histories recorded
 * before versions were required replay as they ran.
 *
 * @throws RuleError PreconditionRequired (HTTP 428) `refusals:version.required` {record, where}: the header and where to get the ETag
 */
export function requireVersion(record: VersionedRecord, expected: number | undefined): void {
  if (expected !== undefined) return;
  throw new RuleError(
    'PreconditionRequired',
    said('refusals:version.required', { record, where: whereToRead(record) }),
    { record },
  );
}

/** Counts a write: the record's new version, which the answer carries (and its ETag). */
export function bumpVersion(state: Versioned, record: VersionedRecord): number {
  state.versions = { ...(state.versions ?? {}), [record]: versionOf(state, record) + 1 };
  return state.versions[record];
}

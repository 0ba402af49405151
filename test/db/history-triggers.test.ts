// The schema itself keeps check history append-only, whatever code writes to it.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase, type Database } from '../../src/db/database.js';

const TENANT = '6babcaad-604b-40ac-a9d7-9fd97c0b779f';

describe('append-only history', () => {
  let db: Database;
  beforeEach(() => {
    db = openDatabase(':memory:');
    db.prepare("INSERT INTO tenants (tenant_id, name, created_at, updated_at) VALUES (?, 'Contoso', 't', 't')").run(TENANT);
    db.prepare("INSERT INTO check_runs (started_at, state, scope, pid) VALUES ('t0', 'running', '{}', 42)").run();
    db.prepare("INSERT INTO check_run_tenants (run_id, tenant_id, finished_at) VALUES (1, ?, 't1')").run(TENANT);
    db.prepare(
      `INSERT INTO verdicts (run_id, tenant_id, step_id, status, summary, evidence, observed_at)
       VALUES (1, ?, 'access.guest-redeemed', 'pass', 'ok', '{}', 't1')`,
    ).run(TENANT);
    db.prepare(
      `INSERT INTO attestations (tenant_id, step_id, attested_by, note, attested_at)
       VALUES (?, 'm365.audit-log', 'Ana', 'confirmed on call', 't1')`,
    ).run(TENANT);
  });
  afterEach(() => db.close());

  it.each([
    ["UPDATE verdicts SET status = 'fail'"],
    ['DELETE FROM verdicts'],
    ["UPDATE check_run_tenants SET finished_at = 'later'"],
    ['DELETE FROM check_run_tenants'],
    ["UPDATE attestations SET note = 'rewritten'"],
    ['DELETE FROM attestations'],
    ['DELETE FROM check_runs'],
    ["UPDATE check_runs SET started_at = 'rewritten'"],
    ["UPDATE check_runs SET scope = '[]'"],
    ['UPDATE check_runs SET pid = 7'],
  ])('refuses: %s', (sql) => {
    expect(() => db.exec(sql)).toThrow('history is append-only');
  });

  it('lets a running check run be finished once, then freezes it', () => {
    db.exec("UPDATE check_runs SET state = 'complete', finished_at = 't2' WHERE id = 1");
    expect(db.prepare('SELECT state, finished_at FROM check_runs').get()).toEqual({ state: 'complete', finished_at: 't2' });
    expect(() => db.exec("UPDATE check_runs SET state = 'incomplete'")).toThrow('history is append-only');
    expect(() => db.exec("UPDATE check_runs SET finished_at = 't3'")).toThrow('history is append-only');
  });

  it('accepts finishing in two steps (state first, then time)', () => {
    db.exec("UPDATE check_runs SET state = 'incomplete' WHERE id = 1");
    db.exec("UPDATE check_runs SET finished_at = 't2' WHERE id = 1");
    expect(db.prepare('SELECT state, finished_at FROM check_runs').get()).toEqual({ state: 'incomplete', finished_at: 't2' });
  });

  it('never deletes a tenant, and foreign keys refuse history for unknown tenants', () => {
    expect(() => db.exec('DELETE FROM tenants')).toThrow('never deleted');
    expect(() =>
      db
        .prepare(
          `INSERT INTO verdicts (run_id, tenant_id, step_id, status, summary, evidence, observed_at)
           VALUES (1, '00000000-0000-4000-8000-000000000001', 's', 'pass', 'ok', '{}', 't')`,
        )
        .run(),
    ).toThrow(/FOREIGN KEY/);
  });

  it('keeps appending: new verdicts go in after the triggers exist', () => {
    db.prepare(
      `INSERT INTO verdicts (run_id, tenant_id, step_id, status, summary, evidence, observed_at)
       VALUES (1, ?, 'access.guest-redeemed', 'fail', 'removed', '{}', 't2')`,
    ).run(TENANT);
    expect(db.prepare('SELECT status FROM verdicts ORDER BY id').pluck().all()).toEqual(['pass', 'fail']);
  });
});

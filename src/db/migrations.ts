// The roster database schema, as numbered migrations keyed on `PRAGMA user_version`.
// Append new migrations at the end with the next version number; never edit or reorder a
// migration that has shipped (databases in the field already ran it).
import type { Database } from 'better-sqlite3';
import { rebuildIntegrationStages } from './history.js';
import { INTEGRATION_SUMMARIES, rebuildIntegrationSummaries } from './summaries.js';

export interface Migration {
  /** Becomes `PRAGMA user_version` once applied; 1, 2, 3, … without gaps. */
  version: number;
  /** What it changes, shown if it fails. */
  name: string;
  /** SQL script, or a function for changes SQL alone cannot express. Runs inside a transaction. */
  up: string | ((db: Database) => void);
}

const appendOnly = (table: string): string => `
CREATE TRIGGER ${table}_no_update BEFORE UPDATE ON ${table}
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER ${table}_no_delete BEFORE DELETE ON ${table}
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
`;

const ROSTER_AND_HISTORY = `
CREATE TABLE tenants (
  tenant_id TEXT PRIMARY KEY CHECK (tenant_id = lower(tenant_id) AND length(tenant_id) = 36),
  name TEXT NOT NULL CHECK (length(name) > 0),
  domain TEXT,
  org_guid TEXT,
  guest_email TEXT,
  engagement_manager TEXT,
  engineer TEXT,
  started_on TEXT,
  notes TEXT,
  mde_console TEXT NOT NULL DEFAULT 'basic' CHECK (mde_console IN ('basic', 'rbac')),
  archived INTEGER NOT NULL DEFAULT 0 CHECK (archived IN (0, 1)),
  archived_at TEXT,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL
);

-- Tenants are archived, never deleted: their check history and attestations refer to them.
CREATE TRIGGER tenants_no_delete BEFORE DELETE ON tenants
BEGIN SELECT RAISE(ABORT, 'tenants are archived, never deleted'); END;

CREATE TABLE tenant_integrations (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  integration TEXT NOT NULL CHECK (integration IN ('mde', 'mdi', 'm365', 'azure')),
  -- mde and azure choose; mdi is always custom and m365 always enterprise, so NULL there.
  option TEXT CHECK (
    (integration IN ('mde', 'azure') AND option IN ('enterprise', 'custom'))
    OR (integration IN ('mdi', 'm365') AND option IS NULL)
  ),
  app_name TEXT,
  device_added TEXT,
  PRIMARY KEY (tenant_id, integration)
) WITHOUT ROWID;

CREATE TABLE tenant_subscriptions (
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  subscription_id TEXT NOT NULL CHECK (subscription_id = lower(subscription_id)),
  PRIMARY KEY (tenant_id, subscription_id)
) WITHOUT ROWID;

CREATE TABLE check_runs (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  started_at TEXT NOT NULL,
  finished_at TEXT,
  state TEXT NOT NULL CHECK (state IN ('running', 'complete', 'incomplete')),
  scope TEXT NOT NULL, -- JSON
  pid INTEGER
);

-- A run may be finished once (state leaves 'running', finished_at is set); nothing else changes.
CREATE TRIGGER check_runs_fixed_columns BEFORE UPDATE ON check_runs
WHEN NEW.id IS NOT OLD.id OR NEW.started_at IS NOT OLD.started_at
  OR NEW.scope IS NOT OLD.scope OR NEW.pid IS NOT OLD.pid
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER check_runs_finished_state BEFORE UPDATE OF state ON check_runs
WHEN NEW.state IS NOT OLD.state AND OLD.state <> 'running'
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER check_runs_finished_time BEFORE UPDATE OF finished_at ON check_runs
WHEN NEW.finished_at IS NOT OLD.finished_at AND OLD.finished_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;
CREATE TRIGGER check_runs_no_delete BEFORE DELETE ON check_runs
BEGIN SELECT RAISE(ABORT, 'history is append-only'); END;

CREATE TABLE check_run_tenants (
  run_id INTEGER NOT NULL REFERENCES check_runs (id),
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  finished_at TEXT NOT NULL,
  PRIMARY KEY (run_id, tenant_id)
);
${appendOnly('check_run_tenants')}

CREATE TABLE verdicts (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  run_id INTEGER NOT NULL REFERENCES check_runs (id),
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  step_id TEXT NOT NULL,
  status TEXT NOT NULL,
  summary TEXT NOT NULL,
  reason TEXT,
  expected_by TEXT,
  blocked_by TEXT,
  evidence TEXT NOT NULL, -- JSON
  observed_at TEXT NOT NULL
);
CREATE INDEX verdicts_by_tenant_step ON verdicts (tenant_id, step_id, id);
CREATE INDEX verdicts_by_run ON verdicts (run_id);
${appendOnly('verdicts')}

CREATE TABLE attestations (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  tenant_id TEXT NOT NULL REFERENCES tenants (tenant_id),
  step_id TEXT NOT NULL,
  attested_by TEXT NOT NULL,
  note TEXT NOT NULL,
  attested_at TEXT NOT NULL,
  expires_at TEXT,
  forced_reason TEXT
);
CREATE INDEX attestations_by_tenant_step ON attestations (tenant_id, step_id, id);
${appendOnly('attestations')}
`;

// Derived pointers so the dashboard can load the latest verdict of every step of thousands of
// tenants without scanning the whole history. Maintained by triggers (whoever writes history),
// rebuildable from the append-only tables at any time; not history themselves.
const HISTORY_HEADS = `
CREATE TABLE verdict_heads (
  tenant_id TEXT NOT NULL,
  step_id TEXT NOT NULL,
  latest_id INTEGER NOT NULL,
  latest_real_id INTEGER, -- newest verdict that is not an error (an error never hides it)
  first_done_at TEXT,     -- earliest observed_at of a pass, warn or attested verdict (T0)
  PRIMARY KEY (tenant_id, step_id)
) WITHOUT ROWID;

INSERT INTO verdict_heads (tenant_id, step_id, latest_id, latest_real_id, first_done_at)
SELECT tenant_id, step_id, max(id),
  max(CASE WHEN status <> 'error' THEN id END),
  min(CASE WHEN status IN ('pass', 'warn', 'attested') THEN observed_at END)
FROM verdicts GROUP BY tenant_id, step_id;

CREATE TRIGGER verdicts_maintain_heads AFTER INSERT ON verdicts
BEGIN
  INSERT INTO verdict_heads (tenant_id, step_id, latest_id, latest_real_id, first_done_at)
  VALUES (NEW.tenant_id, NEW.step_id, NEW.id,
    CASE WHEN NEW.status <> 'error' THEN NEW.id END,
    CASE WHEN NEW.status IN ('pass', 'warn', 'attested') THEN NEW.observed_at END)
  ON CONFLICT (tenant_id, step_id) DO UPDATE SET
    latest_id = max(latest_id, excluded.latest_id),
    latest_real_id = coalesce(max(latest_real_id, excluded.latest_real_id), latest_real_id, excluded.latest_real_id),
    first_done_at = coalesce(min(first_done_at, excluded.first_done_at), first_done_at, excluded.first_done_at);
END;

CREATE TABLE tenant_check_heads (
  tenant_id TEXT PRIMARY KEY,
  last_run_id INTEGER NOT NULL,
  last_checked_at TEXT NOT NULL
) WITHOUT ROWID;

INSERT INTO tenant_check_heads (tenant_id, last_run_id, last_checked_at)
SELECT tenant_id, run_id, max(finished_at) FROM check_run_tenants GROUP BY tenant_id;

CREATE TRIGGER check_run_tenants_maintain_heads AFTER INSERT ON check_run_tenants
BEGIN
  INSERT INTO tenant_check_heads (tenant_id, last_run_id, last_checked_at)
  VALUES (NEW.tenant_id, NEW.run_id, NEW.finished_at)
  ON CONFLICT (tenant_id) DO UPDATE SET
    last_run_id = CASE WHEN excluded.last_checked_at >= last_checked_at THEN excluded.last_run_id ELSE last_run_id END,
    last_checked_at = max(last_checked_at, excluded.last_checked_at);
END;
`;

// Each integration's stage per tenant, kept by HistoryStore.recordTenant in the transaction that
// stores the tenant's verdicts (the rule is verdicts/derived.ts nextStage, which needs the step
// catalogue, so no trigger can keep it), so readers get days in stage and the completion date
// without replaying the history. Derived, not history: rebuildIntegrationStages recomputes it, so
// a change to that rule ships with a new migration that calls it again.
const INTEGRATION_STAGES = `
CREATE TABLE integration_stages (
  tenant_id TEXT NOT NULL,
  integration TEXT NOT NULL CHECK (integration IN ('access', 'mde', 'mdi', 'm365', 'azure')),
  -- the integration's status in the latest check that looked at it, errors carried forward
  status TEXT NOT NULL CHECK (status IN ('complete', 'in_progress', 'action_needed', 'attention')),
  since TEXT NOT NULL,         -- the check (its finished_at) that began this status
  first_completed_at TEXT,     -- the first check that found the integration complete
  last_checked TEXT NOT NULL,  -- the latest check that looked at the integration
  PRIMARY KEY (tenant_id, integration)
) WITHOUT ROWID;
`;

/** Every schema change, oldest first. */
export const MIGRATIONS: readonly Migration[] = [
  { version: 1, name: 'tenant roster, check history and attestations', up: ROSTER_AND_HISTORY },
  { version: 2, name: 'latest-verdict pointers for fast history reads', up: HISTORY_HEADS },
  {
    version: 3,
    name: 'integration stages kept as checks are stored, backfilled from the history',
    up: (db) => {
      db.exec(INTEGRATION_STAGES);
      rebuildIntegrationStages(db);
    },
  },
  {
    // A derived cache (summaries.ts): written with the verdicts by the derivation readers used
    // before, rebuilt here from the history; a change to that derivation ships with a migration
    // that calls rebuildIntegrationSummaries again.
    version: 4,
    name: 'integration summaries kept as checks are stored, backfilled from the latest verdicts',
    up: (db) => {
      db.exec(INTEGRATION_SUMMARIES);
      rebuildIntegrationSummaries(db);
    },
  },
];

/** The schema version this build writes. */
export const LATEST_SCHEMA_VERSION = MIGRATIONS.length;

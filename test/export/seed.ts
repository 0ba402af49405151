// Fills a sandbox database with a roster and check history through the real stores, so CLI tests
// read exactly what `check` would have stored.
import type { Verdict } from '../../src/core/status.js';
import type { Tenant } from '../../src/core/tenant.js';
import { openDatabase } from '../../src/db/database.js';
import { HistoryStore } from '../../src/db/history.js';
import { RosterStore } from '../../src/db/roster.js';

export interface SeedRun {
  /** When the run happened (the history stamps verdicts with the store's clock). */
  at: string;
  verdicts: ReadonlyMap<string, readonly Verdict[]>;
}

export function seedDatabase(file: string, tenants: readonly Tenant[], runs: readonly SeedRun[] = []): void {
  const db = openDatabase(file);
  try {
    new RosterStore(db).importTenants(tenants);
    for (const run of runs) {
      const history = new HistoryStore(db, () => new Date(run.at));
      const runId = history.startRun({ tenants: [...run.verdicts.keys()] });
      db.transaction(() => {
        for (const [tenantId, verdicts] of run.verdicts) history.recordTenant(runId, tenantId, verdicts);
      })();
      history.finishRun(runId, 'complete');
    }
  } finally {
    db.close();
  }
}

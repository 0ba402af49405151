// A lean, read-only view of one tenant's check history (the whole-roster export reads the
// summaries the history store caches instead: see export.ts). It reads the tenant's step heads
// without their evidence, its integration stages and its last check: two indexed queries, rows as
// arrays, nothing kept afterwards, no replay of the history.
import type { Tenant } from '../core/tenant.js';
import type { Database } from '../db/database.js';
import { tenantCheckReader } from '../db/history.js';
import { tenantHeadsReader } from '../db/summaries.js';
import { STEPS, integrationsOf } from '../integrations/catalogue.js';
import type { TenantHistory } from './rows.js';

export { verdictAt } from '../db/summaries.js';

/** The steps of the tenant's integrations as the JSON array the heads query takes (one per scope). */
const stepListByScope = new Map<string, string>();
function stepListOf(tenant: Tenant): string {
  const integrations = integrationsOf(tenant);
  const scope = integrations.join(',');
  let list = stepListByScope.get(scope);
  if (list === undefined) {
    list = JSON.stringify(STEPS.filter((step) => integrations.includes(step.integration)).map((step) => step.id));
    stepListByScope.set(scope, list);
  }
  return list;
}

export class ExportHistoryReader {
  private readonly heads;
  private readonly checkRecord;

  constructor(db: Database) {
    this.heads = tenantHeadsReader(db);
    this.checkRecord = tenantCheckReader(db);
  }

  /**
   * One tenant's history as the export rows need it: only the steps of its integrations (the
   * others are stored as not_applicable and never shown), evidence left out, and the stage of
   * each integration a check has looked at.
   */
  historyOf(tenant: Tenant): TenantHistory {
    return { states: this.heads(tenant.tenantId, stepListOf(tenant)), ...this.checkRecord(tenant.tenantId) };
  }
}

// Large rosters with real-looking check history, fast: a few hundred synthetic tenants are checked
// for real (the built CLI against the sim, no added latency), then the roster and their stored
// verdicts are cloned under fresh tenant IDs through RosterStore and HistoryStore.
import { randomUUID } from 'node:crypto';
import type { Verdict } from '../../src/core/status.js';
import type { Tenant } from '../../src/core/tenant.js';
import { openDatabase } from '../../src/db/database.js';
import { HistoryStore } from '../../src/db/history.js';
import { RosterStore } from '../../src/db/roster.js';
import { rosterOf, startSimCloud, syntheticTenants } from '../../sim/index.js';
import { configureForSim, makeWorkspace, runCli, seedRoster, simEnv } from './sandbox.js';

export interface CheckedTemplate {
  tenant: Tenant;
  verdicts: Verdict[];
}

/** `count` synthetic tenants (the realistic mix of stages and integrations), checked once for real. */
export async function checkedTemplates(count: number, seed = 5): Promise<CheckedTemplate[]> {
  const simTenants = syntheticTenants(count, seed);
  const cloud = await startSimCloud({ scenarios: simTenants, latencyMs: 0 });
  const ws = makeWorkspace('bench-templates');
  try {
    seedRoster(ws.db, rosterOf(simTenants));
    configureForSim(ws.configDir);
    const run = await runCli(['check', '--all'], { ...ws.env, ...simEnv(cloud) });
    if (run.code !== 0 && run.code !== 3) throw new Error(`template check failed (${run.code}): ${run.stderr}`);
    const db = openDatabase(ws.db);
    try {
      const verdicts = new HistoryStore(db).latestVerdicts();
      return new RosterStore(db).list().map((tenant) => ({ tenant, verdicts: verdicts.get(tenant.tenantId) ?? [] }));
    } finally {
      db.close();
    }
  } finally {
    ws.cleanup();
    await cloud.close();
  }
}

/** Tenant number `index` built from a template: a fresh ID and a numbered name, same configuration. */
export function cloneTenant(template: Tenant, index: number): Tenant {
  return {
    ...template,
    tenantId: randomUUID(),
    name: `${template.name} ${index + 1}`,
    domain: template.domain ? `t${index + 1}.${template.domain}` : null,
  };
}

/**
 * Writes `count` tenants cloned from the templates into `db`, each with `runs` stored check runs
 * (a day apart, the last one now), so history-reading code sees more than one run per tenant.
 * Returns the roster written.
 */
export function seedClonedHistory(dbFile: string, templates: readonly CheckedTemplate[], count: number, runs = 2): Tenant[] {
  const clones = Array.from({ length: count }, (_, i) => ({ template: templates[i % templates.length]!, tenant: cloneTenant(templates[i % templates.length]!.tenant, i) }));
  const db = openDatabase(dbFile);
  try {
    new RosterStore(db).importTenants(clones.map((c) => c.tenant));
    for (let run = runs - 1; run >= 0; run--) {
      const at = new Date(Date.now() - run * 86_400_000);
      const history = new HistoryStore(db, () => at);
      const runId = history.startRun({ tenants: null, integrations: null });
      db.transaction(() => {
        for (const { template, tenant } of clones) {
          const observedAt = at.toISOString();
          history.recordTenant(runId, tenant.tenantId, template.verdicts.map((v) => ({ ...v, observedAt })));
        }
      })();
      history.finishRun(runId, 'complete');
    }
    return clones.map((c) => c.tenant);
  } finally {
    db.close();
  }
}

// One check run: tenants evaluated with bounded concurrency, each through its own ProbeContext
// and the rules engine, each stored in its own transaction as soon as it finishes. An aborted run
// (SIGINT) stores nothing for the tenants still in flight and is closed `incomplete`.
import { setMaxListeners } from 'node:events';
import type { Verdict } from '../core/status.js';
import type { ScopedIntegrationId, Tenant } from '../core/tenant.js';
import type { HistoryStore } from '../db/history.js';
import type { SessionStats, TenantSession } from '../microsoft/types.js';
import { ProbeContext, observeStep, type ProbeSettings } from '../probes/index.js';
import type { Settings } from '../settings/settings.js';
import { evaluateTenant } from '../verdicts/evaluate.js';
import type { Observation, WindowSettings } from '../verdicts/types.js';
import { storedVerdicts, tenantReport, type TenantReport } from './document.js';

export interface CheckSettings {
  probe: ProbeSettings;
  windows: WindowSettings;
  /** Tenants checked at the same time. */
  concurrency: number;
}

export function checkSettingsFrom(settings: Settings): CheckSettings {
  return {
    probe: {
      expelTenantId: settings.expelTenantId,
      expelAppIds: { ...settings.expelAppIds },
      guestEmailDomain: settings.guestEmailDomain,
      secretWarningDays: settings.secretWarningDays,
    },
    windows: {
      pollingWindowMinutes: settings.pollingWindowMinutes,
      pollingReportingAllowanceMinutes: settings.pollingReportingAllowanceMinutes,
      alertWindowHours: [settings.alertWindowHours.from, settings.alertWindowHours.to],
      auditLogWindowMinutes: settings.auditLogWindowMinutes,
      secretWarningDays: settings.secretWarningDays,
    },
    concurrency: settings.concurrency,
  };
}

export interface TenantOutcome {
  tenant: Tenant;
  report: TenantReport;
  /** The verdicts stored for this tenant (the catalogue minus integrations left out by --integration). */
  verdicts: Verdict[];
  stats: SessionStats & { graphRounds: number };
}

export interface CheckRunOptions {
  tenants: readonly Tenant[];
  /** --integration: the integrations to probe (access always runs); null = every integration in scope. */
  filter: ReadonlySet<ScopedIntegrationId> | null;
  openSession: (tenantId: string, signal: AbortSignal) => TenantSession;
  history: HistoryStore;
  settings: CheckSettings;
  signal?: AbortSignal;
  clock?: () => Date;
  onTenantStart?: (tenant: Tenant) => void;
  onTenantDone?: (outcome: TenantOutcome, done: number, total: number) => void;
  /**
   * Keep every tenant's outcome (verdicts with evidence, report) for the result: true by default,
   * for callers that print the whole run at the end (`check --json`). A caller that takes each
   * tenant from `onTenantDone` (the dashboard) passes false, and `outcomes` comes back empty, so a
   * re-check of 5,000 tenants does not hold 5,000 tenants' evidence until it ends.
   */
  keepOutcomes?: boolean;
}

export interface CheckRunResult {
  runId: number;
  startedAt: string;
  finishedAt: string;
  /** Tenants stored in this run, in the order they were asked for; empty with `keepOutcomes: false`. */
  outcomes: TenantOutcome[];
  /** How many tenants were stored in this run. */
  stored: number;
  interrupted: boolean;
}

/** Steps of integrations outside --integration are not probed; their verdicts are dropped, never stored. */
const NOT_PROBED: Observation = { status: 'unverifiable', summary: 'not probed in this run', evidence: {} };

export async function runCheck(options: CheckRunOptions): Promise<CheckRunResult> {
  const clock = options.clock ?? (() => new Date());
  const controller = new AbortController();
  // Every read in flight or queued behind the per-tenant limit listens for the abort: many at once is normal.
  setMaxListeners(0, controller.signal);
  const abort = () => controller.abort();
  if (options.signal?.aborted) abort();
  options.signal?.addEventListener('abort', abort, { once: true });

  const startedAt = clock().toISOString();
  const runId = options.history.startRun({
    tenants: options.tenants.map((t) => t.tenantId),
    integrations: options.filter ? [...options.filter] : null,
  });
  const keep = options.keepOutcomes ?? true;
  const outcomes = new Map<string, TenantOutcome>();
  let stored = 0;
  let next = 0;
  let failure: unknown = null;

  const checkOne = async (tenant: Tenant): Promise<void> => {
    options.onTenantStart?.(tenant);
    const now = clock();
    const session = options.openSession(tenant.tenantId, controller.signal);
    try {
      await checkWith(tenant, now, session);
    } finally {
      // What only this tenant's check needed (an app-only credential and its token cache) goes now.
      session.close?.();
    }
  };

  const checkWith = async (tenant: Tenant, now: Date, session: TenantSession): Promise<void> => {
    const firstDone = options.history.firstDoneLookup(tenant.tenantId);
    const scope = new Set(tenant.integrations.filter((id) => options.filter === null || options.filter.has(id)));
    const attestations = options.history.attestations(tenant.tenantId);
    const ctx = new ProbeContext({ session, tenant, settings: options.settings.probe, now, firstDone, scope, attestations });
    const verdicts = await evaluateTenant(
      { tenant, now, settings: options.settings.windows, firstDone, attestations },
      (step) =>
        step.integration === 'access' || scope.has(step.integration) ? observeStep(ctx, step.id) : Promise.resolve(NOT_PROBED),
      { clock },
    );
    // Reads cut off by the abort became `error` observations: a verdict set like that is not stored.
    if (controller.signal.aborted) return;
    const kept = storedVerdicts(tenant, verdicts, options.filter);
    options.history.recordTenant(runId, tenant.tenantId, kept);
    const outcome: TenantOutcome = {
      tenant,
      report: tenantReport(tenant, kept, options.filter),
      verdicts: kept,
      stats: { ...session.stats, graphRounds: ctx.graphRounds },
    };
    stored += 1;
    if (keep) outcomes.set(tenant.tenantId, outcome);
    options.onTenantDone?.(outcome, stored, options.tenants.length);
  };

  const worker = async (): Promise<void> => {
    while (!controller.signal.aborted && failure === null && next < options.tenants.length) {
      const tenant = options.tenants[next++]!;
      try {
        await checkOne(tenant);
      } catch (error) {
        failure ??= error;
        abort();
      }
    }
  };

  const workers = Math.max(1, Math.min(options.settings.concurrency, options.tenants.length));
  try {
    await Promise.all(Array.from({ length: workers }, worker));
  } finally {
    options.signal?.removeEventListener('abort', abort);
    const complete = !controller.signal.aborted && stored === options.tenants.length;
    options.history.finishRun(runId, complete ? 'complete' : 'incomplete');
  }
  if (failure !== null) throw failure;
  return {
    runId,
    startedAt,
    finishedAt: clock().toISOString(),
    outcomes: keep ? options.tenants.flatMap((t) => outcomes.get(t.tenantId) ?? []) : [],
    stored,
    interrupted: controller.signal.aborted,
  };
}

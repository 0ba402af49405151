// One export row per tenant and integration (access first, then those in scope, contract order),
// derived from the stored history only: the same rules as the dashboard (src/verdicts/derived.ts),
// so a spreadsheet never disagrees with the screen.
import { cleanText } from '../core/sanitize.js';
import type { IntegrationStatus, Owner } from '../core/status.js';
import type { IntegrationId, Tenant } from '../core/tenant.js';
import type { StepState } from '../db/history.js';
import { STEPS, integrationsOf } from '../integrations/catalogue.js';
import {
  DEFAULT_STALE_AFTER_HOURS,
  daysSince,
  isStale,
  percent,
  stageOf,
  summarizeIntegrations,
  type IntegrationStage,
  type IntegrationSummary,
  type NextStep,
  type TenantCheck,
} from '../verdicts/derived.js';
import { parseInstant } from '../verdicts/windows.js';
import type { ExportRow } from './format.js';

/** What the history holds for one tenant. */
export interface TenantHistory {
  /** Stored state of each step (latest, latest real, first done), any order. Empty: never checked. */
  states: readonly StepState[];
  /** When the tenant was last checked, ISO; null when never. */
  lastChecked: string | null;
  /**
   * Each integration's stage as the history store keeps it (HistoryStore.integrationStages,
   * ExportHistoryReader): days in stage and the completion date come from here when given.
   */
  stages?: ReadonlyMap<IntegrationId, IntegrationStage>;
  /**
   * Otherwise, every stored check, oldest first, to derive the stages from (stageOf: the same
   * rule, replayed); only called for tenants that have been checked. Neither: both unknown.
   */
  checks?: () => readonly TenantCheck[];
}

export interface RowOptions {
  now: Date;
  staleAfterHours?: number;
}

/** YYYY-MM-DD in UTC of a date or date-time (a bare date is 00:00 UTC); null when absent or invalid. */
export function utcDay(value: string | null | undefined): string | null {
  const instant = parseInstant(value ?? null);
  return instant ? instant.toISOString().slice(0, 10) : null;
}

/** Text from outside cleaned for one line of output; null when nothing is left. */
export function cleanOrNull(value: string | null | undefined): string | null {
  const cleaned = value ? cleanText(value) : '';
  return cleaned === '' ? null : cleaned;
}

function optionOf(tenant: Tenant, integration: IntegrationId): string | null {
  switch (integration) {
    case 'access':
      return null;
    case 'mdi':
      return 'custom';
    case 'm365':
      return 'enterprise';
    default:
      return tenant.options[integration];
  }
}

/**
 * A tenant's rows from its stored step states: the read-time path (one tenant's detail, tests).
 * The summaries come from the same derivation the history store caches at write time.
 */
export function exportRowsFor(tenant: Tenant, history: TenantHistory, options: RowOptions): ExportRow[] {
  const checks = history.states.length > 0 && !history.stages ? (history.checks?.() ?? []) : [];
  return exportRowsFromSummaries(
    tenant,
    {
      summaries: summarizeIntegrations(history.states),
      lastChecked: history.lastChecked,
      stageOf: (integration) => (history.stages ? (history.stages.get(integration) ?? null) : stageOf(checks, integration)),
    },
    options,
  );
}

/** What the rows of one tenant are built from: cached or freshly derived summaries, stages, last check. */
export interface TenantSummary {
  /** summarizeIntegrations of the tenant's step heads; empty when never checked. */
  summaries: ReadonlyMap<IntegrationId, IntegrationSummary>;
  lastChecked: string | null;
  stageOf(integration: IntegrationId): IntegrationStage | null;
}

/**
 * Where one integration in the tenant's scope stands now: the cached or derived summary, with the
 * clock applied (days in stage, staleness). The export's rows and the dashboard's roster cells are
 * both built from this, so they agree.
 */
export interface IntegrationFacts {
  integration: IntegrationId;
  status: IntegrationStatus;
  done: number;
  applicable: number;
  /** The next step; null when none is left or no check has looked at the integration. */
  next: NextStep | null;
  owner: Owner;
  /** Why it is not done, in plain words (raw: callers clean it for their output). */
  blockingReason: string | null;
  stage: IntegrationStage | null;
  daysInStage: number | null;
  /** Last checked too long ago, or a step shows an older verdict because the latest was an error. */
  stale: boolean;
  summary: IntegrationSummary | undefined;
}

/** Each integration in the tenant's scope, in contract order (access first). */
export function integrationFacts(tenant: Tenant, record: TenantSummary, options: RowOptions): IntegrationFacts[] {
  const { now } = options;
  const checkedStale = isStale(record.lastChecked, now, options.staleAfterHours ?? DEFAULT_STALE_AFTER_HOURS);
  return integrationsOf(tenant).map((integration) => {
    const summary = record.summaries.get(integration);
    // Not started until a check looked at the integration while it was in scope (its stored
    // verdicts are all not_applicable before that, or absent after a check --integration).
    const status = summary?.status ?? 'not_started';
    const seen = summary !== undefined && status !== 'not_started';
    const next = seen ? summary.next : null;
    const stage = record.stageOf(integration);
    return {
      integration,
      status,
      done: seen ? summary.done : 0,
      applicable: seen ? summary.applicable : applicableSteps(tenant, integration),
      next,
      owner: seen ? (next?.owner ?? 'none') : 'expel',
      blockingReason: seen ? (next?.reason ?? null) : 'Not checked yet',
      stage,
      daysInStage: daysSince(stage?.since ?? null, now),
      stale: checkedStale || (summary?.showsOlder ?? false),
      summary,
    };
  });
}

/** A tenant's rows from its integration summaries (the export reads them from the cache). */
export function exportRowsFromSummaries(tenant: Tenant, record: TenantSummary, options: RowOptions): ExportRow[] {
  const name = cleanText(tenant.name);
  const domain = cleanOrNull(tenant.domain);
  const engagementManager = cleanOrNull(tenant.engagementManager);
  const engineer = cleanOrNull(tenant.engineer);
  const startedOn = utcDay(tenant.startedOn);

  return integrationFacts(tenant, record, options).map((facts) => {
    const { integration, next, summary } = facts;
    const scoped = integration === 'access' ? null : integration;
    const counts = { done: facts.done, applicable: facts.applicable };
    return {
      tenant_id: tenant.tenantId,
      tenant_name: name,
      domain,
      engagement_manager: engagementManager,
      engineer,
      integration,
      option: optionOf(tenant, integration),
      status: facts.status,
      done_steps: counts.done,
      applicable_steps: counts.applicable,
      percent: percent(counts),
      next_step: next?.stepId ?? null,
      next_step_title: next ? cleanOrNull(next.title) : null,
      owner: facts.owner,
      blocking_reason: cleanOrNull(facts.blockingReason),
      started_on: startedOn,
      device_added_on: scoped ? utcDay(tenant.deviceAdded[scoped] ?? summary?.apiAccessDoneAt ?? null) : null,
      first_alert_on: scoped ? utcDay(summary?.firstAlertAt ?? null) : null,
      completed_on: utcDay(facts.stage?.firstCompletedAt),
      days_in_stage: facts.daysInStage,
      last_checked: record.lastChecked,
      stale: facts.stale,
    };
  });
}

function applicableSteps(tenant: Tenant, integration: IntegrationId): number {
  return STEPS.filter((step) => step.integration === integration && step.applies(tenant)).length;
}

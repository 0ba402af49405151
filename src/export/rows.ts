// One export row per tenant and integration (access first, then those in scope, contract order),
// derived from the stored history only: the same rules as the dashboard (src/verdicts/derived.ts),
// so a spreadsheet never disagrees with the screen.
import { cleanText } from '../core/sanitize.js';
import type { Verdict } from '../core/status.js';
import type { IntegrationId, Tenant } from '../core/tenant.js';
import type { StepState } from '../db/history.js';
import { API_ACCESS_STEP, STEPS, integrationsOf, stepById } from '../integrations/catalogue.js';
import {
  DEFAULT_STALE_AFTER_HOURS,
  analystView,
  daysSince,
  isStale,
  nextStep,
  observedStatus,
  percent,
  progress,
  stageOf,
  type IntegrationStage,
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

const CATALOGUE_INDEX = new Map(STEPS.map((step, index) => [step.id, index]));
const position = (stepId: string): number => CATALOGUE_INDEX.get(stepId) ?? Number.MAX_SAFE_INTEGER;

const text = (value: string | null | undefined): string | null => {
  const cleaned = value ? cleanText(value) : '';
  return cleaned === '' ? null : cleaned;
};

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

export function exportRowsFor(tenant: Tenant, history: TenantHistory, options: RowOptions): ExportRow[] {
  const { now } = options;
  const staleAfter = options.staleAfterHours ?? DEFAULT_STALE_AFTER_HOURS;
  const checked = history.states.length > 0;
  const firstDoneOf = new Map(history.states.map((state) => [state.stepId, state.firstDoneAt]));
  const firstDone = (stepId: string) => firstDoneOf.get(stepId) ?? null;
  // The analyst's view: an error never hides the last real verdict (it is marked stale instead),
  // grouped by integration in catalogue order.
  const allVerdicts: Verdict[] = [];
  const byIntegration = new Map<IntegrationId, { verdicts: Verdict[]; stale: boolean }>();
  for (const state of [...history.states].sort((a, b) => position(a.stepId) - position(b.stepId))) {
    const view = analystView(state.latest, state.latestReal);
    allVerdicts.push(view.verdict);
    const integration = stepById(state.stepId)?.integration;
    if (integration === undefined) continue;
    const group = byIntegration.get(integration);
    if (group) {
      group.verdicts.push(view.verdict);
      group.stale ||= view.stale;
    } else byIntegration.set(integration, { verdicts: [view.verdict], stale: view.stale });
  }
  const checks = checked && !history.stages ? (history.checks?.() ?? []) : [];
  const stageOfIntegration = (integration: IntegrationId): IntegrationStage | null =>
    history.stages ? (history.stages.get(integration) ?? null) : stageOf(checks, integration);
  const checkedStale = isStale(history.lastChecked, now, staleAfter);
  const name = cleanText(tenant.name);
  const domain = text(tenant.domain);
  const engagementManager = text(tenant.engagementManager);
  const engineer = text(tenant.engineer);
  const startedOn = utcDay(tenant.startedOn);

  return integrationsOf(tenant).map((integration) => {
    const { verdicts, stale } = byIntegration.get(integration) ?? { verdicts: [], stale: false };
    // Not started until a check looked at the integration while it was in scope (its stored
    // verdicts are all not_applicable before that, or absent after a check --integration).
    const status = (checked && observedStatus(verdicts)) || 'not_started';
    const seen = status !== 'not_started';
    const counts = seen ? progress(verdicts) : { done: 0, applicable: applicableSteps(tenant, integration) };
    const next = seen ? nextStep(verdicts, allVerdicts) : null;
    const stage = stageOfIntegration(integration);
    const scoped = integration === 'access' ? null : integration;
    return {
      tenant_id: tenant.tenantId,
      tenant_name: name,
      domain,
      engagement_manager: engagementManager,
      engineer,
      integration,
      option: optionOf(tenant, integration),
      status,
      done_steps: counts.done,
      applicable_steps: counts.applicable,
      percent: percent(counts),
      next_step: next?.stepId ?? null,
      next_step_title: next ? text(next.title) : null,
      owner: seen ? (next?.owner ?? 'none') : 'expel',
      blocking_reason: seen ? text(next?.reason) : 'Not checked yet',
      started_on: startedOn,
      device_added_on: scoped ? utcDay(tenant.deviceAdded[scoped] ?? firstDone(API_ACCESS_STEP[scoped])) : null,
      first_alert_on: scoped ? utcDay(firstDone(`${scoped}.alerts`)) : null,
      completed_on: utcDay(stage?.firstCompletedAt),
      days_in_stage: daysSince(stage?.since ?? null, now),
      last_checked: history.lastChecked,
      stale: checkedStale || stale,
    };
  });
}

function applicableSteps(tenant: Tenant, integration: IntegrationId): number {
  return STEPS.filter((step) => step.integration === integration && step.applies(tenant)).length;
}

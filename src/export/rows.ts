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
  daysInStage,
  integrationStatus,
  isStale,
  nextStep,
  percent,
  progress,
  statusTimeline,
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
  /** Every stored check, oldest first; only called for tenants that have been checked. */
  checks: () => readonly TenantCheck[];
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
  const byStep = new Map(history.states.map((state) => [state.stepId, state]));
  // The analyst's view: an error never hides the last real verdict (it is marked stale instead).
  const shown = new Map<string, { verdict: Verdict; stale: boolean }>();
  for (const state of history.states) shown.set(state.stepId, analystView(state.latest, state.latestReal));
  const allVerdicts = [...shown.values()].map((entry) => entry.verdict);
  const checks = checked ? history.checks() : [];
  const checkedStale = isStale(history.lastChecked, now, staleAfter);

  return integrationsOf(tenant).map((integration) => {
    const verdicts = allVerdicts
      .filter((verdict) => stepById(verdict.id)?.integration === integration)
      .sort((a, b) => position(a.id) - position(b.id));
    const counts = checked
      ? progress(verdicts)
      : { done: 0, applicable: applicableSteps(tenant, integration) };
    const next = checked ? nextStep(verdicts, allVerdicts) : null;
    const timeline = checked ? statusTimeline(checks, integration) : [];
    const firstDone = (stepId: string) => byStep.get(stepId)?.firstDoneAt ?? null;
    const scoped = integration === 'access' ? null : integration;
    return {
      tenant_id: tenant.tenantId,
      tenant_name: cleanText(tenant.name),
      domain: text(tenant.domain),
      engagement_manager: text(tenant.engagementManager),
      engineer: text(tenant.engineer),
      integration,
      option: optionOf(tenant, integration),
      status: integrationStatus(verdicts, checked),
      done_steps: counts.done,
      applicable_steps: counts.applicable,
      percent: percent(counts),
      next_step: next?.stepId ?? null,
      next_step_title: next ? text(next.title) : null,
      owner: checked ? (next?.owner ?? 'none') : 'expel',
      blocking_reason: checked ? text(next?.reason) : 'Not checked yet',
      started_on: utcDay(tenant.startedOn),
      device_added_on: scoped ? utcDay(tenant.deviceAdded[scoped] ?? firstDone(API_ACCESS_STEP[scoped])) : null,
      first_alert_on: scoped ? utcDay(firstDone(`${scoped}.alerts`)) : null,
      completed_on: utcDay(timeline.find((entry) => entry.status === 'complete')?.at),
      days_in_stage: daysInStage(timeline, now),
      last_checked: history.lastChecked,
      stale: checkedStale || verdicts.some((verdict) => shown.get(verdict.id)?.stale === true),
    };
  });
}

function applicableSteps(tenant: Tenant, integration: IntegrationId): number {
  return STEPS.filter((step) => step.integration === integration && step.applies(tenant)).length;
}

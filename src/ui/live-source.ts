// The real DashboardSource: the SQLite roster and check history, the verdict rules' derived
// views (the same ones the CSV export uses, so the screen and the spreadsheet agree), the check
// runner for re-checks, and the Microsoft access layer's device-code prompts. Only what the first
// frame needs is imported statically: the check runner and the instruction texts load on first use.
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { UserError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import type { Verdict } from '../core/status.js';
import type { IntegrationId, Tenant } from '../core/tenant.js';
import { ATTEST_LIMITS, parseExpiry } from '../commands/attest.js';
import type { Database } from '../db/database.js';
import { allCheckRecords, tenantCheckReader, type HistoryStore, type TenantCheckRecord } from '../db/history.js';
import type { RosterStore } from '../db/roster.js';
import { allTenantSummaries, tenantSummaryReader, type TenantSummaries } from '../db/summaries.js';
import { defaultExportFile, rosterExportRows, writeExportFile } from '../export/export.js';
import { cleanOrNull, integrationFacts, type TenantSummary } from '../export/rows.js';
import { integrationsOf, stepById, stepsOf } from '../integrations/catalogue.js';
import type { AccessLayer, DeviceCodePrompt } from '../microsoft/index.js';
import { tenantToFields, type TenantFields } from '../roster/fields.js';
import { validateTenant } from '../roster/validate.js';
import type { Settings } from '../settings/settings.js';
import { analystView, isAttestable, ownerOf, summarizeIntegrations, tenantProblem } from '../verdicts/derived.js';
import type { DashboardSource, RosterSnapshot, SaveResult, SignInEvent } from './source.js';
import type { AttestInput } from './state/attest-form.js';
import { evidencePairs } from './state/clean.js';
import type { TenantRecheckResult } from './state/reducer.js';
import { problemsByField } from './state/tenant-form.js';
import type { IntegrationCell, IntegrationDetail, RosterRow, StepHistoryEntry, StepView, TenantDetail } from './state/types.js';

/** Device-code prompts travel from the access layer (created first) to whoever listens. */
export interface SignInHub {
  /** Give this to the access layer as `onDeviceCode`. */
  prompt(prompt: DeviceCodePrompt): void;
  resolve(tenantId: string): void;
  subscribe(listener: (event: SignInEvent) => void): () => void;
}

export function createSignInHub(): SignInHub {
  const listeners = new Set<(event: SignInEvent) => void>();
  const pending = new Set<string>();
  const emit = (event: SignInEvent): void => {
    for (const listener of listeners) listener(event);
  };
  return {
    prompt(prompt) {
      pending.add(prompt.tenantId);
      emit({ kind: 'prompt', prompt: { ...prompt, expiresOn: null } });
    },
    resolve(tenantId) {
      if (pending.delete(tenantId)) emit({ kind: 'resolved', tenantId });
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}

export interface LiveSourceOptions {
  db: Database;
  roster: RosterStore;
  history: HistoryStore;
  settings: Settings;
  /** Created on the first re-check, so a configuration problem shows there instead of blocking the roster. */
  access: () => Promise<AccessLayer>;
  signIn: SignInHub;
  clock?: () => Date;
  /** Where the cloud's endpoints come from for instruction links (the demo passes the sim's). */
  env?: NodeJS.ProcessEnv;
}

const ACCESS_OPTION: Readonly<Record<string, string>> = { enterprise: 'enterprise app', custom: 'custom app' };

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export class LiveSource implements DashboardSource {
  private readonly summariesOf: (tenantId: string) => TenantSummaries;
  private readonly checkRecordOf: (tenantId: string) => TenantCheckRecord;
  private readonly clock: () => Date;
  private access: Promise<AccessLayer> | null = null;
  /** Re-checks still settling (they are aborted when the dashboard closes). */
  private readonly running = new Set<Promise<unknown>>();
  /** The roster as last loaded, so filling in rows does not re-read every tenant. */
  private tenants = new Map<string, Tenant>();

  constructor(private readonly options: LiveSourceOptions) {
    this.clock = options.clock ?? (() => new Date());
    this.summariesOf = tenantSummaryReader(options.db);
    this.checkRecordOf = tenantCheckReader(options.db);
  }

  /**
   * A roster row from the same facts as the export's rows (integrationFacts over the summaries
   * the history store caches), so the screen and the spreadsheet agree.
   */
  private rowOf(tenant: Tenant, record: TenantSummary, problem: string | null): RosterRow {
    const facts = integrationFacts(tenant, record, { now: this.clock(), staleAfterHours: this.options.settings.staleAfterHours });
    const integrations: IntegrationCell[] = facts.map((cell) => ({
      id: cell.integration,
      status: cell.status,
      done: cell.done,
      applicable: cell.applicable,
    }));
    const bottleneck = facts.find((cell) => cell.next !== null);
    const next = bottleneck?.next;
    // The stage that matters is the one of the integration holding the next step; when nothing
    // is left, the time since the last integration completed.
    const days = bottleneck?.daysInStage ?? minimum(facts.map((cell) => cell.daysInStage));
    const { lastChecked } = record;
    return {
      tenantId: tenant.tenantId,
      name: tenant.name,
      domain: tenant.domain,
      engineer: tenant.engineer,
      engagementManager: tenant.engagementManager,
      integrations,
      next:
        bottleneck && next
          ? {
              stepId: next.stepId,
              title: cleanOrNull(next.title) ?? next.stepId,
              status: next.status,
              owner: bottleneck.owner,
              reason: cleanOrNull(bottleneck.blockingReason) ?? '',
            }
          : null,
      daysInStage: days,
      lastCheckedAt: lastChecked,
      stale: facts.some((cell) => cell.stale) && lastChecked !== null,
      problem,
    };
  }

  /** A row from the cached summaries and the tenant's check record. */
  private cachedRow(tenant: Tenant, summaries: TenantSummaries | undefined, record: TenantCheckRecord | undefined): RosterRow {
    return this.rowOf(
      tenant,
      {
        summaries: summaries?.integrations ?? new Map(),
        lastChecked: record?.lastChecked ?? null,
        stageOf: (integration) => record?.stages.get(integration) ?? null,
      },
      summaries?.problem ?? null,
    );
  }

  /**
   * Complete rows, days in stage included, in five queries whatever the roster size: the roster
   * (three), the cached integration summaries and every tenant's last check with its stages.
   */
  async loadRoster(): Promise<RosterSnapshot> {
    const tenants = this.options.roster.list();
    const summaries = allTenantSummaries(this.options.db);
    const records = allCheckRecords(this.options.db);
    const rows = tenants.map((tenant) => this.cachedRow(tenant, summaries.get(tenant.tenantId), records.get(tenant.tenantId)));
    return { rows, lastFullCheckAt: this.lastFullCheck(tenants.length) };
  }

  /** loadRoster's rows are already complete: nothing is left to fill in. */
  async completeRows(_tenantIds: readonly string[], _options: { signal: AbortSignal; onRows(rows: RosterRow[]): void }): Promise<void> {}

  private freshRow(tenantId: string, known?: Tenant): RosterRow | null {
    const tenant = known ?? this.options.roster.get(tenantId);
    if (tenant === undefined || tenant.archived) return null;
    return this.cachedRow(tenant, this.summariesOf(tenantId), this.checkRecordOf(tenantId));
  }

  /** The newest complete run that covered every active tenant. */
  private lastFullCheck(activeTenants: number): string | null {
    if (activeTenants === 0) return null;
    for (const run of this.options.history.runs(200)) {
      if (run.state === 'complete' && run.tenantCount >= activeTenants && run.finishedAt !== null) return run.finishedAt;
    }
    return null;
  }

  async loadTenant(tenantId: string): Promise<TenantDetail> {
    const tenant = this.options.roster.get(tenantId);
    if (tenant === undefined) throw new UserError(`no tenant with ID ${tenantId} in the roster`);
    const states = this.options.history.stepStates(tenantId).get(tenantId) ?? [];
    const byStep = new Map(states.map((state) => [state.stepId, state]));
    const shownVerdicts = states.map((state) => analystView(state.latest, state.latestReal).verdict);
    const lookup = (id: string): Verdict | undefined => shownVerdicts.find((verdict) => verdict.id === id);
    const attestations = new Map(this.options.history.activeAttestations(tenantId, this.clock()).map((item) => [item.stepId, item]));
    const record = this.checkRecordOf(tenantId);
    const lastChecked = record.lastChecked;
    // Derived from the states just read (the same function the cache is written with).
    const row = this.rowOf(
      tenant,
      { summaries: summarizeIntegrations(states), lastChecked, stageOf: (integration) => record.stages.get(integration) ?? null },
      tenantProblem(states),
    );
    const integrations: IntegrationDetail[] = integrationsOf(tenant).map((integration) => {
      const cell = row.integrations.find((item) => item.id === integration) ?? { id: integration, status: 'not_started' as const, done: 0, applicable: 0 };
      const steps = stepsOf(integration).map((step): StepView => {
        const state = byStep.get(step.id);
        const view = state ? analystView(state.latest, state.latestReal) : null;
        const verdict = view?.verdict;
        const attestation = attestations.get(step.id);
        return {
          id: step.id,
          title: step.title,
          status: verdict?.status ?? (step.applies(tenant) ? 'blocked' : 'not_applicable'),
          summary: verdict?.summary ?? step.doneWhen,
          observedAt: verdict?.observedAt ?? null,
          reason: verdict?.reason ?? null,
          expectedBy: verdict?.expectedBy ?? null,
          blockedBy: verdict?.blockedBy ?? null,
          owner: verdict ? ownerOf(verdict, lookup) : step.owner,
          evidence: verdict ? evidencePairs(verdict.evidence) : [],
          latestError:
            view?.stale && view.error
              ? { reason: view.error.reason, summary: view.error.summary, observedAt: view.error.observedAt }
              : null,
          attestation: attestation
            ? { attestedBy: attestation.attestedBy, note: attestation.note, attestedAt: attestation.attestedAt, expiresAt: attestation.expiresAt }
            : null,
          attestable: isAttestable(step, tenant, state?.latest),
        };
      });
      return { ...cell, option: optionWords(tenant, integration), steps };
    });
    return {
      tenantId,
      name: tenant.name,
      domain: tenant.domain,
      engineer: tenant.engineer,
      engagementManager: tenant.engagementManager,
      lastCheckedAt: lastChecked,
      problem: row.problem,
      integrations,
    };
  }

  async loadStepHistory(tenantId: string, stepId: string): Promise<StepHistoryEntry[]> {
    return this.options.history
      .transitions(tenantId, stepId)
      .map((change) => ({ observedAt: change.at, status: change.to, summary: change.summary, reason: change.reason }))
      .reverse();
  }

  async recheck(
    tenantIds: readonly string[],
    options: { signal: AbortSignal; onTenantDone(result: TenantRecheckResult): void },
  ): Promise<{ outcome: 'finished' | 'cancelled' }> {
    const tenants = tenantIds.flatMap((id) => {
      const tenant = this.options.roster.get(id);
      return tenant === undefined || tenant.archived ? [] : [tenant];
    });
    this.access ??= this.options.access();
    const access = await this.access.catch((error: unknown) => {
      this.access = null;
      throw error;
    });
    // The check runner (and with it the access layer's code) loads on the first re-check, not on start.
    const { checkSettingsFrom, runCheck } = await import('../check/runner.js');
    const run = runCheck({
      tenants,
      filter: null,
      openSession: (tenantId, signal) => access.openTenantSession(tenantId, signal),
      history: this.options.history,
      settings: checkSettingsFrom(this.options.settings),
      signal: options.signal,
      clock: this.clock,
      // Rows arrive through onTenantDone; keeping every tenant's verdicts until the run ends
      // would only grow the dashboard's memory with the roster.
      keepOutcomes: false,
      onTenantDone: (outcome) => {
        const tenantId = outcome.tenant.tenantId;
        this.options.signIn.resolve(tenantId);
        options.onTenantDone({
          tenantId,
          row: this.freshRow(tenantId, outcome.tenant),
          failure: null,
          errorSteps: outcome.verdicts.filter((verdict) => verdict.status === 'error').length,
        });
      },
    });
    this.running.add(run);
    try {
      const result = await run;
      return { outcome: result.interrupted ? 'cancelled' : 'finished' };
    } finally {
      this.running.delete(run);
      for (const tenant of tenants) this.options.signIn.resolve(tenant.tenantId);
    }
  }

  async tenantFields(tenantId: string): Promise<TenantFields> {
    const tenant = this.options.roster.get(tenantId);
    if (tenant === undefined) throw new UserError(`no tenant with ID ${tenantId} in the roster`);
    return tenantToFields(tenant);
  }

  async saveTenant(mode: 'add' | 'edit', tenantId: string | null, fields: TenantFields): Promise<SaveResult> {
    const checked = validateTenant(mode === 'edit' && tenantId !== null ? { ...fields, tenant_id: tenantId } : fields, { now: this.clock() });
    if (!checked.ok) return { ok: false, errors: problemsByField(checked.problems) };
    const { tenantId: id, archived: _archived, ...patch } = checked.tenant;
    try {
      if (mode === 'add') {
        const existing = this.options.roster.get(id);
        if (existing !== undefined) {
          return { ok: false, errors: { tenant_id: [`already in the roster as ${cleanText(existing.name)}${existing.archived ? ' (archived)' : ''}`] } };
        }
        this.options.roster.add(checked.tenant);
      } else {
        this.options.roster.update(id, patch);
      }
    } catch (error) {
      return { ok: false, errors: { '': [messageOf(error)] } };
    }
    return { ok: true, row: this.freshRow(id), message: `${mode === 'add' ? 'Added' : 'Saved'} ${cleanText(checked.tenant.name)}.` };
  }

  async attest(tenantId: string, stepId: string, input: AttestInput): Promise<SaveResult> {
    const tenant = this.options.roster.get(tenantId);
    const step = stepById(stepId);
    if (tenant === undefined || step === undefined) return { ok: false, errors: { '': ['unknown tenant or step'] } };
    const errors: Record<string, string[]> = {};
    if ([...input.attestedBy].length > ATTEST_LIMITS.by) errors.by = [`too long (at most ${ATTEST_LIMITS.by} characters)`];
    if ([...input.note].length > ATTEST_LIMITS.note) errors.note = [`too long (at most ${ATTEST_LIMITS.note} characters)`];
    let expiresAt: string | null = null;
    if (input.expires !== '') {
      try {
        expiresAt = parseExpiry(input.expires, this.clock());
      } catch (error) {
        errors.expires = [messageOf(error).replace(/^--expires:?\s*/, '')];
      }
    }
    const latest = this.options.history.latestVerdicts(tenantId).get(tenantId)?.find((verdict) => verdict.id === stepId);
    if (!isAttestable(step, tenant, latest)) {
      errors[''] = [`${step.title} can be checked from outside; record it with: expel-track attest --force --reason TEXT`];
    }
    if (Object.keys(errors).length > 0) return { ok: false, errors };
    this.options.history.addAttestation({
      tenantId,
      stepId,
      attestedBy: input.attestedBy,
      note: input.note,
      attestedAt: this.clock().toISOString(),
      expiresAt,
      forcedReason: null,
    });
    return { ok: true, row: null, message: `Attestation recorded for ${step.title}; it counts as attested from the next check (r).` };
  }

  async instructions(tenantId: string): Promise<string> {
    return (await this.renderInstructions(tenantId, 'text')).document;
  }

  async writeInstructions(tenantId: string): Promise<string> {
    const { tenant, document } = await this.renderInstructions(tenantId, 'md');
    const now = this.clock();
    const file = path.join(this.options.settings.exportDir, `instructions-${fileSlug(tenant.name)}-${timestamp(now)}.md`);
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, document, { encoding: 'utf8', mode: 0o600 });
    return file;
  }

  /** Built from the stored history, exactly as `expel-track instructions` builds them. */
  private async renderInstructions(tenantId: string, format: 'md' | 'text'): Promise<{ tenant: Tenant; document: string }> {
    // Loaded when first asked for: the first frame does not need the instruction texts.
    const [{ renderInstructions }, { instructionSettingsFrom, verdictsForInstructions }] = await Promise.all([
      import('../instructions/index.js'),
      import('../instructions/settings.js'),
    ]);
    const tenant = this.options.roster.get(tenantId);
    if (tenant === undefined) throw new UserError(`no tenant with ID ${tenantId} in the roster`);
    const states = this.options.history.stepStates(tenantId).get(tenantId) ?? [];
    const document = renderInstructions({
      tenant,
      verdicts: verdictsForInstructions(states),
      settings: instructionSettingsFrom(this.options.settings, this.options.env ?? process.env),
      format,
    });
    return { tenant, document };
  }

  async exportRoster(): Promise<{ file: string; rows: number }> {
    const now = this.clock();
    const file = defaultExportFile(this.options.settings.exportDir, 'csv', now);
    let count = 0;
    const rows = rosterExportRows(this.options.db, { now, staleAfterHours: this.options.settings.staleAfterHours });
    const counted = (function* () {
      for (const row of rows) {
        count += 1;
        yield row;
      }
    })();
    await writeExportFile(counted, file, { format: 'csv' });
    return { file, rows: count };
  }

  onSignIn(listener: (event: SignInEvent) => void): () => void {
    return this.options.signIn.subscribe(listener);
  }

  /** Waits for aborted re-checks to settle (they still close their run in the database), then closes connections. */
  async shutdown(): Promise<void> {
    await Promise.allSettled([...this.running]);
    const access = await this.access?.catch(() => null);
    access?.close();
  }
}

/** A file-name-safe form of a tenant name. */
function fileSlug(name: string): string {
  const slug = cleanText(name).toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return slug === '' ? 'tenant' : slug;
}

const timestamp = (now: Date): string => now.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

function minimum(values: ReadonlyArray<number | null>): number | null {
  const known = values.filter((value): value is number => value !== null);
  return known.length === 0 ? null : Math.min(...known);
}

function optionWords(tenant: Tenant, integration: IntegrationId): string | null {
  if (integration === 'mde' || integration === 'azure') return ACCESS_OPTION[tenant.options[integration]] ?? null;
  if (integration === 'mdi') return 'custom app';
  if (integration === 'm365') return 'enterprise app';
  return null;
}

// Turns a tenant's latest verdicts into the customer's document: only steps that are not done,
// grouped by integration in guide order. A blocked step is not a to-do of its own: it is shown
// under the step that blocks it ("After that: …"), because the customer can only do it then.
// Errors are ours to fix (not the customer's), except the few whose cause sits in the customer's
// tenant (handled in steps.ts: consent for our app, the guest invitation, cross-tenant policy).
import { UserError } from '../core/errors.js';
import { cleanText } from '../core/sanitize.js';
import { isDone, type Verdict } from '../core/status.js';
import type { IntegrationId, Tenant } from '../core/tenant.js';
import { STEPS, integrationsOf } from '../integrations/catalogue.js';
import { guestEmailFor } from '../probes/guest.js';
import { rootCause } from '../verdicts/derived.js';
import { formatDay } from './dates.js';
import { joinRich, rich, type InstructionDocument, type Item, type Rich, type Section } from './document.js';
import { renderDocument, type InstructionFormat } from './render.js';
import { INTEGRATION_NAMES, describeStep, type InstructionSettings, type StepContext } from './steps.js';

export interface InstructionsInput {
  tenant: Tenant;
  /**
   * The latest verdict of each step for this tenant (what `check` stored). Prefer the analyst
   * view (an `error` replaced by the last real verdict) so a passing hiccup does not hide a to-do.
   */
  verdicts: readonly Verdict[];
  settings: InstructionSettings;
  /** Who signs the message; default: the tenant's onboarding engineer, else the team. */
  signedBy?: string | null;
}

/** Steps that gate every other check: their dependents are summarised, not listed. */
const GATES = new Set(['access.tenant', 'access.probe-access']);

interface Todo {
  stepId: string;
  integration: IntegrationId;
  item: Item;
  then: Item[];
  thenNotes: Rich[];
}

export function buildInstructions(input: InstructionsInput): InstructionDocument {
  const { tenant, settings } = input;
  const byId = new Map(input.verdicts.map((verdict) => [verdict.id, verdict]));
  const lookup = (id: string) => byId.get(id);
  const integrations = integrationsOf(tenant);
  const steps = STEPS.filter((step) => integrations.includes(step.integration));
  const applicable = steps
    .map((step) => byId.get(step.id))
    .filter((verdict): verdict is Verdict => verdict !== undefined && verdict.status !== 'not_applicable');
  if (applicable.length === 0) {
    throw new UserError(
      `${cleanText(tenant.name)} (${tenant.tenantId}) has not been checked yet: run \`expel-track check ${tenant.tenantId}\` first`,
    );
  }

  const guestEmail = guestEmailFor(tenant, settings.guestEmailDomain);
  const context = (verdict: Verdict | null): StepContext => ({ tenant, settings, guestEmail, verdict, verdictOf: lookup });

  const todos = new Map<string, Todo>();
  const inProgress = new Map<IntegrationId, Rich[]>();
  const blocked: Verdict[] = [];
  let uncheckedOnOurSide = false;

  for (const step of steps) {
    const verdict = byId.get(step.id);
    if (!verdict) {
      // Applies but has no verdict (e.g. added to the catalogue after the last check).
      if (step.applies(tenant)) uncheckedOnOurSide = true;
      continue;
    }
    if (verdict.status === 'not_applicable' || isDone(verdict.status)) continue;
    if (verdict.status === 'blocked') {
      blocked.push(verdict);
      continue;
    }
    const outcome = describeStep(step.id, context(verdict));
    if (outcome.kind === 'todo') {
      todos.set(step.id, { stepId: step.id, integration: step.integration, item: outcome.item, then: [], thenNotes: [] });
    } else if (outcome.kind === 'progress') {
      inProgress.set(step.integration, [...(inProgress.get(step.integration) ?? []), outcome.line]);
    } else if (verdict.status === 'error') {
      uncheckedOnOurSide = true;
    }
  }

  const gateNote = rich`Once this is done, we can check the rest of your setup and will tell you if anything else is needed.`;
  for (const verdict of blocked) {
    const root = rootCause(verdict, lookup);
    const owner = todos.get(root.id);
    if (!owner) {
      // Held back by something under way or by our own problem: nothing for the customer yet.
      if (root.status === 'error' || root.status === 'blocked') uncheckedOnOurSide = true;
      continue;
    }
    if (GATES.has(root.id)) {
      if (!owner.thenNotes.includes(gateNote)) owner.thenNotes.push(gateNote);
      continue;
    }
    const outcome = describeStep(verdict.id, context(null));
    if (outcome.kind === 'todo') owner.then.push(outcome.item);
    else if (outcome.kind === 'progress') owner.thenNotes.push(outcome.line);
  }

  const sections: Section[] = [];
  for (const integration of integrations) {
    const items = [...todos.values()]
      .filter((t) => t.integration === integration)
      .map((t) => ({ ...t.item, then: t.then, thenNotes: t.thenNotes }));
    const lines = inProgress.get(integration) ?? [];
    if (items.length > 0 || lines.length > 0) {
      sections.push({ heading: INTEGRATION_NAMES[integration], items, inProgress: lines });
    }
  }

  const itemCount = todos.size;
  const allDone = applicable.every((verdict) => isDone(verdict.status)) && !uncheckedOnOurSide;
  const kind: InstructionDocument['kind'] = itemCount > 0 ? 'remaining' : allDone ? 'all-set' : 'nothing-to-do';
  const checkedOn = latestObservation(applicable);
  const scope = scopeText(tenant);
  const ourSide = uncheckedOnOurSide
    ? [rich`A few items could not be checked from our side yet; we will follow up if any of them needs something from you.`]
    : [];

  const intro: Rich[] =
    kind === 'remaining'
      ? [
          rich`Thank you for working with us on connecting ${scope} to Expel. When we last checked your Microsoft setup${checkedOn ? rich` on ${checkedOn}` : []}, ${itemCount === 1 ? rich`one item was` : rich`${itemCount} items were`} still open on your side; everything else we check is already in place.`,
        ]
      : kind === 'all-set'
        ? [
            rich`Good news: when we checked your Microsoft setup${checkedOn ? rich` on ${checkedOn}` : []}, everything Expel needs for ${scope} was in place. You're all set; there is nothing more for you to do.`,
          ]
        : [
            rich`Everything we need from you for ${scope} is in place${checkedOn ? rich` as of ${checkedOn}` : []}; there is nothing for you to do right now.`,
          ];

  const closing: Rich[] =
    kind === 'remaining'
      ? [
          ...ourSide,
          rich`When you have made these changes, reply to this message and we will check again. If anything is unclear, we are happy to go through it with you.`,
        ]
      : kind === 'all-set'
        ? [rich`Thank you for your help getting everything connected.`]
        : [...ourSide, rich`We will keep an eye on it and let you know if anything needs your attention.`];

  const signer = cleanText(input.signedBy ?? tenant.engineer ?? '');
  return {
    kind,
    greeting: rich`Hello ${cleanText(tenant.name)} team,`,
    intro,
    sections,
    closing,
    signOff: signer ? [rich`Kind regards,`, rich`${signer}`, rich`Expel`] : [rich`Kind regards,`, rich`The Expel onboarding team`],
  };
}

function latestObservation(verdicts: readonly Verdict[]): Rich | null {
  let latest: string | null = null;
  for (const verdict of verdicts) {
    if (!Number.isNaN(Date.parse(verdict.observedAt)) && (latest === null || verdict.observedAt > latest)) {
      latest = verdict.observedAt;
    }
  }
  return latest ? formatDay(latest) : null;
}

function scopeText(tenant: Tenant): Rich {
  const names = tenant.integrations.map((id) => rich`${INTEGRATION_NAMES[id]}`);
  return names.length > 0 ? joinRich(names) : rich`your Microsoft tenant`;
}

/**
 * The customer instructions for one tenant, ready to send: Markdown (`md`, default) for email or
 * plain text for tickets. Throws UserError when the tenant has no check results yet.
 */
export function renderInstructions(input: InstructionsInput & { format?: InstructionFormat }): string {
  return renderDocument(buildInstructions(input), input.format ?? 'md');
}

// azure.subscriptions and azure.reader-roles. Global Reader gives no Azure access: the probing
// identity sees a subscription only through an Azure role there. Role assignments are listed per
// subscription with `$filter=principalId eq …`, which ARM documents as "at, above or below the
// scope" for that principal, so a management-group or root assignment shows up too. ARM returns
// roleDefinitionId as a full path: compare its last segment, case-insensitively.
import { AZURE_ROLES, LOG_ANALYTICS_READER_STAND_INS } from '../integrations/reference.js';
import {
  errorObservation,
  fail,
  lastSegment,
  listed,
  pass,
  sameId,
  shown,
  warn,
  type Evidence,
  type Observation,
} from './observation.js';

export const SUBSCRIPTIONS_API_VERSION = '2022-12-01';
export const ROLE_ASSIGNMENTS_API_VERSION = '2022-04-01';

export interface Subscription {
  subscriptionId: string;
  displayName?: string | null;
  state?: string | null;
  tenantId?: string | null;
}

export interface ArmRoleAssignment {
  id?: string;
  name?: string;
  properties?: {
    roleDefinitionId?: string | null;
    principalId?: string | null;
    principalType?: string | null;
    scope?: string | null;
  } | null;
}

export const roleAssignmentsForPrincipalPath = (subscriptionId: string, principalId: string): string =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.Authorization/roleAssignments?$filter=${encodeURIComponent(
    `principalId eq '${principalId}'`,
  )}`;

export function evaluateSubscriptions(listedIds: readonly string[], visible: readonly Subscription[]): Observation {
  if (listedIds.length === 0) {
    return errorObservation('roster_incomplete', 'No Azure subscription is listed for this tenant in the roster', {});
  }
  const byId = new Map(visible.map((s) => [s.subscriptionId.toLowerCase(), s]));
  const invisible = listedIds.filter((id) => !byId.has(id.toLowerCase()));
  const evidence: Evidence = { listed: listedIds.length, visible: listedIds.length - invisible.length };
  if (invisible.length > 0) {
    return fail(`Subscription(s) not visible to the probing identity: ${listed(invisible, 3)}`, {
      ...evidence,
      invisible,
    });
  }
  const notEnabled = listedIds
    .map((id) => byId.get(id.toLowerCase())!)
    .filter((s) => s.state && s.state !== 'Enabled')
    .map((s) => ({ subscriptionId: s.subscriptionId, state: shown(s.state) }));
  if (notEnabled.length > 0) {
    return warn(`Every listed subscription is visible, but ${notEnabled.length} is not Enabled`, {
      ...evidence,
      notEnabled,
    });
  }
  return pass(`All ${listedIds.length} listed subscription(s) are visible`, evidence);
}

/** True when an assignment's scope is the subscription itself or above it (management group, root). */
export function coversSubscription(scope: string | null | undefined, subscriptionId: string): boolean {
  if (typeof scope !== 'string' || scope === '') return false;
  const normalised = scope.toLowerCase().replace(/\/+$/, '');
  const subscription = `/subscriptions/${subscriptionId.toLowerCase()}`;
  if (normalised === subscription) return true;
  // Anything under /subscriptions/ is either another subscription or below one: not above ours.
  return !normalised.startsWith('/subscriptions/');
}

/** Role definition GUIDs the principal holds at (or above) a scope test. */
export function rolesHeld(
  principalId: string,
  assignments: readonly ArmRoleAssignment[],
  inScope: (scope: string | null | undefined) => boolean,
): Set<string> {
  const held = new Set<string>();
  for (const a of assignments) {
    const p = a.properties;
    if (!p) continue;
    if (p.principalId && !sameId(p.principalId, principalId)) continue;
    if (inScope(p.scope)) held.add(lastSegment(p.roleDefinitionId));
  }
  return held;
}

export interface ReaderRolePrincipal {
  /** 'the Expel app' / 'the guest' */
  label: string;
  principalId: string;
  /** Assignments listed at each subscription (keyed by subscription ID). */
  assignments: ReadonlyMap<string, readonly ArmRoleAssignment[]>;
}

type Coverage = 'reader-role' | 'broader' | 'reader-only' | 'none';

function coverage(held: Set<string>): { level: Coverage; stoodInBy?: string } {
  if (held.has(AZURE_ROLES.logAnalyticsReader.id)) return { level: 'reader-role' };
  const standIn = LOG_ANALYTICS_READER_STAND_INS.find((role) => held.has(role.id));
  if (standIn) return { level: 'broader', stoodInBy: standIn.displayName };
  if (held.has(AZURE_ROLES.reader.id)) return { level: 'reader-only' };
  return { level: 'none' };
}

/**
 * Log Analytics Reader for each principal on each listed subscription (or above). A broader role
 * that includes its rights → `warn`; plain Reader lacks the query action → `fail`, as does nothing.
 */
export function evaluateReaderRoles(subscriptionIds: readonly string[], principals: readonly ReaderRolePrincipal[]): Observation {
  const gaps: string[] = [];
  const broader: string[] = [];
  const detail: Array<Record<string, string>> = [];
  for (const principal of principals) {
    for (const sub of subscriptionIds) {
      const assignments = principal.assignments.get(sub.toLowerCase()) ?? [];
      const held = rolesHeld(principal.principalId, assignments, (scope) => coversSubscription(scope, sub));
      const { level, stoodInBy } = coverage(held);
      if (level === 'reader-role') continue;
      detail.push({ principal: principal.label, principalId: principal.principalId, subscriptionId: sub, found: stoodInBy ?? level });
      if (level === 'broader') broader.push(`${principal.label} on ${sub} (${stoodInBy})`);
      else gaps.push(`${principal.label} on ${sub}${level === 'reader-only' ? ' (Reader only, which cannot query logs)' : ''}`);
    }
  }
  const evidence: Evidence = {
    subscriptions: subscriptionIds.length,
    principals: principals.map((p) => ({ label: p.label, principalId: p.principalId })),
  };
  if (detail.length > 0) evidence.gaps = detail;
  if (gaps.length > 0) return fail(`Log Analytics Reader missing for ${listed(gaps, 3)}`, evidence);
  if (broader.length > 0) {
    return warn(`A broader role stands in for Log Analytics Reader: ${listed(broader, 3)}`, evidence);
  }
  return pass(
    `Log Analytics Reader is assigned to ${principals.map((p) => p.label).join(' and ')} on every listed subscription`,
    evidence,
  );
}

// access.guest-role and mde.console-roles: the guest's Entra directory roles. Active assignments
// come from roleAssignments; PIM-eligible ones from roleEligibilitySchedules and only count as a
// caveat (`warn`), because an eligible role has to be activated before it grants anything.
import type { ConsoleOption } from '../core/tenant.js';
import { DIRECTORY_ROLES } from '../integrations/reference.js';
import { fail, pass, sameId, unverifiable, warn, type Evidence, type Observation } from './observation.js';

export interface DirectoryRoleAssignment {
  id?: string;
  principalId?: string;
  roleDefinitionId?: string | null;
  /** roleEligibilitySchedules carry `roleDefinitionId` too; `status` is informational. */
  status?: string | null;
}

export const roleAssignmentsPath = (principalId: string): string =>
  `/roleManagement/directory/roleAssignments?$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`;
export const roleEligibilityPath = (principalId: string): string =>
  `/roleManagement/directory/roleEligibilitySchedules?$filter=${encodeURIComponent(`principalId eq '${principalId}'`)}`;

type RoleKey = keyof typeof DIRECTORY_ROLES;

/** Role keys held, from assignments that really are this principal's (the filter is re-checked). */
function heldRoles(principalId: string, assignments: readonly DirectoryRoleAssignment[]): Set<RoleKey> {
  const held = new Set<RoleKey>();
  for (const assignment of assignments) {
    if (assignment.principalId !== undefined && !sameId(assignment.principalId, principalId)) continue;
    for (const [key, role] of Object.entries(DIRECTORY_ROLES) as Array<[RoleKey, { templateId: string }]>) {
      if (sameId(assignment.roleDefinitionId, role.templateId)) held.add(key);
    }
  }
  return held;
}

const names = (keys: Iterable<RoleKey>): string[] => [...keys].map((key) => DIRECTORY_ROLES[key].displayName).sort();

/** `eligible`: PIM eligibility schedules (empty when the tenant has no PIM licence). */
export function evaluateGuestRole(
  guestId: string,
  active: readonly DirectoryRoleAssignment[],
  eligible: readonly DirectoryRoleAssignment[],
): Observation {
  const held = heldRoles(guestId, active);
  const heldEligible = heldRoles(guestId, eligible);
  const evidence: Evidence = { guestId, activeRoles: names(held), eligibleRoles: names(heldEligible) };
  if (held.has('globalReader')) return pass('The guest holds Global Reader (active assignment)', evidence);
  if (heldEligible.has('globalReader')) {
    return warn('The guest is only eligible for Global Reader (PIM): it must be activated before each use', evidence);
  }
  return fail('The guest does not hold Global Reader', evidence);
}

type ConsoleLevel = 'full' | 'readOnly' | 'none';

function consoleLevel(held: Set<RoleKey>): ConsoleLevel {
  if (held.has('globalAdministrator') || held.has('securityAdministrator')) return 'full';
  if (held.has('securityReader') && held.has('securityOperator')) return 'full';
  if (held.has('securityReader')) return 'readOnly';
  return 'none';
}

export function evaluateConsoleRoles(
  guestId: string,
  option: ConsoleOption,
  active: readonly DirectoryRoleAssignment[],
  eligible: readonly DirectoryRoleAssignment[],
): Observation {
  if (option === 'rbac') {
    return unverifiable(
      'The tenant grants console access through Defender for Endpoint RBAC roles, which have no reliable read API: ask the customer to confirm',
      { option },
    );
  }
  const held = heldRoles(guestId, active);
  const heldEligible = heldRoles(guestId, eligible);
  const evidence: Evidence = { guestId, activeRoles: names(held), eligibleRoles: names(heldEligible) };
  const level = consoleLevel(held);
  if (level === 'full') return pass(`The guest holds ${names(held).join(', ')}`, evidence);
  const withEligible = consoleLevel(new Set([...held, ...heldEligible]));
  if (withEligible === 'full') {
    return warn('The guest reaches the console roles only through PIM-eligible assignments', evidence);
  }
  if (level === 'readOnly') {
    return warn('The guest holds Security Reader only: some EDR alerts may be hidden without Security Operator', evidence);
  }
  if (withEligible === 'readOnly') {
    return warn('The guest is only eligible (PIM) for Security Reader', evidence);
  }
  return fail(
    'The guest holds none of Security Reader + Security Operator, Security Administrator or Global Administrator',
    evidence,
  );
}

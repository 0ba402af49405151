// access.guest-invited and access.guest-redeemed: the Expel guest is looked up by email (works
// for delegated and app-only tokens alike, never /me). externalUserState and friends are only
// returned when $select'ed, so the select list below is part of the contract with Graph.
import type { Tenant } from '../core/tenant.js';
import { dayOf, errorObservation, fail, pass, shown, warn, type Evidence, type Observation } from './observation.js';

export interface GuestUser {
  id: string;
  displayName?: string | null;
  mail?: string | null;
  userPrincipalName?: string | null;
  userType?: string | null;
  creationType?: string | null;
  externalUserState?: string | null;
  externalUserStateChangeDateTime?: string | null;
  accountEnabled?: boolean | null;
  createdDateTime?: string | null;
}

export const GUEST_SELECT = [
  'id',
  'displayName',
  'mail',
  'userPrincipalName',
  'userType',
  'creationType',
  'externalUserState',
  'externalUserStateChangeDateTime',
  'accountEnabled',
  'createdDateTime',
].join(',');

/** The roster's guest email override, else `<org GUID>@<guestEmailDomain>`; null when neither is known. */
export function guestEmailFor(tenant: Pick<Tenant, 'guestEmail' | 'orgGuid'>, guestEmailDomain: string): string | null {
  const override = tenant.guestEmail?.trim();
  if (override) return override;
  const org = tenant.orgGuid?.trim();
  if (org) return `${org}@${guestEmailDomain}`;
  return null;
}

/** OData string literal: single quotes doubled. */
export const odataString = (value: string): string => `'${value.replace(/'/g, "''")}'`;

/** Graph path of the guest lookup. */
export function guestLookupPath(email: string): string {
  const filter = `mail eq ${odataString(email)}`;
  return `/users?$filter=${encodeURIComponent(filter)}&$select=${GUEST_SELECT}`;
}

export const rosterIncomplete = (): Observation =>
  errorObservation('roster_incomplete', 'The roster has neither an Expel org GUID nor a guest email for this tenant', {});

/**
 * Which user object is "the guest" when several share the email: an accepted, enabled guest
 * first, then any guest, then whatever came back first.
 */
export function pickGuest(users: readonly GuestUser[]): GuestUser | null {
  const isGuest = (u: GuestUser) => (u.userType ?? '').toLowerCase() === 'guest';
  return (
    users.find((u) => isGuest(u) && u.externalUserState === 'Accepted' && u.accountEnabled !== false) ??
    users.find(isGuest) ??
    users[0] ??
    null
  );
}

/** Only objects whose mail really is the address (a filter the service ignored must not pass). */
export function matchingUsers(email: string, users: readonly GuestUser[]): GuestUser[] {
  const wanted = email.toLowerCase();
  return users.filter((u) => typeof u.mail === 'string' && u.mail.toLowerCase() === wanted);
}

export function evaluateGuestInvited(email: string, users: readonly GuestUser[]): Observation {
  const address = shown(email);
  const matches = matchingUsers(email, users);
  const guest = pickGuest(matches);
  if (!guest) return fail(`No user with email ${address} exists in the tenant`, { email: address, found: 0 });
  const evidence: Evidence = {
    email: address,
    userId: guest.id,
    userType: guest.userType ?? null,
    createdDateTime: guest.createdDateTime ?? null,
  };
  if (matches.length > 1) {
    evidence.found = matches.length;
    return warn(`${matches.length} users share the email ${address}; judging ${guest.id}`, evidence);
  }
  if ((guest.userType ?? '').toLowerCase() === 'member') {
    return warn(`The user ${address} exists, but as a member rather than a guest`, evidence);
  }
  return pass(`Guest ${address} exists (invited ${dayOf(guest.createdDateTime)})`, evidence);
}

export function evaluateGuestRedeemed(email: string, guest: GuestUser): Observation {
  const address = shown(email);
  const evidence: Evidence = {
    userId: guest.id,
    externalUserState: guest.externalUserState ?? null,
    externalUserStateChangeDateTime: guest.externalUserStateChangeDateTime ?? null,
    accountEnabled: guest.accountEnabled ?? null,
  };
  if (guest.accountEnabled === false) return fail(`Guest ${address} is disabled (sign-in blocked)`, evidence);
  switch (guest.externalUserState) {
    case 'Accepted':
      return pass(`Guest ${address} accepted the invitation on ${dayOf(guest.externalUserStateChangeDateTime)}`, evidence);
    case 'PendingAcceptance':
      return fail(`Guest ${address} has not accepted the invitation yet`, evidence);
    case null:
    case undefined:
      return fail(`User ${address} has no invitation state: it was not invited as a B2B guest`, evidence);
    default:
      return errorObservation(
        'unexpected_response',
        `Guest ${address} has an unknown invitation state ${shown(guest.externalUserState)}`,
        { ...evidence, externalUserState: shown(guest.externalUserState) },
      );
  }
}

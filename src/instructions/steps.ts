// What the customer reads for each step that is not done: what to do, where in which portal,
// the values for this tenant, and how to check it worked. Written in our own words from the
// facts in ../shared/guides/. Only verdict evidence and roster/settings values are used, never a
// verdict's summary (that is analyst text) and never notes.
import type { ErrorReason, Verdict } from '../core/status.js';
import type { ScopedIntegrationId, Tenant } from '../core/tenant.js';
import {
  AZURE_APP_PERMISSIONS,
  ENTERPRISE_APP_NAMES,
  MDE_CUSTOM_APP_PERMISSIONS,
  MDI_APP_PERMISSIONS,
  MDI_SECRET_GUIDANCE,
  RESOURCES,
  STORAGE_LOG_CATEGORIES,
  customAppName,
  stepById,
  type PermissionRequirement,
} from '../integrations/catalogue.js';
import {
  bullets,
  code,
  command,
  confirm,
  joinRich,
  labelled,
  link,
  para,
  rich,
  stepsBlock,
  strong,
  where,
  type Block,
  type Inline,
  type Item,
  type Rich,
} from './document.js';
import { formatDay, formatInstant } from './dates.js';

/** Settings the wording needs (from `config`; see contract.md "Settings keys"). */
export interface InstructionSettings {
  /** Expel's tenant ID for cross-tenant access. */
  expelTenantId: string;
  /** Guest email domain: the guest is `<org GUID>@<domain>` unless the roster overrides it. */
  guestEmailDomain: string;
  /** The tracker's own public client app, for the admin-consent link; null when not configured. */
  trackerClientId: string | null;
  /** The configured cloud's sign-in host, e.g. https://login.microsoftonline.com. */
  authorityHost: string;
  /** Expel's enterprise app IDs, for admin-consent links; missing when not configured. */
  expelAppIds: Partial<Record<'mde' | 'm365' | 'azure', string | null>>;
  /** Alerts are expected this many hours after setup (steps.md default 36–72). */
  alertWindowHours: readonly [number, number];
}

export interface StepContext {
  tenant: Tenant;
  settings: InstructionSettings;
  /** The Expel guest's email for this tenant, or null when the roster gives neither GUID nor email. */
  guestEmail: string | null;
  /** The step's verdict; null when it is shown under the step that blocks it (not checked yet). */
  verdict: Verdict | null;
  /** The tenant's other verdicts, so one item can stand for two steps with the same fix. */
  verdictOf: (stepId: string) => Verdict | undefined;
}

/**
 * What a step contributes to the customer text: a to-do, a line saying it is under way with
 * nothing for the customer to do, or nothing at all (our own problem, or not worth a line).
 */
export type StepOutcome = { kind: 'todo'; item: Item } | { kind: 'progress'; line: Rich } | { kind: 'omit' };

const todo = (title: Rich, blocks: Array<Block | null | false | undefined>): StepOutcome => ({
  kind: 'todo',
  item: { title, blocks: blocks.filter((b): b is Block => Boolean(b)), then: [], thenNotes: [] },
});
const progress = (line: Rich): StepOutcome => ({ kind: 'progress', line });
const OMIT: StepOutcome = { kind: 'omit' };

// ---------------------------------------------------------------- evidence readers

const evidenceOf = (ctx: StepContext): Record<string, unknown> => ctx.verdict?.evidence ?? {};
const textOf = (e: Record<string, unknown>, key: string): string | null =>
  typeof e[key] === 'string' && (e[key] as string).trim() !== '' ? (e[key] as string) : null;
const textsOf = (e: Record<string, unknown>, key: string): string[] =>
  Array.isArray(e[key]) ? (e[key] as unknown[]).filter((x): x is string => typeof x === 'string' && x.trim() !== '') : [];
const recordOf = (e: Record<string, unknown>, key: string): Record<string, unknown> | null => {
  const v = e[key];
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
};
const recordsOf = (e: Record<string, unknown>, key: string): Record<string, unknown>[] =>
  Array.isArray(e[key])
    ? (e[key] as unknown[]).filter((x): x is Record<string, unknown> => x !== null && typeof x === 'object' && !Array.isArray(x))
    : [];

const statusOf = (ctx: StepContext) => ctx.verdict?.status ?? null;
/** A to-do state: verified not done, overdue, needs confirmation, or shown under its blocker. */
const needsCustomer = (ctx: StepContext): boolean =>
  ctx.verdict === null || ['fail', 'overdue', 'unverifiable'].includes(ctx.verdict.status);

// ---------------------------------------------------------------- shared wording

const ENTRA = 'Microsoft Entra admin center';
const AZURE = 'Azure portal';
const DEFENDER = 'Microsoft Defender portal';
const WORKBENCH = 'Expel Workbench';

export const INTEGRATION_NAMES: Readonly<Record<'access' | ScopedIntegrationId, string>> = {
  access: "Expel's access to your tenant",
  mde: 'Microsoft Defender for Endpoint',
  mdi: 'Microsoft Defender for Identity',
  m365: 'Microsoft 365',
  azure: 'Azure',
};

function guestRef(ctx: StepContext): Inline | string {
  return ctx.guestEmail ? code(ctx.guestEmail) : "Expel's guest account";
}

export function adminConsentUrl(authorityHost: string, tenantId: string, clientId: string): string {
  const host = authorityHost.replace(/\/+$/, '');
  return `${host}/${encodeURIComponent(tenantId)}/adminconsent?client_id=${encodeURIComponent(clientId)}`;
}

const workbenchDevice = (integration: ScopedIntegrationId): Rich =>
  rich`in ${WORKBENCH}, open ${strong('Organization Settings')} › ${strong('Security Devices')} and edit the ${INTEGRATION_NAMES[integration]} device`;

function enterpriseAppName(integration: 'mde' | 'm365' | 'azure'): string {
  return ENTERPRISE_APP_NAMES[integration][0] ?? `Expel ${INTEGRATION_NAMES[integration]} Integration`;
}

/** The app Expel uses for an integration, as the customer knows it. */
function integrationAppName(ctx: StepContext, integration: ScopedIntegrationId): string {
  if (integration === 'mdi') return customAppName(ctx.tenant, 'mdi');
  if (integration === 'm365') return enterpriseAppName('m365');
  return ctx.tenant.options[integration] === 'custom'
    ? customAppName(ctx.tenant, integration)
    : enterpriseAppName(integration);
}

const usesCustomApp = (ctx: StepContext, integration: ScopedIntegrationId): boolean =>
  integration === 'mdi' || (integration !== 'm365' && ctx.tenant.options[integration] === 'custom');

// ---------------------------------------------------------------- access

function accessTenant(ctx: StepContext): StepOutcome {
  if (statusOf(ctx) !== 'fail') return OMIT;
  const e = evidenceOf(ctx);
  const domain = textOf(e, 'domain') ?? ctx.tenant.domain;
  const domainTenant = textOf(e, 'domainTenantId');
  const found: Rich = domainTenant && domain
    ? rich`Your domain ${code(domain)} belongs to a different Microsoft Entra tenant (${code(domainTenant)}) than the one we have on file (${code(ctx.tenant.tenantId)}).`
    : domain && e.domainCode !== undefined
      ? rich`Your domain ${code(domain)} does not lead to a Microsoft Entra tenant, so we could not match it with the tenant ID we have on file (${code(ctx.tenant.tenantId)}).`
      : rich`Microsoft does not recognise the tenant ID we have on file for you: ${code(ctx.tenant.tenantId)}.`;
  return todo(rich`Confirm your Microsoft Entra tenant ID`, [
    para(found),
    where([ENTRA, 'Entra ID', 'Overview']),
    stepsBlock([rich`Copy the ${strong('Tenant ID')} shown on the overview page.`, rich`Reply to this message with it so we can correct our records.`]),
  ]);
}

/** Errors whose cause sits in the customer's tenant, and what we ask the customer to do about them. */
const CUSTOMER_ERRORS: Partial<Record<ErrorReason, (ctx: StepContext) => StepOutcome>> = {
  consent_missing: (ctx) => trackerConsent(ctx),
  guest_not_invited: (ctx) =>
    inviteGuest(ctx, rich`Expel's guest account could not sign in to your tenant because it has not been invited yet.`),
  guest_not_redeemed: (ctx) => resendInvitation(ctx),
  inbound_policy_blocked: (ctx) => allowExpelInbound(ctx),
  conditional_access_blocked: (ctx) => conditionalAccess(ctx),
};

export function isCustomerCausedError(reason: ErrorReason | null): boolean {
  return reason !== null && CUSTOMER_ERRORS[reason] !== undefined;
}

function probeAccess(ctx: StepContext): StepOutcome {
  const verdict = ctx.verdict;
  if (!verdict || verdict.status !== 'error' || verdict.reason === null) return OMIT;
  return CUSTOMER_ERRORS[verdict.reason]?.(ctx) ?? OMIT;
}

function trackerConsent(ctx: StepContext): StepOutcome {
  const clientId = ctx.settings.trackerClientId;
  const open: Rich = clientId
    ? rich`Open this admin-consent link: ${link(adminConsentUrl(ctx.settings.authorityHost, ctx.tenant.tenantId, clientId))}`
    : rich`Open the admin-consent link we will send you separately.`;
  return todo(rich`Approve the app Expel uses to check your setup`, [
    para(
      rich`Before we can check your configuration, an administrator in your tenant needs to give one-time admin consent to the app we use to read it. The app asks for read-only permissions and cannot change anything.`,
    ),
    stepsBlock([
      rich`Sign in as a Global Administrator or Privileged Role Administrator.`,
      open,
      rich`Review the requested permissions and select ${strong('Accept')}.`,
    ]),
    clientId
      ? confirm(
          rich`in the ${ENTRA}, ${strong('Entra ID')} › ${strong('Enterprise apps')} lists an app with the application ID ${code(clientId)}, and its ${strong('Permissions')} page shows the permissions as granted for your organization.`,
        )
      : null,
  ]);
}

function inviteGuest(ctx: StepContext, found: Rich | null): StepOutcome {
  if (!ctx.guestEmail) return OMIT; // we owe the customer the address first
  const needsGlobalReader = stepById('access.guest-role')?.applies(ctx.tenant) ?? false;
  return todo(rich`Invite Expel's guest account`, [
    found ? para(found) : null,
    where([ENTRA, 'Entra ID', 'Users', 'All users']),
    stepsBlock([
      rich`Select ${strong('New user')} › ${strong('Invite external user')}.`,
      rich`On the ${strong('Basics')} tab, enter the email ${code(ctx.guestEmail)} and the display name ${strong('Expel SOC')}.`,
      ...(needsGlobalReader
        ? [
            rich`On the ${strong('Assignments')} tab, select ${strong('Add role')} and choose ${strong('Global Reader')}, which gives read-only access to most Microsoft 365 and Azure admin consoles.`,
          ]
        : []),
      rich`Select ${strong('Review + invite')}, then ${strong('Invite')}.`,
    ]),
    confirm(rich`the account ${code(ctx.guestEmail)} appears under ${strong('All users')} with the user type ${strong('Guest')}.`),
  ]);
}

function resendInvitation(ctx: StepContext): StepOutcome {
  return todo(rich`Resend the invitation for Expel's guest account`, [
    para(rich`The invitation for ${guestRef(ctx)} has not been accepted yet, so Expel cannot sign in.`),
    where([ENTRA, 'Entra ID', 'Users', 'All users', guestRef(ctx)]),
    stepsBlock([
      rich`On the account's ${strong('Overview')}, under ${strong('B2B collaboration')}, select ${strong('Resend invitation')}.`,
      ...(crossTenantApplies(ctx)
        ? [rich`With automatic redemption turned on for Expel (see the cross-tenant access item), no further action is needed on your side.`]
        : []),
    ]),
  ]);
}

const crossTenantApplies = (ctx: StepContext): boolean => stepById('access.cross-tenant-trust')?.applies(ctx.tenant) ?? false;

const CROSS_TENANT_PATH = [ENTRA, 'Entra ID', 'External Identities', 'Cross-tenant access settings', 'Organizational settings'];

function allowExpelInbound(ctx: StepContext): StepOutcome {
  return todo(rich`Allow Expel's guest account in your cross-tenant access settings`, [
    para(rich`Your cross-tenant access settings block Expel's guest account from signing in.`),
    where(CROSS_TENANT_PATH),
    stepsBlock([
      rich`Find the organization with the tenant ID ${code(ctx.settings.expelTenantId)} (Expel), or add it with ${strong('Add organization')}.`,
      rich`Select its ${strong('Inbound access')} and, on the ${strong('B2B collaboration')} tab, allow access for Expel's users and the applications they use.`,
      rich`Select ${strong('Save')}.`,
    ]),
    confirm(rich`the Expel row shows ${strong('Configured')} under inbound access, with B2B collaboration allowed.`),
  ]);
}

function conditionalAccess(ctx: StepContext): StepOutcome {
  return todo(rich`Let Expel's guest account through Conditional Access`, [
    para(rich`A Conditional Access policy in your tenant blocks the sign-in of ${guestRef(ctx)}.`),
    where([ENTRA, 'Entra ID', 'Conditional Access', 'Policies']),
    stepsBlock([
      rich`Check the sign-in logs of ${guestRef(ctx)} to see which policy blocked it.`,
      rich`Either trust multifactor authentication and compliant devices from Expel's tenant (${code(ctx.settings.expelTenantId)}) in your cross-tenant access settings, or exclude the guest account from that policy.`,
    ]),
  ]);
}

function guestInvited(ctx: StepContext): StepOutcome {
  if (!needsCustomer(ctx)) return OMIT;
  const email = textOf(evidenceOf(ctx), 'email') ?? ctx.guestEmail;
  const found = ctx.verdict && email ? rich`We could not find a user with the email ${code(email)} in your directory.` : null;
  return inviteGuest({ ...ctx, guestEmail: email }, found);
}

function guestRedeemed(ctx: StepContext): StepOutcome {
  if (ctx.verdict === null) {
    return progress(
      rich`Expel then accepts the invitation from its side${crossTenantApplies(ctx) ? rich` (automatically, once automatic redemption is on)` : []}.`,
    );
  }
  if (ctx.verdict.status !== 'fail') return OMIT;
  const e = evidenceOf(ctx);
  if (e.accountEnabled === false) {
    return todo(rich`Re-enable Expel's guest account`, [
      para(rich`The account ${guestRef(ctx)} is disabled, so Expel cannot sign in.`),
      where([ENTRA, 'Entra ID', 'Users', 'All users', guestRef(ctx)]),
      stepsBlock([
        rich`Select ${strong('Edit properties')} and open the ${strong('Settings')} tab.`,
        rich`Tick ${strong('Account enabled')} and select ${strong('Save')}.`,
      ]),
      confirm(rich`the account's properties show ${strong('Account enabled')} as Yes.`),
    ]);
  }
  if ('externalUserState' in e && e.externalUserState === null) {
    return todo(rich`Turn Expel's account into a guest invitation`, [
      para(rich`The account ${guestRef(ctx)} exists, but it was not created by a guest invitation, so Expel cannot accept it.`),
      where([ENTRA, 'Entra ID', 'Users', 'All users', guestRef(ctx)]),
      stepsBlock([
        rich`On the account's ${strong('Overview')}, under ${strong('B2B collaboration')}, invite the account to B2B collaboration with the same email.`,
        rich`Alternatively, delete the account and invite ${guestRef(ctx)} again with ${strong('Invite external user')}.`,
      ]),
    ]);
  }
  return progress(rich`The invitation for ${guestRef(ctx)} is waiting to be accepted from Expel's side; we will take care of it.`);
}

const ASSIGNED_ROLES = (ctx: StepContext) => where([ENTRA, 'Entra ID', 'Users', 'All users', guestRef(ctx), 'Assigned roles']);

function heldRolesNote(ctx: StepContext): Block | null {
  const active = textsOf(evidenceOf(ctx), 'activeRoles');
  if (!ctx.verdict) return null;
  return active.length > 0
    ? para(rich`It currently holds: ${joinRich(active.map((role) => rich`${role}`))}.`)
    : para(rich`It currently holds no directory role.`);
}

function guestRole(ctx: StepContext): StepOutcome {
  if (!needsCustomer(ctx)) return OMIT;
  return todo(rich`Give Expel's guest account the Global Reader role`, [
    ctx.verdict ? para(rich`The account ${guestRef(ctx)} does not hold the Global Reader role.`) : null,
    heldRolesNote(ctx),
    ASSIGNED_ROLES(ctx),
    stepsBlock([
      rich`Select ${strong('Add assignments')} and choose ${strong('Global Reader')}.`,
      rich`Make it an ${strong('Active')} assignment (an eligible one would have to be activated before every use), then assign it.`,
    ]),
    confirm(rich`${strong('Assigned roles')} lists Global Reader under active assignments.`),
  ]);
}

const TRUST_OPTIONS: ReadonlyArray<[field: string, label: string]> = [
  ['isMfaAccepted', 'Trust multifactor authentication from Microsoft Entra tenants'],
  ['isCompliantDeviceAccepted', 'Trust compliant devices'],
  ['isHybridAzureADJoinedDeviceAccepted', 'Trust Microsoft Entra hybrid joined devices'],
];

/** The partner entry for Expel exists (probes write `partnerFound`; the catalogue names `partnerExists`). */
function partnerExists(e: Record<string, unknown>): boolean {
  return e.partnerFound === true || e.partnerExists === true;
}

function crossTenantTrust(ctx: StepContext): StepOutcome {
  if (!needsCustomer(ctx)) return OMIT;
  const e = evidenceOf(ctx);
  const trustSteps = (options: ReadonlyArray<[string, string]>): Rich[] => [
    rich`In the Expel row, select ${strong('Inbound access')}, open the ${strong('Trust settings')} tab and select ${strong('Customize settings')}.`,
    rich`Turn on ${joinRich(options.map(([, label]) => rich`${strong(label)}`))}.`,
    rich`Select ${strong('Save')}.`,
  ];
  if (ctx.verdict && partnerExists(e)) {
    const off = TRUST_OPTIONS.filter(([field]) => e[field] !== true);
    const shown = off.length > 0 ? off : TRUST_OPTIONS;
    return todo(rich`Trust Expel's sign-ins in your cross-tenant access settings`, [
      para(rich`Expel is in your cross-tenant access settings, but its inbound trust settings are incomplete.`),
      where(CROSS_TENANT_PATH),
      stepsBlock(trustSteps(shown)),
      confirm(rich`the Expel row's inbound trust settings show ${joinRich(shown.map(([, label]) => rich`${label}`))} turned on.`),
    ]);
  }
  return todo(rich`Add Expel to your cross-tenant access settings`, [
    ctx.verdict ? para(rich`We could not find Expel's tenant in your cross-tenant access settings.`) : null,
    where(CROSS_TENANT_PATH),
    stepsBlock([
      rich`Select ${strong('Add organization')}, enter Expel's tenant ID ${code(ctx.settings.expelTenantId)}, select Expel in the results and then ${strong('Add')}.`,
      ...trustSteps(TRUST_OPTIONS),
    ]),
    confirm(rich`the ${strong('Organizational settings')} list has an Expel row whose inbound access shows ${strong('Configured')}.`),
  ]);
}

function autoRedeem(ctx: StepContext): StepOutcome {
  if (!needsCustomer(ctx)) return OMIT;
  return todo(rich`Turn on automatic redemption for Expel`, [
    ctx.verdict ? para(rich`Invitations from Expel's tenant are not redeemed automatically yet.`) : null,
    where([...CROSS_TENANT_PATH, 'Expel', 'Inbound access', 'Trust settings']),
    stepsBlock([
      rich`Under ${strong('Automatic redemption')}, tick ${strong('Automatically redeem invitations with the tenant Expel')} (tenant ID ${code(ctx.settings.expelTenantId)}).`,
      rich`Select ${strong('Save')}.`,
    ]),
    confirm(rich`the option stays ticked when you reopen the Expel trust settings.`),
  ]);
}

// ---------------------------------------------------------------- Defender for Endpoint console

function consoleRoles(ctx: StepContext): StepOutcome {
  if (!needsCustomer(ctx)) return OMIT;
  if (ctx.tenant.options.mdeConsole === 'rbac') {
    return todo(rich`Confirm Expel's role in Microsoft Defender for Endpoint`, [
      para(
        rich`Your tenant manages Defender for Endpoint access with its own roles, which we cannot see from outside, so we need your confirmation.`,
      ),
      where([DEFENDER, 'Permissions', 'Roles']),
      stepsBlock([
        rich`Create a role for Expel (or open the existing one).`,
        rich`Give it at least ${strong('View data')}, ${strong('Security operations')}, ${strong('Threat and vulnerability management')} and ${strong('Alerts investigation')}; Expel also recommends ${strong('Active remediation actions')} and ${strong('Live response capabilities (advanced)')}.`,
        rich`Assign the role to a user group that contains ${guestRef(ctx)}.`,
      ]),
      confirm(rich`reply with a screenshot of the role's permissions and its assigned user group.`),
    ]);
  }
  return todo(rich`Give Expel's guest account the Defender security roles`, [
    ctx.verdict
      ? para(rich`The account ${guestRef(ctx)} cannot see your Defender for Endpoint alerts yet: it needs Security Reader together with Security Operator.`)
      : null,
    heldRolesNote(ctx),
    ASSIGNED_ROLES(ctx),
    stepsBlock([
      rich`Select ${strong('Add assignments')} and add ${strong('Security Reader')} and ${strong('Security Operator')} as active assignments.`,
      rich`For full access, which Expel prefers, add ${strong('Security Administrator')} as well.`,
    ]),
    confirm(rich`${strong('Assigned roles')} lists these roles under active assignments.`),
  ]);
}

// ---------------------------------------------------------------- API access

const REQUIRED_PERMISSIONS: Readonly<Record<'mde' | 'mdi' | 'azure', readonly PermissionRequirement[]>> = {
  mde: MDE_CUSTOM_APP_PERMISSIONS.current,
  mdi: MDI_APP_PERMISSIONS,
  azure: AZURE_APP_PERMISSIONS,
};

/** How the portal's "Add a permission" pane names each API. */
const API_PICKER: Readonly<Record<PermissionRequirement['resource'], string>> = {
  graph: 'Microsoft Graph',
  defenderAtp: 'APIs my organization uses › WindowsDefenderATP',
  logAnalytics: 'APIs my organization uses › Log Analytics API',
  office365Management: 'Office 365 Management APIs',
};

/**
 * The requirements still missing, from evidence (`missingByResource` keeps names apart that exist
 * on two APIs; `missing` is names only). With no evidence, everything the guide lists.
 */
function missingRequirements(ctx: StepContext, integration: 'mde' | 'mdi' | 'azure'): PermissionRequirement[] {
  const required = REQUIRED_PERMISSIONS[integration];
  const e = evidenceOf(ctx);
  const byResource = recordOf(e, 'missingByResource');
  if (byResource) {
    const wanted = new Set(
      Object.entries(byResource).flatMap(([resource, names]) =>
        Array.isArray(names) ? names.map((name) => `${resource}\u0000${String(name)}`) : [],
      ),
    );
    const found = required.filter((req) => wanted.has(`${RESOURCES[req.resource].displayName}\u0000${req.name}`));
    if (found.length > 0) return found;
  }
  const names = new Set(textsOf(e, 'missing'));
  if (names.size > 0) {
    const found = required.filter((req) => names.has(req.name));
    if (found.length > 0) return found;
  }
  return [...required];
}

/** "Add a permission" steps, one per API and permission type, naming exactly the permissions. */
function permissionSteps(missing: readonly PermissionRequirement[]): Rich[] {
  const groups = new Map<string, PermissionRequirement[]>();
  for (const req of missing) {
    const key = `${req.resource}|${req.type}`;
    groups.set(key, [...(groups.get(key) ?? []), req]);
  }
  return [...groups.values()].map((reqs) => {
    const first = reqs[0]!;
    const kind = first.type === 'Application' ? 'Application permissions' : 'Delegated permissions';
    return rich`Select ${strong('Add a permission')}, choose ${strong(API_PICKER[first.resource])}, then ${strong(kind)}, tick ${joinRich(
      reqs.map((req) => rich`${code(req.name)}`),
    )} and select ${strong('Add permissions')}.`;
  });
}

function missingList(missing: readonly PermissionRequirement[]): Block {
  const byApi = new Map<string, PermissionRequirement[]>();
  for (const req of missing) {
    const key = `${req.resource}|${req.type}`;
    byApi.set(key, [...(byApi.get(key) ?? []), req]);
  }
  return bullets(
    [...byApi.values()].map((reqs) => {
      const first = reqs[0]!;
      const type = first.type === 'Application' ? rich`application` : rich`delegated`;
      return [RESOURCES[first.resource].displayName, ...rich` (${type}): ${joinRich(reqs.map((req) => rich`${code(req.name)}`))}`];
    }),
  );
}

function customAppPermissions(ctx: StepContext, integration: 'mde' | 'mdi' | 'azure'): StepOutcome {
  const appName = customAppName(ctx.tenant, integration);
  const e = evidenceOf(ctx);
  const missing = missingRequirements(ctx, integration);
  const appPath = [ENTRA, 'Entra ID', 'App registrations', 'All applications', strong(appName), 'API permissions'];
  const grant = rich`Select ${strong('Grant admin consent for')} your organization and confirm with ${strong('Yes')}.`;
  const confirmGranted = confirm(
    rich`on the app's ${strong('API permissions')} page, every permission shows ${strong('Granted for')} your organization in the ${strong('Status')} column.`,
  );
  if (ctx.verdict && e.appExists === false) {
    return todo(rich`Create the ${strong(appName)} app registration`, [
      para(rich`We could not find an app registration named ${strong(appName)}.`),
      where([ENTRA, 'Entra ID', 'App registrations']),
      stepsBlock([
        rich`Select ${strong('New registration')}, enter the name ${strong(appName)} and choose ${strong('Accounts in this organizational directory only')}.`,
        rich`Select ${strong('Register')} and note the ${strong('Application (client) ID')} and ${strong('Directory (tenant) ID')} for Workbench.`,
        rich`Open ${strong('API permissions')} and add these:`,
        ...permissionSteps(missing),
        grant,
      ]),
      confirmGranted,
    ]);
  }
  const resourcesMissing = textsOf(e, 'resourcesNotInTenant');
  const neverConsented = ctx.verdict !== null && typeof e.servicePrincipalId !== 'string' && e.appExists !== false;
  return todo(rich`Grant the ${strong(appName)} app its API permissions`, [
    ctx.verdict
      ? para(
          neverConsented
            ? rich`The app ${strong(appName)} has not been given admin consent yet. It needs:`
            : rich`The app ${strong(appName)} is missing admin consent for:`,
        )
      : null,
    ctx.verdict ? missingList(missing) : null,
    resourcesMissing.length > 0
      ? para(
          rich`${joinRich(resourcesMissing.map((r) => rich`${r}`))} ${resourcesMissing.length === 1 ? rich`is` : rich`are`} not available in your tenant yet; the product has to be set up in the tenant before its permissions can be granted.`,
        )
      : null,
    where(appPath),
    stepsBlock([...permissionSteps(missing), grant]),
    confirmGranted,
  ]);
}

function enterpriseAppConsent(ctx: StepContext, integration: 'mde' | 'm365' | 'azure'): StepOutcome {
  const appName = enterpriseAppName(integration);
  const e = evidenceOf(ctx);
  const appId = ctx.settings.expelAppIds[integration] ?? null;
  const consentStep: Rich = appId
    ? rich`Sign in as a Global Administrator and open this admin-consent link: ${link(adminConsentUrl(ctx.settings.authorityHost, ctx.tenant.tenantId, appId))}`
    : rich`Sign in as a Global Administrator and open the Expel admin consent page linked from the ${INTEGRATION_NAMES[integration]} setup guide.`;
  const appPage = [ENTRA, 'Entra ID', 'Enterprise apps', 'All applications', strong(appName)];
  const confirmGranted = confirm(
    rich`${strong(appName)} appears under ${strong('Enterprise apps')}, and its ${strong('Permissions')} page lists the permissions as granted by an admin for your organization.`,
  );
  const resourcesMissing = textsOf(e, 'resourcesNotInTenant');
  if (ctx.verdict && resourcesMissing.length > 0) {
    return todo(rich`Set up ${INTEGRATION_NAMES[integration]} in your tenant, then consent to ${strong(appName)}`, [
      para(
        rich`${joinRich(resourcesMissing.map((r) => rich`${r}`))} is not available in your tenant yet, so the ${strong(appName)} app cannot be granted its permissions. This usually means the product has not been activated in the tenant.`,
      ),
      stepsBlock([rich`Activate ${INTEGRATION_NAMES[integration]} for your tenant.`, consentStep, rich`Review the requested permissions and select ${strong('Accept')}.`]),
      confirmGranted,
    ]);
  }
  const hasPrincipal = ctx.verdict !== null && typeof e.servicePrincipalId === 'string';
  const disabled = hasPrincipal && (e.accountEnabled === false || (!Array.isArray(e.granted) && resourcesMissing.length === 0));
  if (disabled) {
    return todo(rich`Enable the ${strong(appName)} app`, [
      para(rich`The ${strong(appName)} app is in your tenant but is disabled, so Expel cannot use it.`),
      where([...appPage, 'Properties']),
      stepsBlock([rich`Set ${strong('Enabled for users to sign in?')} to ${strong('Yes')} and select ${strong('Save')}.`]),
      confirm(rich`the app's ${strong('Properties')} page shows ${strong('Enabled for users to sign in?')} as Yes.`),
    ]);
  }
  if (hasPrincipal) {
    return todo(rich`Grant admin consent to the ${strong(appName)} app`, [
      para(rich`The ${strong(appName)} app is in your tenant, but none of its permissions has been granted admin consent.`),
      where([...appPage, 'Permissions']),
      stepsBlock([rich`Select ${strong('Grant admin consent for')} your organization, review the permissions and select ${strong('Accept')}.`]),
      confirmGranted,
    ]);
  }
  return todo(rich`Approve the ${strong(appName)} app`, [
    ctx.verdict ? para(rich`We could not find the ${strong(appName)} app in your tenant: it has not been approved yet.`) : null,
    stepsBlock([consentStep, rich`Review the requested permissions and select ${strong('Accept')}.`]),
    confirmGranted,
  ]);
}

function apiAccess(integration: 'mde' | 'azure'): (ctx: StepContext) => StepOutcome {
  return (ctx) => {
    if (!needsCustomer(ctx)) return OMIT;
    return ctx.tenant.options[integration] === 'custom'
      ? customAppPermissions(ctx, integration)
      : enterpriseAppConsent(ctx, integration);
  };
}

function mdiAppRegistered(ctx: StepContext): StepOutcome {
  if (!needsCustomer(ctx)) return OMIT;
  const appName = customAppName(ctx.tenant, 'mdi');
  return todo(rich`Create the ${strong(appName)} app registration`, [
    ctx.verdict ? para(rich`We could not find an app registration named ${strong(appName)}.`) : null,
    where([ENTRA, 'Entra ID', 'App registrations']),
    stepsBlock([
      rich`Select ${strong('New registration')}, enter the name ${strong(appName)} and choose ${strong('Accounts in this organizational directory only')}.`,
      rich`Select ${strong('Register')} and note the ${strong('Application (client) ID')} and ${strong('Directory (tenant) ID')} for Workbench.`,
    ]),
    para(
      rich`If you would rather reuse the app you created for Microsoft Defender XDR, tell us its name and we will check that one instead.`,
    ),
    confirm(rich`${strong('App registrations')} › ${strong('All applications')} lists ${strong(appName)}.`),
  ]);
}

// ---------------------------------------------------------------- client secrets

const SECRET_LIFETIME = `${MDI_SECRET_GUIDANCE.lifetimeDays} days (24 months)`;

function newSecretSteps(integration: ScopedIntegrationId): Rich[] {
  return [
    rich`Under ${strong('Client secrets')}, select ${strong('New client secret')}; describe it as ${strong(MDI_SECRET_GUIDANCE.description)} and choose ${strong(SECRET_LIFETIME)}, or the longest your policy allows.`,
    rich`Copy the secret's ${strong('Value')} straight away; it is shown only once.`,
    rich`Enter that value (not the ${strong('Secret ID')}) ${workbenchDevice(integration)}. Please do not send the secret by email.`,
  ];
}

function appSecret(integration: 'mde' | 'mdi' | 'azure'): (ctx: StepContext) => StepOutcome {
  return (ctx) => {
    if (!needsCustomer(ctx)) return OMIT;
    const appName = customAppName(ctx.tenant, integration);
    const e = evidenceOf(ctx);
    const latest = recordOf(e, 'latest');
    const endDate = latest ? textOf(latest, 'endDateTime') : null;
    const keyId = latest ? textOf(latest, 'keyId') : null;
    const found: Rich | null = !ctx.verdict
      ? null
      : endDate
        ? rich`The client secret of ${strong(appName)} expired on ${formatDay(endDate)}${keyId ? rich` (secret ID ${code(keyId)})` : []}, so Expel can no longer sign in with it.`
        : rich`The app ${strong(appName)} has no client secret yet.`;
    return todo(endDate ? rich`Replace the expired secret of ${strong(appName)}` : rich`Create a client secret for ${strong(appName)}`, [
      found ? para(found) : null,
      where([ENTRA, 'Entra ID', 'App registrations', 'All applications', strong(appName), 'Certificates & secrets']),
      stepsBlock(newSecretSteps(integration)),
      confirm(rich`${strong('Certificates & secrets')} lists a secret whose expiry date is in the future, and the device shows as healthy in Workbench.`),
    ]);
  };
}

// ---------------------------------------------------------------- polling and alerts

function polling(integration: ScopedIntegrationId): (ctx: StepContext) => StepOutcome {
  return (ctx) => {
    const name = INTEGRATION_NAMES[integration];
    if (ctx.verdict === null) return progress(rich`Expel then starts collecting ${name} data; nothing more is needed from you for that.`);
    const status = ctx.verdict.status;
    if (status === 'waiting') {
      return progress(
        ctx.verdict.expectedBy
          ? rich`Expel's ${name} connection should start reading data by ${formatInstant(ctx.verdict.expectedBy)}.`
          : rich`Expel's ${name} connection is starting up.`,
      );
    }
    const appName = integrationAppName(ctx, integration);
    if (status === 'fail') {
      if (!usesCustomApp(ctx, integration)) return OMIT; // Expel's own app: its credentials are ours
      // An expired secret already has its own item with the same fix.
      if (ctx.verdictOf(`${integration}.app-secret`)?.status === 'fail') return OMIT;
      const failure = recordOf(evidenceOf(ctx), 'lastFailure');
      const when = failure ? textOf(failure, 'createdDateTime') : null;
      const expired = failure?.errorCode === 7000222;
      return todo(rich`Replace the client secret Expel uses for ${name}`, [
        para(
          rich`Sign-ins by the ${strong(appName)} app are being refused because the secret Expel has is ${expired ? rich`expired` : rich`not valid`}${when ? rich` (last attempt ${formatInstant(when)})` : []}.`,
        ),
        where([ENTRA, 'Entra ID', 'App registrations', 'All applications', strong(appName), 'Certificates & secrets']),
        stepsBlock(newSecretSteps(integration)),
        confirm(rich`the device shows as healthy in Workbench (${strong('View details')}).`),
      ]);
    }
    if (status !== 'overdue') return OMIT;
    return todo(rich`Check the ${name} security device in Workbench`, [
      para(
        rich`Expel's ${name} connection has not signed in to your tenant yet${ctx.verdict.expectedBy ? rich`; we expected it by ${formatInstant(ctx.verdict.expectedBy)}` : []}.`,
      ),
      where([WORKBENCH, 'Organization Settings', 'Security Devices']),
      stepsBlock([
        rich`Check that a ${name} device exists and open ${strong('View details')} to see its health.`,
        rich`Check that its Directory (tenant) ID is ${code(ctx.tenant.tenantId)}.`,
        ...(usesCustomApp(ctx, integration)
          ? [
              rich`Check that the Application (client) ID is the one of ${strong(appName)} and that the secret field holds the secret's ${strong('Value')}, not its ${strong('Secret ID')}.`,
            ]
          : []),
      ]),
      confirm(rich`the device shows as healthy and polling in Workbench.`),
    ]);
  };
}

function alerts(integration: ScopedIntegrationId): (ctx: StepContext) => StepOutcome {
  return (ctx) => {
    if (ctx.verdict === null) return OMIT; // the polling line under the same blocker says it
    const name = INTEGRATION_NAMES[integration];
    const [from, to] = ctx.settings.alertWindowHours;
    if (ctx.verdict.status === 'waiting') {
      return progress(
        rich`Alerts from ${name} usually reach Expel ${from} to ${to} hours after setup while we tune the device${ctx.verdict.expectedBy ? rich`; we expect the first by ${formatInstant(ctx.verdict.expectedBy)}` : []}.`,
      );
    }
    if (ctx.verdict.status !== 'overdue') return OMIT;
    return todo(rich`No ${name} alerts have reached Expel yet`, [
      para(
        rich`It has been more than ${to} hours since setup${ctx.verdict.expectedBy ? rich` (we expected the first by ${formatInstant(ctx.verdict.expectedBy)})` : []}. We are looking into it too; these checks on your side help.`,
      ),
      stepsBlock([
        rich`In ${WORKBENCH}, open ${strong('Organization Settings')} › ${strong('Security Devices')} and check that the ${name} device shows as healthy (${strong('View details')}).`,
        rich`Check that ${name} itself is raising alerts in your Microsoft portal.`,
      ]),
      confirm(rich`${WORKBENCH} › ${strong('Dashboards')} › ${strong('Alert Analysis')} shows Expel alerts for the device.`),
    ]);
  };
}

// ---------------------------------------------------------------- Microsoft 365

function auditLog(ctx: StepContext): StepOutcome {
  if (ctx.verdict?.status === 'waiting') {
    return progress(
      rich`Microsoft 365 audit logging can take up to 60 minutes to take effect${ctx.verdict.expectedBy ? rich`; it should be active by ${formatInstant(ctx.verdict.expectedBy)}` : []}.`,
    );
  }
  if (!needsCustomer(ctx)) return OMIT;
  return todo(rich`Confirm that Microsoft 365 audit logging is on`, [
    para(rich`We cannot see this setting from outside, so we need you to check it.`),
    stepsBlock([rich`Connect to Exchange Online PowerShell (${code('Connect-ExchangeOnline')}) and run:`]),
    command('Get-AdminAuditLogConfig | Format-List UnifiedAuditLogIngestionEnabled'),
    para(
      rich`If it shows ${code('False')}, turn it on (this needs the Audit Logs role in Exchange Online, included in the Organization Management and Compliance Management role groups):`,
    ),
    command('Set-AdminAuditLogConfig -UnifiedAuditLogIngestionEnabled $true'),
    para(
      rich`Or, in the Microsoft Purview portal, open ${strong('Audit')} and select ${strong('Start recording user and admin activity')}. The change can take up to 60 minutes to take effect.`,
    ),
    confirm(rich`reply with the command's output; it should read ${code('UnifiedAuditLogIngestionEnabled : True')}.`),
  ]);
}

function m365Consent(ctx: StepContext): StepOutcome {
  return needsCustomer(ctx) ? enterpriseAppConsent(ctx, 'm365') : OMIT;
}

// ---------------------------------------------------------------- Azure

/** The principals that need Log Analytics Reader, named the way the customer finds them in IAM. */
function azurePrincipals(ctx: StepContext): { app: Rich; guest: Rich } {
  return {
    app: rich`the ${strong(integrationAppName(ctx, 'azure'))} app`,
    guest: ctx.guestEmail ? rich`the guest ${code(ctx.guestEmail)}` : rich`Expel's guest account`,
  };
}

const IAM_STEPS = (ctx: StepContext, who: Rich): Rich[] => [
  rich`Select ${strong('Access control (IAM)')} › ${strong('Add')} › ${strong('Add role assignment')} and choose ${strong('Log Analytics Reader')}.`,
  rich`Under ${strong('Members')}, select ${who}, then ${strong('Review + assign')}.`,
];

function azureSubscriptions(ctx: StepContext): StepOutcome {
  if (!needsCustomer(ctx)) return OMIT;
  const invisible = textsOf(evidenceOf(ctx), 'invisible');
  const subs = ctx.verdict && invisible.length > 0 ? invisible : ctx.tenant.subscriptions;
  if (subs.length === 0) return OMIT;
  const { app, guest } = azurePrincipals(ctx);
  return todo(rich`Give Expel access to your Azure subscriptions`, [
    para(
      rich`Expel cannot see ${subs.length === 1 ? rich`this subscription` : rich`these subscriptions`} yet. Expel's accounts only see a subscription once they hold the Log Analytics Reader role on it:`,
    ),
    bullets(subs.map((id) => rich`${code(id)}`)),
    where([AZURE, 'Subscriptions', subs.length === 1 ? code(subs[0]!) : 'each subscription above']),
    stepsBlock([...IAM_STEPS(ctx, joinRich([app, guest])), rich`If a subscription ID above is wrong or no longer in use, tell us.`]),
    confirm(rich`${strong('Access control (IAM)')} › ${strong('Role assignments')} lists Log Analytics Reader for both.`),
  ]);
}

function readerRoles(ctx: StepContext): StepOutcome {
  if (!needsCustomer(ctx)) return OMIT;
  const { app, guest } = azurePrincipals(ctx);
  const gaps = recordsOf(evidenceOf(ctx), 'gaps');
  // subscription → which principals lack the role, and whether plain Reader stands in
  const bySub = new Map<string, { app: boolean; guest: boolean; readerOnly: boolean }>();
  if (ctx.verdict && gaps.length > 0) {
    for (const gap of gaps) {
      const sub = textOf(gap, 'subscriptionId');
      if (!sub) continue;
      const entry = bySub.get(sub) ?? { app: false, guest: false, readerOnly: false };
      if (/guest/i.test(textOf(gap, 'principal') ?? '')) entry.guest = true;
      else entry.app = true;
      if (gap.found === 'reader-only') entry.readerOnly = true;
      bySub.set(sub, entry);
    }
  } else {
    for (const sub of ctx.tenant.subscriptions) bySub.set(sub, { app: true, guest: true, readerOnly: false });
  }
  if (bySub.size === 0) return OMIT;
  const who = (entry: { app: boolean; guest: boolean }): Rich =>
    joinRich([...(entry.app ? [app] : []), ...(entry.guest ? [guest] : [])]);
  const lines = [...bySub.entries()].map(
    ([sub, entry]) =>
      rich`${code(sub)}: ${who(entry)}${entry.readerOnly ? rich` (the Reader role alone cannot query logs)` : []}`,
  );
  return todo(rich`Assign Log Analytics Reader on your Azure subscriptions`, [
    para(rich`Expel needs the Log Analytics Reader role on each monitored subscription. It is still missing for:`),
    bullets(lines),
    where([AZURE, 'Subscriptions', bySub.size === 1 ? code([...bySub.keys()][0]!) : 'each subscription above']),
    stepsBlock(IAM_STEPS(ctx, rich`the accounts listed for that subscription`)),
    confirm(rich`${strong('Access control (IAM)')} › ${strong('Role assignments')} lists Log Analytics Reader for them.`),
  ]);
}

const FIREWALL_STEP = rich`If the account's ${strong('Networking')} page allows access only from selected networks, tick ${strong('Allow read access to storage logging from any network')} under exceptions; access stays controlled by the role.`;

function logStorage(ctx: StepContext): StepOutcome {
  if (!needsCustomer(ctx)) return OMIT;
  const e = evidenceOf(ctx);
  const name = ctx.verdict ? textOf(e, 'name') : null;
  const { app } = azurePrincipals(ctx);
  const blobReader = rich`select ${strong('Access control (IAM)')} › ${strong('Add')} › ${strong('Add role assignment')}, choose ${strong('Storage Blob Data Reader')} and assign it to ${app}.`;
  if (name) {
    const account = code(name);
    const kind = textOf(e, 'kind');
    const accountPath = [AZURE, 'Storage accounts', account];
    if (kind !== 'StorageV2') {
      return todo(rich`Use a general-purpose v2 account for Expel's logs`, [
        para(rich`The log storage account ${account} is of kind ${code(kind ?? 'unknown')}; Expel needs a StorageV2 (general-purpose v2) account.`),
        where(accountPath),
        stepsBlock([
          rich`Upgrade ${account} to general-purpose v2 (${strong('Settings')} › ${strong('Configuration')} › ${strong('Upgrade')}), or create a new StorageV2 account for the logs.`,
          rich`On the log account, ${blobReader}`,
        ]),
        confirm(rich`the account's ${strong('Overview')} shows the account kind StorageV2 (general purpose v2).`),
      ]);
    }
    return todo(rich`Let Expel read logs through the storage firewall of ${account}`, [
      para(rich`The log storage account ${account} only accepts selected networks, and reading logs is not allowed as an exception.`),
      where([...accountPath, 'Networking', 'Firewalls and virtual networks']),
      stepsBlock([
        rich`Under ${strong('Exceptions')}, tick ${strong('Allow read access to storage logging from any network')} and select ${strong('Save')}. Access stays controlled by the role.`,
      ]),
      confirm(rich`the exception stays ticked when you reopen the page.`),
    ]);
  }
  return todo(rich`Set up the storage account Expel reads logs from`, [
    ctx.verdict
      ? para(rich`None of the storage accounts in your monitored subscriptions gives ${app} the Storage Blob Data Reader role, so Expel has nowhere to read resource logs from.`)
      : null,
    where([AZURE, 'Storage accounts']),
    stepsBlock([
      rich`Create a StorageV2 (general-purpose v2) account in one of the monitored subscriptions, or pick an existing one, for the logs.`,
      rich`On that account, ${blobReader}`,
      FIREWALL_STEP,
    ]),
    confirm(rich`the account's ${strong('Access control (IAM)')} › ${strong('Role assignments')} lists Storage Blob Data Reader for the app.`),
  ]);
}

const SERVICE_NAMES: Readonly<Record<string, string>> = { blob: 'Blob', file: 'File', queue: 'Queue', table: 'Table' };

function storageDiagnostics(ctx: StepContext): StepOutcome {
  if (!needsCustomer(ctx)) return OMIT;
  const e = evidenceOf(ctx);
  const logAccount = ctx.verdict ? textOf(e, 'logStorageAccount') : null;
  const destination: Rich = logAccount ? rich`${code(logAccount)}` : rich`the log storage account`;
  // Evidence lists "account/service" pairs; group the services under each account.
  const byAccount = new Map<string, string[]>();
  for (const pair of ctx.verdict ? textsOf(e, 'missing') : []) {
    const cut = pair.lastIndexOf('/');
    const account = cut > 0 ? pair.slice(0, cut) : pair;
    const service = cut > 0 ? pair.slice(cut + 1) : '';
    byAccount.set(account, [...(byAccount.get(account) ?? []), SERVICE_NAMES[service] ?? service]);
  }
  const categories = joinRich(STORAGE_LOG_CATEGORIES.map((c) => rich`${strong(c)}`));
  return todo(rich`Send storage account logs to ${destination}`, [
    byAccount.size > 0
      ? para(rich`These storage accounts do not send their read, write and delete logs to ${destination} yet:`)
      : para(rich`Every storage account in the monitored subscriptions should send its read, write and delete logs to ${destination}.`),
    byAccount.size > 0
      ? bullets(
          [...byAccount.entries()].map(
            ([account, services]) => rich`${code(account)}: ${joinRich(services.filter(Boolean).map((s) => rich`${s}`))}`,
          ),
        )
      : null,
    where([
      AZURE,
      'Storage accounts',
      byAccount.size === 1 ? code([...byAccount.keys()][0]!) : byAccount.size > 1 ? 'each account above' : 'each storage account',
      'Monitoring',
      'Diagnostic settings',
    ]),
    stepsBlock([
      byAccount.size > 0
        ? rich`Select each listed service (blob, file, queue or table) and then ${strong('Add diagnostic setting')}.`
        : rich`Select each service (blob, file, queue and table) and then ${strong('Add diagnostic setting')}.`,
      rich`Tick the log categories ${categories}.`,
      rich`Choose ${strong('Archive to a storage account')}, select ${destination} and ${strong('Save')}.`,
    ]),
    confirm(rich`each service's ${strong('Diagnostic settings')} page lists a setting that archives to ${destination}.`),
  ]);
}

// ---------------------------------------------------------------- table

type Describe = (ctx: StepContext) => StepOutcome;

/** One entry per catalogue step (a test checks none is missing). */
export const STEP_TEXT: Readonly<Record<string, Describe>> = {
  'access.tenant': accessTenant,
  'access.probe-access': probeAccess,
  'access.guest-invited': guestInvited,
  'access.guest-redeemed': guestRedeemed,
  'access.guest-role': guestRole,
  'access.cross-tenant-trust': crossTenantTrust,
  'access.auto-redeem': autoRedeem,
  'mde.console-roles': consoleRoles,
  'mde.api-access': apiAccess('mde'),
  'mde.app-secret': appSecret('mde'),
  'mde.polling': polling('mde'),
  'mde.alerts': alerts('mde'),
  'mdi.app-registered': mdiAppRegistered,
  'mdi.api-permissions': (ctx) => (needsCustomer(ctx) ? customAppPermissions(ctx, 'mdi') : OMIT),
  'mdi.app-secret': appSecret('mdi'),
  'mdi.polling': polling('mdi'),
  'mdi.alerts': alerts('mdi'),
  'm365.audit-log': auditLog,
  'm365.api-consent': m365Consent,
  'm365.polling': polling('m365'),
  'm365.alerts': alerts('m365'),
  'azure.api-access': apiAccess('azure'),
  'azure.app-secret': appSecret('azure'),
  'azure.subscriptions': azureSubscriptions,
  'azure.reader-roles': readerRoles,
  'azure.log-storage': logStorage,
  'azure.storage-diagnostics': storageDiagnostics,
  // Only recommended: never `fail`, so never a to-do.
  'azure.defender-plans': () => OMIT,
  'azure.polling': polling('azure'),
  'azure.alerts': alerts('azure'),
};

/** A step the table does not know (a newer catalogue): its plain "done when" line. */
function fallback(ctx: StepContext, stepId: string): StepOutcome {
  if (!needsCustomer(ctx)) return OMIT;
  const step = stepById(stepId);
  if (!step) return OMIT;
  return todo(rich`${step.title}`, [para(rich`Please make sure that ${step.doneWhen}.`)]);
}

export function describeStep(stepId: string, ctx: StepContext): StepOutcome {
  return (STEP_TEXT[stepId] ?? ((c: StepContext) => fallback(c, stepId)))(ctx);
}


// The probe of every catalogue step: reads through the tenant's ProbeContext, then hands what it
// saw to the pure evaluation of its concern. A read that fails becomes an `error` observation
// (never `fail`); an aborted run rethrows so nothing partial is judged.
import type { ScopedIntegrationId } from '../core/tenant.js';
import {
  ALERT_SERVICE_SOURCES,
  AZURE_APP_PERMISSIONS,
  ENTERPRISE_APP_RESOURCE,
  MDE_CUSTOM_APP_PERMISSIONS,
  MDI_APP_PERMISSIONS,
  PREREQUISITE_EVIDENCE,
  STEPS,
  type PermissionRequirement,
} from '../integrations/catalogue.js';
import { isAbortError } from '../microsoft/transport.js';
import { evaluateAlerts, type SecurityAlert } from './alerts.js';
import { evaluateCustomAppConsent, evaluateEnterpriseApp } from './app-consent.js';
import { evaluateAppRegistered, evaluateSecret } from './app-registration.js';
import { evaluateReaderRoles, evaluateSubscriptions } from './azure-subscriptions.js';
import { INTEGRATION_NAMES, type CustomIntegration, type EnterpriseIntegration, type ProbeContext } from './context.js';
import { evaluateAutoRedeem, evaluateCrossTenantTrust, findPartner, type DefaultPolicy } from './cross-tenant.js';
import { evaluateDefenderPlans, type Pricing } from './defender-plans.js';
import { evaluateDiagnostics, servicesOf, type AccountDiagnostics, type DiagnosticSetting } from './diagnostics.js';
import { evaluateGuestInvited, evaluateGuestRedeemed, rosterIncomplete } from './guest.js';
import {
  fail,
  guarded,
  observationFromError,
  pending,
  sameId,
  unverifiable,
  type Observation,
} from './observation.js';
import { evaluateConsoleRoles, evaluateGuestRole } from './roles.js';
import { evaluatePolling, signInWindowStart } from './sign-in-activity.js';
import { evaluateProbeAccess, evaluateTenantDiscovery } from './tenant-access.js';

export type Probe = (ctx: ProbeContext) => Promise<Observation>;

const guard = guarded;

// ---------------------------------------------------------------------------------------------
// access

const tenantProbe: Probe = (ctx) =>
  guard('tenant discovery', async () => {
    const { tenantId, domain } = ctx.tenant;
    const [byId, byDomain] = await Promise.all([
      ctx.session.discover(tenantId),
      domain ? ctx.session.discover(domain) : Promise.resolve(null),
    ]);
    return evaluateTenantDiscovery(tenantId, byId, domain && byDomain ? { domain, result: byDomain } : null);
  });

const probeAccess: Probe = (ctx) =>
  guard('the directory', async () => {
    await ctx.signIn();
    // The token works: start every read the in-scope steps need, the directory read among them.
    const organization = ctx.organization();
    ctx.prefetch();
    return evaluateProbeAccess(ctx.tenant.tenantId, await organization);
  });

async function requireGuest(ctx: ProbeContext) {
  const guest = await ctx.guest();
  if (!guest) throw new Error('the guest was not found, although access.guest-invited passed');
  return guest;
}

const guestInvited: Probe = (ctx) =>
  guard('the guest user', async () => {
    const email = ctx.guestEmail;
    if (!email) return rosterIncomplete();
    return evaluateGuestInvited(email, await ctx.guestUsers());
  });

const guestRedeemed: Probe = (ctx) =>
  guard('the guest user', async () => evaluateGuestRedeemed(ctx.guestEmail ?? '', await requireGuest(ctx)));

const guestRole: Probe = (ctx) =>
  guard("the guest's directory roles", async () => {
    const guest = await requireGuest(ctx);
    const active = await ctx.activeRoles(guest.id);
    // PIM eligibility only matters when the active assignments do not already decide.
    const decided = evaluateGuestRole(guest.id, active, []);
    if (decided.status === 'pass') return decided;
    return evaluateGuestRole(guest.id, active, await ctx.eligibleRoles(guest.id));
  });

async function crossTenant(ctx: ProbeContext) {
  const defaults: Promise<DefaultPolicy> = ctx.defaultPolicy().then(
    (policy) => ({ ok: true as const, policy }),
    (error: unknown) => {
      if (isAbortError(error)) throw error;
      return { ok: false as const, failure: observationFromError(error, 'the default cross-tenant access policy') };
    },
  );
  const partner = findPartner(await ctx.partners(), ctx.settings.expelTenantId);
  return { partner, defaults: await defaults };
}

const crossTenantTrust: Probe = (ctx) =>
  guard('the cross-tenant access policy', async () => {
    const { partner, defaults } = await crossTenant(ctx);
    return evaluateCrossTenantTrust(ctx.settings.expelTenantId, partner, defaults);
  });

const autoRedeem: Probe = (ctx) =>
  guard('the cross-tenant access policy', async () => {
    const { partner, defaults } = await crossTenant(ctx);
    return evaluateAutoRedeem(ctx.settings.expelTenantId, partner, defaults);
  });

// ---------------------------------------------------------------------------------------------
// apps and permissions


async function enterpriseAccess(ctx: ProbeContext, integration: EnterpriseIntegration): Promise<Observation> {
  const enterprise = await ctx.enterpriseApp(integration);
  const expectedResource = ENTERPRISE_APP_RESOURCE[integration];
  const sp = enterprise.servicePrincipal;
  const [resources, snapshot] = await Promise.all([
    ctx.resourcePrincipals([expectedResource]),
    sp ? ctx.consent(sp) : Promise.resolve(null),
  ]);
  return evaluateEnterpriseApp({
    label: `Expel ${INTEGRATION_NAMES[integration]}`,
    servicePrincipal: sp,
    matchedBy: enterprise.matchedBy,
    searched: enterprise.searched,
    expectedResource,
    resources,
    snapshot,
  });
}

async function customAccess(
  ctx: ProbeContext,
  integration: CustomIntegration,
  current: readonly PermissionRequirement[],
  older?: readonly PermissionRequirement[],
): Promise<Observation> {
  const { app, displayName } = await ctx.customApp(integration);
  if (!app) {
    return fail(`No app registration named "${displayName}" exists`, {
      displayName,
      [PREREQUISITE_EVIDENCE.appExists]: false,
    });
  }
  const sp = await ctx.customAppPrincipal(integration);
  const [resources, snapshot] = await Promise.all([
    ctx.resourcePrincipals([...current, ...(older ?? [])].map((p) => p.resource)),
    sp ? ctx.consent(sp) : Promise.resolve(null),
  ]);
  const observation = evaluateCustomAppConsent({ appName: displayName, app, servicePrincipal: sp, current, older, resources, snapshot });
  return { ...observation, evidence: { ...observation.evidence, [PREREQUISITE_EVIDENCE.appExists]: true } };
}

const mdeApiAccess: Probe = (ctx) =>
  guard("the Defender for Endpoint app's permissions", () =>
    ctx.usesCustomApp('mde')
      ? customAccess(ctx, 'mde', MDE_CUSTOM_APP_PERMISSIONS.current, MDE_CUSTOM_APP_PERMISSIONS.older)
      : enterpriseAccess(ctx, 'mde'),
  );

const mdiAppRegistered: Probe = (ctx) =>
  guard('the app registrations', async () => {
    const { displayName, applications } = await ctx.customApp('mdi');
    return evaluateAppRegistered(displayName, applications);
  });

const mdiApiPermissions: Probe = (ctx) =>
  guard("the Defender for Identity app's permissions", () => customAccess(ctx, 'mdi', MDI_APP_PERMISSIONS));

const m365ApiConsent: Probe = (ctx) =>
  guard("the Microsoft 365 app's consent", () => enterpriseAccess(ctx, 'm365'));

const azureApiAccess: Probe = (ctx) =>
  guard("the Azure app's permissions", () =>
    ctx.usesCustomApp('azure') ? customAccess(ctx, 'azure', AZURE_APP_PERMISSIONS) : enterpriseAccess(ctx, 'azure'),
  );

const appSecret =
  (integration: CustomIntegration): Probe =>
  (ctx) =>
    guard("the app's client secrets", async () => {
      const { app, displayName } = await ctx.customApp(integration);
      if (!app) return fail(`No app registration named "${displayName}" exists`, { displayName });
      return evaluateSecret(app, ctx.now, ctx.settings.secretWarningDays);
    });

const consoleRoles: Probe = (ctx) =>
  guard("the guest's directory roles", async () => {
    const option = ctx.tenant.options.mdeConsole;
    if (option === 'rbac') return evaluateConsoleRoles('', option, [], []);
    const guest = await requireGuest(ctx);
    const active = await ctx.activeRoles(guest.id);
    const decided = evaluateConsoleRoles(guest.id, option, active, []);
    if (decided.status === 'pass') return decided;
    return evaluateConsoleRoles(guest.id, option, active, await ctx.eligibleRoles(guest.id));
  });

// ---------------------------------------------------------------------------------------------
// activity

const polling =
  (integration: ScopedIntegrationId): Probe =>
  (ctx) =>
    guard('sign-in activity', async () => {
      const t0 = ctx.t0(integration);
      if (!t0) return pending('The integration has not started: no device-added date and API access never done', {});
      const app = await ctx.pollingApp(integration);
      if (!app) return pending(`Expel's ${INTEGRATION_NAMES[integration]} app is not in the tenant, so it has not signed in`, {});
      const since = signInWindowStart(t0.at, ctx.now);
      return evaluatePolling(app.label, app.appId, await ctx.signIns(app.appId, t0.at), { since });
    });

const alerts =
  (integration: ScopedIntegrationId): Probe =>
  (ctx) =>
    guard('security alerts', async () => {
      const t0 = ctx.t0(integration);
      const sources = ALERT_SERVICE_SOURCES[integration];
      if (!t0) return pending('The integration has not started: no device-added date and API access never done', {});
      const found: SecurityAlert[] = (await Promise.all(sources.map((source) => ctx.alerts(source, t0.at)))).flat();
      return evaluateAlerts(INTEGRATION_NAMES[integration], sources, found, t0.at);
    });

// ---------------------------------------------------------------------------------------------
// m365

const auditLog: Probe = async () =>
  unverifiable(
    'Unified audit logging cannot be read from outside: the customer confirms it (Get-AdminAuditLogConfig shows UnifiedAuditLogIngestionEnabled True)',
    {},
  );

// ---------------------------------------------------------------------------------------------
// azure

const subscriptions: Probe = (ctx) =>
  guard('the Azure subscriptions', async () => {
    if (ctx.tenant.subscriptions.length === 0) return evaluateSubscriptions([], []);
    return evaluateSubscriptions(ctx.tenant.subscriptions, await ctx.subscriptions());
  });

const readerRoles: Probe = (ctx) =>
  guard('the Azure role assignments', async () => {
    const [guest, app] = await Promise.all([requireGuest(ctx), ctx.azureAppPrincipal()]);
    const subs = ctx.tenant.subscriptions;
    if (!app) {
      return fail("Expel's Azure app has no service principal in the tenant, so it holds no Azure role", {
        subscriptions: subs.length,
      });
    }
    const principals = [
      { label: "Expel's app", principalId: app.id },
      { label: 'the guest', principalId: guest.id },
    ];
    const withAssignments = await Promise.all(
      principals.map(async (p) => {
        const lists = await Promise.all(subs.map((sub) => ctx.armRoleAssignments(sub, p.principalId)));
        return { ...p, assignments: new Map(subs.map((sub, i) => [sub.toLowerCase(), lists[i] ?? []])) };
      }),
    );
    return evaluateReaderRoles(subs, withAssignments);
  });

const logStorage: Probe = (ctx) =>
  guard('the storage accounts', async () => {
    const result = await ctx.logStorage();
    if ('missingApp' in result) {
      return fail("Expel's Azure app has no service principal in the tenant, so it cannot read a log storage account", {});
    }
    return result.observation;
  });

const storageDiagnostics: Probe = (ctx) =>
  guard('the storage diagnostic settings', async () => {
    const result = await ctx.logStorage();
    if ('missingApp' in result || !result.account) throw new Error('no log storage account, although azure.log-storage is done');
    const logAccount = result.account;
    const accounts = await ctx.allStorageAccounts();
    const judged: AccountDiagnostics[] = await Promise.all(
      accounts
        .filter((account) => !sameId(account.id, logAccount.id))
        .map(async (account) => {
          const services = servicesOf(account);
          const lists = await Promise.all(services.map((service) => ctx.diagnosticSettings(account.id, service)));
          const settings: AccountDiagnostics['settings'] = {};
          services.forEach((service, i) => (settings[service] = lists[i] as DiagnosticSetting[]));
          return { account, settings };
        }),
    );
    return evaluateDiagnostics(logAccount, judged);
  });

const defenderPlans: Probe = (ctx) =>
  guard('the Defender for Cloud plans', async () => {
    const subs = ctx.tenant.subscriptions;
    const lists = await Promise.all(subs.map((sub) => ctx.pricings(sub)));
    return evaluateDefenderPlans(new Map<string, readonly Pricing[]>(subs.map((sub, i) => [sub, lists[i] ?? []])));
  });

// ---------------------------------------------------------------------------------------------

export const PROBES: Readonly<Record<string, Probe>> = {
  'access.tenant': tenantProbe,
  'access.probe-access': probeAccess,
  'access.guest-invited': guestInvited,
  'access.guest-redeemed': guestRedeemed,
  'access.guest-role': guestRole,
  'access.cross-tenant-trust': crossTenantTrust,
  'access.auto-redeem': autoRedeem,
  'mde.console-roles': consoleRoles,
  'mde.api-access': mdeApiAccess,
  'mde.app-secret': appSecret('mde'),
  'mde.polling': polling('mde'),
  'mde.alerts': alerts('mde'),
  'mdi.app-registered': mdiAppRegistered,
  'mdi.api-permissions': mdiApiPermissions,
  'mdi.app-secret': appSecret('mdi'),
  'mdi.polling': polling('mdi'),
  'mdi.alerts': alerts('mdi'),
  'm365.audit-log': auditLog,
  'm365.api-consent': m365ApiConsent,
  'm365.polling': polling('m365'),
  'm365.alerts': alerts('m365'),
  'azure.api-access': azureApiAccess,
  'azure.app-secret': appSecret('azure'),
  'azure.subscriptions': subscriptions,
  'azure.reader-roles': readerRoles,
  'azure.log-storage': logStorage,
  'azure.storage-diagnostics': storageDiagnostics,
  'azure.defender-plans': defenderPlans,
  'azure.polling': polling('azure'),
  'azure.alerts': alerts('azure'),
};

/** Observes one step for the tenant of `ctx`; remembers the observation for T0 of later steps. */
export async function observeStep(ctx: ProbeContext, stepId: string): Promise<Observation> {
  const probe = PROBES[stepId];
  if (!probe) throw new Error(`no probe for step ${stepId}`);
  const observation = await probe(ctx);
  ctx.recordObservation(stepId, observation);
  return observation;
}

/** Catalogue steps without a probe (a test keeps this empty). */
export const stepsWithoutProbe = (): string[] => STEPS.map((s) => s.id).filter((id) => !PROBES[id]);

export { ProbeContext, type ProbeSettings, type ProbeContextOptions } from './context.js';

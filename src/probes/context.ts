// Per-tenant fetch context shared by every probe of one check: each read is made once and memoised
// (the guest object, the resource service principals, the Expel apps, the cross-tenant policy …),
// Graph reads are coalesced into $batch round trips, and once the tracker has shown it can read
// the tenant, everything the in-scope steps will need is prefetched in dependency rounds:
//   round 1: organization, guest, resource SPs, Expel SPs/apps, cross-tenant policy (+ ARM subscriptions)
//   round 2: guest role assignments, grants of each app, sign-ins (+ ARM roles, storage, pricings)
//   round 3: ARM diagnostic settings per storage service
import { SCOPED_INTEGRATIONS, type ScopedIntegrationId, type Tenant } from '../core/tenant.js';
import {
  ALERT_SERVICE_SOURCES,
  API_ACCESS_STEP,
  ENTERPRISE_APP_NAMES,
  RESOURCES,
  customAppName,
  type ResourceKey,
} from '../integrations/catalogue.js';
import { AccessError, type GraphRequest, type TenantSession } from '../microsoft/types.js';
import { isAttestationActive, latestAttestation } from '../verdicts/evaluate.js';
import type { Attestation } from '../verdicts/types.js';
import { integrationT0, type T0 } from '../verdicts/windows.js';
import { ALERTS_PREFER_HEADER, alertsPath, matchingAlerts, type SecurityAlert } from './alerts.js';
import {
  RESOURCE_SP_SELECT,
  SP_SELECT,
  type AppRoleAssignment,
  type ConsentSnapshot,
  type MatchedBy,
  type OAuth2PermissionGrant,
  type ResourcePrincipals,
  type ServicePrincipal,
} from './app-consent.js';
import { applicationsByNamePath, pickApplication, type Application } from './app-registration.js';
import {
  ROLE_ASSIGNMENTS_API_VERSION,
  SUBSCRIPTIONS_API_VERSION,
  roleAssignmentsForPrincipalPath,
  type ArmRoleAssignment,
  type Subscription,
} from './azure-subscriptions.js';
import { DEFAULT_POLICY_PATH, PARTNERS_PATH, type CrossTenantPolicy } from './cross-tenant.js';
import { PRICINGS_API_VERSION, pricingsPath, type Pricing } from './defender-plans.js';
import {
  DIAGNOSTICS_API_VERSION,
  diagnosticSettingsPath,
  servicesOf,
  type DiagnosticSetting,
  type StorageService,
} from './diagnostics.js';
import { GraphBatcher } from './graph-batcher.js';
import { guestEmailFor, guestLookupPath, matchingUsers, odataString, pickGuest, type GuestUser } from './guest.js';
import { roleAssignmentsPath, roleEligibilityPath, type DirectoryRoleAssignment } from './roles.js';
import { UnexpectedResponse, sameId, type Observation } from './observation.js';
import { decisiveSignIn, licenceAware, signInWindowStart, signInsPath, type SignInRecord } from './sign-in-activity.js';
import { STORAGE_API_VERSION, evaluateLogStorage, storageAccountsPath, type LogStorageResult, type StorageAccount } from './storage.js';
import type { OrganizationRead } from './tenant-access.js';

export type EnterpriseIntegration = 'mde' | 'm365' | 'azure';

/** Product names for summaries. */
export const INTEGRATION_NAMES: Readonly<Record<ScopedIntegrationId, string>> = {
  mde: 'Defender for Endpoint',
  mdi: 'Defender for Identity',
  m365: 'Microsoft 365',
  azure: 'Azure',
};
export type CustomIntegration = 'mde' | 'mdi' | 'azure';

/** The settings probes read (a subset of the user's settings). */
export interface ProbeSettings {
  expelTenantId: string;
  /** Configured Expel enterprise app IDs; empty or missing → display-name fallback (at most warn). */
  expelAppIds: Partial<Record<EnterpriseIntegration, string | null>>;
  guestEmailDomain: string;
  secretWarningDays: number;
}

export interface ProbeContextOptions {
  session: TenantSession;
  tenant: Tenant;
  settings: ProbeSettings;
  now: Date;
  /** First time a step was done in earlier history (ISO), for T0. */
  firstDone: (stepId: string) => string | null;
  /** Integrations to probe (the tenant's, possibly narrowed by --integration). */
  scope?: ReadonlySet<ScopedIntegrationId>;
  /** The tenant's attestations: a forced one can make this run's API-access step done (T0). */
  attestations?: readonly Attestation[];
}

export interface EnterpriseApp {
  servicePrincipal: ServicePrincipal | null;
  matchedBy: MatchedBy | null;
  searched: { appId: string | null; displayNames: readonly string[] };
}

export interface CustomApp {
  displayName: string;
  applications: Application[];
  app: Application | null;
}

const valueOf = <T>(body: unknown, what: string): T[] => {
  if (body && typeof body === 'object' && Array.isArray((body as { value?: unknown }).value)) {
    return (body as { value: T[] }).value;
  }
  throw new UnexpectedResponse(`${what} did not return a "value" list`);
};

export class ProbeContext {
  readonly session: TenantSession;
  readonly tenant: Tenant;
  readonly settings: ProbeSettings;
  readonly now: Date;
  readonly scope: ReadonlySet<ScopedIntegrationId>;
  private readonly firstDone: (stepId: string) => string | null;
  private readonly attestations: readonly Attestation[];
  private readonly batcher: GraphBatcher;
  private readonly memo = new Map<string, Promise<unknown>>();
  /** What this run observed per step (T0 can start in this very run). */
  private readonly observed = new Map<string, Observation>();

  constructor(options: ProbeContextOptions) {
    this.session = options.session;
    this.tenant = options.tenant;
    this.settings = options.settings;
    this.now = options.now;
    this.firstDone = options.firstDone;
    this.attestations = options.attestations ?? [];
    this.scope = options.scope ?? new Set(options.tenant.integrations);
    this.batcher = new GraphBatcher(options.session.graph);
  }

  /** Graph round trips so far ($batch or single GET). */
  get graphRounds(): number {
    return this.batcher.rounds;
  }

  inScope(integration: ScopedIntegrationId): boolean {
    return this.scope.has(integration) && this.tenant.integrations.includes(integration);
  }

  recordObservation(stepId: string, observation: Observation): void {
    this.observed.set(stepId, observation);
  }

  /** T0 of an integration, exactly as the rules engine computes it. */
  t0(integration: ScopedIntegrationId): T0 | null {
    const apiStep = API_ACCESS_STEP[integration];
    const seen = this.observed.get(apiStep);
    const attestation = latestAttestation(this.attestations, apiStep);
    // As the rules engine judges it: observed done, or not done but covered by an active forced attestation.
    const doneThisRun =
      seen !== undefined &&
      (seen.status === 'pass' ||
        seen.status === 'warn' ||
        (attestation !== null && attestation.forcedReason !== null && isAttestationActive(attestation, this.now)));
    return integrationT0(this.tenant, integration, this.firstDone(apiStep), doneThisRun, this.now);
  }

  // -------------------------------------------------------------------------------------------
  // Memoisation

  private once<T>(key: string, load: () => Promise<T>): Promise<T> {
    let promise = this.memo.get(key) as Promise<T> | undefined;
    if (!promise) {
      promise = load();
      // Prefetched reads nobody awaits must not surface as unhandled rejections.
      promise.catch(() => undefined);
      this.memo.set(key, promise);
    }
    return promise;
  }

  private graphGet<T>(request: GraphRequest): Promise<T> {
    const key = `graph ${request.version ?? 'v1.0'} ${request.path} ${JSON.stringify(request.headers ?? {})}`;
    return this.once(key, () => this.batcher.read<T>(request));
  }

  /** A collection read, every page followed. */
  private graphList<T>(path: string, options: Omit<GraphRequest, 'path' | 'all'> = {}): Promise<T[]> {
    const key = `graph-list ${options.version ?? 'v1.0'} ${path} ${JSON.stringify(options.headers ?? {})}`;
    return this.once(key, async () => valueOf<T>(await this.batcher.read({ ...options, path, all: true }), path));
  }

  private armList<T>(path: string, apiVersion: string): Promise<T[]> {
    return this.once(`arm ${path} ${apiVersion}`, () => this.session.arm.list<T>(path, apiVersion));
  }

  // -------------------------------------------------------------------------------------------
  // Access

  signIn(): Promise<unknown> {
    return this.once('sign-in', () => this.session.signIn());
  }

  organization(): Promise<OrganizationRead> {
    return this.graphGet<OrganizationRead>({ path: '/organization?$select=id,displayName' });
  }

  // -------------------------------------------------------------------------------------------
  // Guest

  get guestEmail(): string | null {
    return guestEmailFor(this.tenant, this.settings.guestEmailDomain);
  }

  guestUsers(): Promise<GuestUser[]> {
    const email = this.guestEmail;
    if (!email) return Promise.resolve([]);
    return this.graphList<GuestUser>(guestLookupPath(email));
  }

  async guest(): Promise<GuestUser | null> {
    const email = this.guestEmail;
    if (!email) return null;
    return pickGuest(matchingUsers(email, await this.guestUsers()));
  }

  activeRoles(principalId: string): Promise<DirectoryRoleAssignment[]> {
    return this.graphList<DirectoryRoleAssignment>(roleAssignmentsPath(principalId));
  }

  /** PIM eligibility; a tenant without the PIM licence has none (and says so with a licence error). */
  eligibleRoles(principalId: string): Promise<DirectoryRoleAssignment[]> {
    return this.once(`eligible ${principalId}`, async () => {
      try {
        return await this.graphList<DirectoryRoleAssignment>(roleEligibilityPath(principalId));
      } catch (error) {
        if (error instanceof AccessError && error.reason === 'not_licensed') return [];
        throw error;
      }
    });
  }

  // -------------------------------------------------------------------------------------------
  // Cross-tenant access

  partners(): Promise<CrossTenantPolicy[]> {
    return this.graphList<CrossTenantPolicy>(PARTNERS_PATH);
  }

  defaultPolicy(): Promise<CrossTenantPolicy> {
    return this.graphGet<CrossTenantPolicy>({ path: DEFAULT_POLICY_PATH });
  }

  // -------------------------------------------------------------------------------------------
  // Service principals and apps

  private principalsByAppId(appId: string): Promise<ServicePrincipal[]> {
    const filter = encodeURIComponent(`appId eq ${odataString(appId)}`);
    return this.graphList<ServicePrincipal>(`/servicePrincipals?$filter=${filter}&$select=${SP_SELECT}`);
  }

  private principalsByName(displayName: string): Promise<ServicePrincipal[]> {
    const filter = encodeURIComponent(`displayName eq ${odataString(displayName)}`);
    return this.graphList<ServicePrincipal>(`/servicePrincipals?$filter=${filter}&$select=${SP_SELECT}`);
  }

  /** A first-party resource's service principal in this tenant (with appRoles and scopes), null when absent. */
  resourcePrincipal(key: ResourceKey): Promise<ServicePrincipal | null> {
    const appId = RESOURCES[key].appId;
    const filter = encodeURIComponent(`appId eq '${appId}'`);
    return this.once(`resource ${key}`, async () => {
      const list = await this.graphList<ServicePrincipal>(`/servicePrincipals?$filter=${filter}&$select=${RESOURCE_SP_SELECT}`);
      return list.find((sp) => sameId(sp.appId, appId)) ?? null;
    });
  }

  async resourcePrincipals(keys: Iterable<ResourceKey>): Promise<ResourcePrincipals> {
    const unique = [...new Set(keys)];
    const found = await Promise.all(unique.map((key) => this.resourcePrincipal(key)));
    return Object.fromEntries(unique.map((key, index) => [key, found[index] ?? null])) as ResourcePrincipals;
  }

  configuredAppId(integration: EnterpriseIntegration): string | null {
    const value = this.settings.expelAppIds[integration]?.trim();
    return value ? value : null;
  }

  /**
   * Expel's enterprise app: by the configured app ID; when none is configured or it is not in the
   * tenant, by the guide's display names (the verdict is then at most `warn`).
   */
  enterpriseApp(integration: EnterpriseIntegration): Promise<EnterpriseApp> {
    return this.once(`enterprise ${integration}`, async () => {
      const appId = this.configuredAppId(integration);
      const displayNames = ENTERPRISE_APP_NAMES[integration];
      const searched = { appId, displayNames };
      if (appId) {
        const byId = (await this.principalsByAppId(appId)).find((sp) => sameId(sp.appId, appId));
        if (byId) return { servicePrincipal: byId, matchedBy: 'appId' as const, searched };
      }
      const lists = await Promise.all(displayNames.map((name) => this.principalsByName(name)));
      const wanted = new Set(displayNames.map((name) => name.toLowerCase()));
      const candidates = lists.flat().filter((sp) => wanted.has((sp.displayName ?? '').toLowerCase()));
      const score = (sp: ServicePrincipal) =>
        (sp.accountEnabled === false ? 2 : 0) + (sameId(sp.appOwnerOrganizationId, this.settings.expelTenantId) ? 0 : 1);
      const best = [...candidates].sort((a, b) => score(a) - score(b))[0] ?? null;
      return { servicePrincipal: best, matchedBy: best ? ('displayName' as const) : null, searched };
    });
  }

  customAppName(integration: CustomIntegration): string {
    return customAppName(this.tenant, integration);
  }

  customApp(integration: CustomIntegration): Promise<CustomApp> {
    const displayName = this.customAppName(integration);
    return this.once(`custom ${integration}`, async () => {
      const applications = await this.graphList<Application>(applicationsByNamePath(displayName));
      return { displayName, applications, app: pickApplication(displayName, applications).app };
    });
  }

  /**
   * The custom app's service principal. Looked up by display name in the first round (usually the
   * same name as the app) so its grants can follow in the second; confirmed by appId, else fetched
   * by appId.
   */
  customAppPrincipal(integration: CustomIntegration): Promise<ServicePrincipal | null> {
    return this.once(`custom-sp ${integration}`, async () => {
      const { app, displayName } = await this.customApp(integration);
      if (!app) return null;
      const byName = (await this.principalsByName(displayName)).find((sp) => sameId(sp.appId, app.appId));
      if (byName) return byName;
      return (await this.principalsByAppId(app.appId)).find((sp) => sameId(sp.appId, app.appId)) ?? null;
    });
  }

  /** Application permissions (app role assignments) and delegated grants of a client SP. */
  consent(servicePrincipal: ServicePrincipal): Promise<ConsentSnapshot> {
    return this.once(`consent ${servicePrincipal.id}`, async () => {
      const grantsFilter = encodeURIComponent(`clientId eq '${servicePrincipal.id}'`);
      const [appRoleAssignments, grants] = await Promise.all([
        this.graphList<AppRoleAssignment>(`/servicePrincipals/${servicePrincipal.id}/appRoleAssignments`),
        this.graphList<OAuth2PermissionGrant>(`/oauth2PermissionGrants?$filter=${grantsFilter}`),
      ]);
      return { clientId: servicePrincipal.id, appRoleAssignments, grants };
    });
  }

  /** The app whose sign-ins show Expel polling for an integration, per the tenant's option. */
  async pollingApp(integration: ScopedIntegrationId): Promise<{ appId: string; label: string } | null> {
    if (this.usesCustomApp(integration)) {
      const { app, displayName } = await this.customApp(integration as CustomIntegration);
      return app ? { appId: app.appId, label: `App "${displayName}"` } : null;
    }
    const enterprise = await this.enterpriseApp(integration as EnterpriseIntegration);
    const appId = enterprise.servicePrincipal?.appId ?? enterprise.searched.appId;
    return appId ? { appId, label: `Expel's ${INTEGRATION_NAMES[integration]} app` } : null;
  }

  usesCustomApp(integration: ScopedIntegrationId): boolean {
    if (integration === 'mdi') return true;
    if (integration === 'm365') return false;
    return this.tenant.options[integration] === 'custom';
  }

  /** The service principal that must hold the Azure roles: the enterprise app's or the custom app's. */
  async azureAppPrincipal(): Promise<ServicePrincipal | null> {
    if (this.usesCustomApp('azure')) return this.customAppPrincipal('azure');
    return (await this.enterpriseApp('azure')).servicePrincipal;
  }

  // -------------------------------------------------------------------------------------------
  // Activity

  private signInPage(appId: string, since: Date, before?: Date): Promise<SignInRecord[]> {
    const key = `sign-ins ${appId} ${since.toISOString()} ${before?.toISOString() ?? ''}`;
    return this.once(key, async () => {
      try {
        return await this.graphList<SignInRecord>(signInsPath(appId, since, before), { version: 'beta' });
      } catch (error) {
        throw licenceAware(error);
      }
    });
  }

  /**
   * The app's service-principal sign-ins since the earlier of T0 and 24 hours ago. The last 24
   * hours are read first; the older part of the window (which can span months) only when those
   * hours hold no success or bad-secret failure to decide on.
   */
  async signIns(appId: string, t0: Date): Promise<SignInRecord[]> {
    const since = signInWindowStart(t0, this.now);
    const dayAgo = new Date(this.now.getTime() - 24 * 60 * 60 * 1000);
    if (since.getTime() >= dayAgo.getTime()) return this.signInPage(appId, since);
    const recent = await this.signInPage(appId, dayAgo);
    if (decisiveSignIn(recent, appId, dayAgo)) return recent;
    return [...recent, ...(await this.signInPage(appId, since, dayAgo))];
  }

  /**
   * Alerts of one service source since a date. The first page ($top=1, newest first) is enough
   * when it holds a match; otherwise every page is followed.
   */
  alerts(serviceSource: string, since: Date): Promise<SecurityAlert[]> {
    return this.once(`alerts ${serviceSource} ${since.toISOString()}`, async () => {
      const headers = { ...ALERTS_PREFER_HEADER };
      const first = await this.graphGet<{ value?: SecurityAlert[]; '@odata.nextLink'?: string }>({
        path: alertsPath(serviceSource, since, 1),
        headers,
      });
      const page = valueOf<SecurityAlert>(first, 'alerts_v2');
      if (matchingAlerts(page, [serviceSource], since).length > 0 || !first['@odata.nextLink']) return page;
      return this.graphList<SecurityAlert>(alertsPath(serviceSource, since), { headers });
    });
  }

  // -------------------------------------------------------------------------------------------
  // Azure Resource Manager

  subscriptions(): Promise<Subscription[]> {
    return this.armList<Subscription>('/subscriptions', SUBSCRIPTIONS_API_VERSION);
  }

  armRoleAssignments(subscriptionId: string, principalId: string): Promise<ArmRoleAssignment[]> {
    return this.armList<ArmRoleAssignment>(
      roleAssignmentsForPrincipalPath(subscriptionId, principalId),
      ROLE_ASSIGNMENTS_API_VERSION,
    );
  }

  storageAccounts(subscriptionId: string): Promise<StorageAccount[]> {
    return this.armList<StorageAccount>(storageAccountsPath(subscriptionId), STORAGE_API_VERSION);
  }

  async allStorageAccounts(): Promise<StorageAccount[]> {
    return (await Promise.all(this.tenant.subscriptions.map((sub) => this.storageAccounts(sub)))).flat();
  }

  pricings(subscriptionId: string): Promise<Pricing[]> {
    return this.armList<Pricing>(pricingsPath(subscriptionId), PRICINGS_API_VERSION);
  }

  diagnosticSettings(accountId: string, service: StorageService): Promise<DiagnosticSetting[]> {
    return this.armList<DiagnosticSetting>(diagnosticSettingsPath(accountId, service), DIAGNOSTICS_API_VERSION);
  }

  /** The log storage account judgement, shared by azure.log-storage and azure.storage-diagnostics. */
  logStorage(): Promise<LogStorageResult | { missingApp: true }> {
    return this.once('log-storage', async () => {
      const app = await this.azureAppPrincipal();
      if (!app) return { missingApp: true as const };
      const [accounts, assignments] = await Promise.all([
        this.allStorageAccounts(),
        Promise.all(this.tenant.subscriptions.map((sub) => this.armRoleAssignments(sub, app.id))),
      ]);
      return evaluateLogStorage(accounts, app.id, assignments.flat());
    });
  }

  // -------------------------------------------------------------------------------------------
  // Prefetch

  /**
   * Starts, without waiting, every read the in-scope steps will need, so they share round trips.
   * Called once the tracker has a token; every read stays memoised for the probes themselves.
   */
  prefetch(): void {
    void this.once('prefetch', async () => {
      const tasks: Array<Promise<unknown>> = [];
      if (this.guestEmail) tasks.push(this.prefetchGuest());
      if (this.inScope('mdi') || this.inScope('m365')) tasks.push(this.partners(), this.defaultPolicy());

      const resources = new Set<ResourceKey>();
      if (this.inScope('mde')) resources.add('defenderAtp');
      if (this.inScope('mdi') || (this.inScope('mde') && this.usesCustomApp('mde'))) resources.add('graph');
      if (this.inScope('m365')) resources.add('office365Management');
      if (this.inScope('azure')) resources.add('logAnalytics');
      if (this.inScope('azure') && this.usesCustomApp('azure')) resources.add('graph');
      for (const key of resources) tasks.push(this.resourcePrincipal(key));

      for (const integration of SCOPED_INTEGRATIONS) {
        if (!this.inScope(integration)) continue;
        tasks.push(this.prefetchApp(integration));
        // Without a known T0 the activity reads wait for this run's API-access verdict.
        const t0 = this.t0(integration);
        if (t0) tasks.push(this.prefetchActivity(integration, t0.at));
      }
      if (this.inScope('azure') && this.tenant.subscriptions.length > 0) tasks.push(this.prefetchAzure());
      await Promise.allSettled(tasks);
    });
  }

  private async prefetchGuest(): Promise<void> {
    const needsRoles =
      this.tenant.integrations.some((id) => id !== 'mde') || (this.inScope('mde') && this.tenant.options.mdeConsole !== 'rbac');
    const guest = await this.guest();
    if (guest && needsRoles) await Promise.allSettled([this.activeRoles(guest.id), this.eligibleRoles(guest.id)]);
  }

  private async prefetchApp(integration: ScopedIntegrationId): Promise<void> {
    let sp: ServicePrincipal | null;
    if (this.usesCustomApp(integration)) {
      // Same round as the app itself: the SP usually carries the app's display name.
      void this.principalsByName(this.customAppName(integration as CustomIntegration));
      sp = await this.customAppPrincipal(integration as CustomIntegration);
    } else {
      sp = (await this.enterpriseApp(integration as EnterpriseIntegration)).servicePrincipal;
    }
    if (sp) await this.consent(sp);
  }

  private async prefetchActivity(integration: ScopedIntegrationId, t0: Date): Promise<void> {
    const tasks: Array<Promise<unknown>> = ALERT_SERVICE_SOURCES[integration].map((source) => this.alerts(source, t0));
    const app = await this.pollingApp(integration);
    if (app) tasks.push(this.signIns(app.appId, t0));
    await Promise.allSettled(tasks);
  }

  /**
   * ARM reads cannot be batched, so only those the Azure steps will surely make are started early:
   * nothing per subscription unless every listed one is visible (else those steps are blocked),
   * and no diagnostic settings unless a log storage account was found.
   */
  private async prefetchAzure(): Promise<void> {
    const visible = new Set((await this.subscriptions()).map((s) => s.subscriptionId.toLowerCase()));
    const subs = this.tenant.subscriptions;
    if (!subs.every((sub) => visible.has(sub.toLowerCase()))) return;
    const tasks: Array<Promise<unknown>> = subs.map((sub) => this.pricings(sub));
    tasks.push(
      this.guest().then((guest) => guest && Promise.allSettled(subs.map((sub) => this.armRoleAssignments(sub, guest.id)))),
    );
    tasks.push(
      this.logStorage().then(async (result) => {
        if ('missingApp' in result || !result.account) return;
        if (result.observation.status !== 'pass' && result.observation.status !== 'warn') return;
        const accounts = await this.allStorageAccounts();
        await Promise.allSettled(
          accounts.flatMap((account) =>
            sameId(account.id, result.account!.id) ? [] : servicesOf(account).map((service) => this.diagnosticSettings(account.id, service)),
          ),
        );
      }),
    );
    await Promise.allSettled(tasks);
  }
}

import { describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, INTEGRATION_ORDER, type Tenant } from '../../src/core/tenant.js';
import { makeTenant } from '../verdicts/helpers.js';
import {
  AZURE_APP_PERMISSIONS,
  API_ACCESS_STEP,
  DEFAULT_CUSTOM_APP_NAMES,
  MDE_CUSTOM_APP_PERMISSIONS,
  MDI_APP_PERMISSIONS,
  RESOURCES,
  STEPS,
  customAppName,
  integrationsOf,
  isInherentlyUnverifiable,
  stepById,
  stepsOf,
} from '../../src/integrations/catalogue.js';

// Every step id of ../shared/spec/steps.md, in the order of its tables.
const SPEC_IDS = [
  'access.tenant',
  'access.probe-access',
  'access.guest-invited',
  'access.guest-redeemed',
  'access.guest-role',
  'access.cross-tenant-trust',
  'access.auto-redeem',
  'mde.console-roles',
  'mde.api-access',
  'mde.app-secret',
  'mde.polling',
  'mde.alerts',
  'mdi.app-registered',
  'mdi.api-permissions',
  'mdi.app-secret',
  'mdi.polling',
  'mdi.alerts',
  'm365.audit-log',
  'm365.api-consent',
  'm365.polling',
  'm365.alerts',
  'azure.api-access',
  'azure.app-secret',
  'azure.subscriptions',
  'azure.reader-roles',
  'azure.log-storage',
  'azure.storage-diagnostics',
  'azure.defender-plans',
  'azure.polling',
  'azure.alerts',
];

const tenant = makeTenant;

const EVERY_SHAPE: Tenant[] = [
  tenant(),
  tenant({ integrations: [] }),
  tenant({ integrations: ['mde'], options: { mde: 'custom', mdeConsole: 'rbac', azure: 'custom' } }),
  tenant({ options: { mde: 'custom', mdeConsole: 'basic', azure: 'custom' } }),
  tenant({ deviceAdded: { mde: '2026-11-20', mdi: '2026-11-21T10:00:00Z', m365: '2026-11-01', azure: '2026-11-02' } }),
];

describe('step catalogue', () => {
  it('holds exactly the steps.md ids, once each, in guide order', () => {
    expect(STEPS.map((step) => step.id)).toEqual(SPEC_IDS);
  });

  it('groups steps by integration in the contract order, each id prefixed by its integration', () => {
    const order = STEPS.map((step) => INTEGRATION_ORDER.indexOf(step.integration));
    expect(order).toEqual([...order].sort((a, b) => a - b));
    for (const step of STEPS) expect(step.id.startsWith(`${step.integration}.`)).toBe(true);
    for (const integration of INTEGRATION_ORDER) {
      expect(stepsOf(integration).map((step) => step.id)).toEqual(SPEC_IDS.filter((id) => id.startsWith(`${integration}.`)));
    }
  });

  it('finds steps by id and nothing else', () => {
    expect(stepById('mdi.app-secret')?.title).toBeTruthy();
    expect(stepById('mdi.nothing')).toBeUndefined();
  });

  it.each(EVERY_SHAPE.map((t, index) => [index, t] as const))(
    'tenant shape %i: prerequisites name known steps of earlier position, so there is no cycle',
    (_index, shape) => {
      const position = new Map(STEPS.map((step, index) => [step.id, index]));
      for (const step of STEPS) {
        for (const prerequisite of step.prerequisites(shape)) {
          expect(position.has(prerequisite), `${step.id} -> ${prerequisite}`).toBe(true);
          expect(position.get(prerequisite)!, `${step.id} -> ${prerequisite}`).toBeLessThan(position.get(step.id)!);
        }
        for (const exemption of step.exemptions ?? []) {
          expect(step.prerequisites(shape)).toContain(exemption.prerequisite);
        }
      }
    },
  );

  it('follows the prerequisite rules of steps.md', () => {
    const t = tenant();
    const prereqs = (id: string) => stepById(id)!.prerequisites(t);
    expect(prereqs('access.tenant')).toEqual([]);
    expect(prereqs('access.probe-access')).toEqual(['access.tenant']);
    for (const step of STEPS.filter((s) => !['access.tenant', 'access.probe-access'].includes(s.id))) {
      expect(step.prerequisites(t)[0], step.id).toBe('access.probe-access');
    }
    for (const id of ['access.guest-redeemed', 'access.guest-role', 'mde.console-roles', 'azure.reader-roles']) {
      expect(prereqs(id)).toContain('access.guest-invited');
    }
    expect(prereqs('access.auto-redeem')).toContain('access.cross-tenant-trust');
    expect(prereqs('mdi.api-permissions')).toContain('mdi.app-registered');
    expect(prereqs('mdi.app-secret')).toContain('mdi.app-registered');
    expect(prereqs('mde.app-secret')).toContain('mde.api-access');
    expect(prereqs('azure.app-secret')).toContain('azure.api-access');
    for (const id of ['azure.reader-roles', 'azure.log-storage', 'azure.storage-diagnostics', 'azure.defender-plans']) {
      expect(prereqs(id)).toContain('azure.subscriptions');
    }
    expect(prereqs('azure.storage-diagnostics')).toContain('azure.log-storage');
    expect(stepById('access.auto-redeem')!.exemptions).toEqual([
      { prerequisite: 'access.cross-tenant-trust', evidenceFlag: 'partnerExists' },
    ]);
  });

  it('makes polling and alerts wait for API access unless the device-added date is set', () => {
    for (const [integration, apiStep] of Object.entries(API_ACCESS_STEP)) {
      for (const kind of ['polling', 'alerts']) {
        const step = stepById(`${integration}.${kind}`)!;
        expect(step.prerequisites(tenant())).toEqual(['access.probe-access', apiStep]);
        expect(step.prerequisites(tenant({ deviceAdded: { [integration]: '2026-11-20' } }))).toEqual(['access.probe-access']);
        expect(step.window).toBe(kind);
      }
    }
  });

  it('applies steps per integration and option', () => {
    const applicable = (t: Tenant) => STEPS.filter((step) => step.applies(t)).map((step) => step.id);
    expect(applicable(tenant({ integrations: [] }))).toEqual([
      'access.tenant',
      'access.probe-access',
      'access.guest-invited',
      'access.guest-redeemed',
    ]);
    const mdeOnly = applicable(tenant({ integrations: ['mde'] }));
    expect(mdeOnly).not.toContain('access.guest-role');
    expect(mdeOnly).not.toContain('access.cross-tenant-trust');
    expect(mdeOnly).not.toContain('mde.app-secret');
    expect(mdeOnly).toContain('mde.console-roles');
    expect(applicable(tenant({ integrations: ['mde'], options: { ...DEFAULT_OPTIONS, mde: 'custom' } }))).toContain('mde.app-secret');
    expect(applicable(tenant({ integrations: ['azure'] }))).toContain('access.guest-role');
    expect(applicable(tenant({ integrations: ['azure'] }))).not.toContain('access.auto-redeem');
    expect(applicable(tenant({ integrations: ['azure'] }))).not.toContain('azure.app-secret');
    expect(applicable(tenant({ integrations: ['m365'] }))).toContain('access.auto-redeem');
    expect(applicable(tenant({ integrations: ['mdi'] }))).toContain('mdi.app-secret');
    expect(applicable(tenant())).toHaveLength(SPEC_IDS.length - 2);
  });

  it('knows which steps outsiders can never check', () => {
    const audit = stepById('m365.audit-log')!;
    const consoleRoles = stepById('mde.console-roles')!;
    expect(isInherentlyUnverifiable(audit, tenant())).toBe(true);
    expect(isInherentlyUnverifiable(audit, tenant({ integrations: ['mde'] }))).toBe(false);
    expect(isInherentlyUnverifiable(consoleRoles, tenant())).toBe(false);
    expect(isInherentlyUnverifiable(consoleRoles, tenant({ options: { ...DEFAULT_OPTIONS, mdeConsole: 'rbac' } }))).toBe(true);
    expect(STEPS.filter((step) => step.inherentlyUnverifiable).map((step) => step.id)).toEqual([
      'mde.console-roles',
      'm365.audit-log',
    ]);
  });

  it('gives every step an owner, a title and a plain-words definition', () => {
    for (const step of STEPS) {
      expect(['customer', 'expel', 'microsoft']).toContain(step.owner);
      expect(step.title.length).toBeGreaterThan(3);
      expect(step.doneWhen.length).toBeGreaterThan(10);
    }
  });

  it('lists integrations of a tenant with access first, in contract order', () => {
    expect(integrationsOf(tenant({ integrations: ['azure', 'mde'] }))).toEqual(['access', 'mde', 'azure']);
  });

  it('uses the roster app name when set, the guide default otherwise', () => {
    expect(customAppName(tenant(), 'mdi')).toBe('Expel Defender for Identity');
    expect(customAppName(tenant({ appNames: { mdi: 'Expel XDR' } }), 'mdi')).toBe('Expel XDR');
    expect(DEFAULT_CUSTOM_APP_NAMES.azure).toBe('Expel Cloud Service');
  });
});

describe('permission lists', () => {
  const names = (list: readonly { resource: string; name: string }[], resource: string) =>
    list.filter((p) => p.resource === resource).map((p) => p.name);

  it('has the 16 WindowsDefenderATP permissions of the current MDE guide and the 13 of the older one', () => {
    expect(names(MDE_CUSTOM_APP_PERMISSIONS.current, 'defenderAtp')).toHaveLength(16);
    expect(names(MDE_CUSTOM_APP_PERMISSIONS.older, 'defenderAtp')).toHaveLength(13);
    const added = names(MDE_CUSTOM_APP_PERMISSIONS.current, 'defenderAtp').filter(
      (name) => !names(MDE_CUSTOM_APP_PERMISSIONS.older, 'defenderAtp').includes(name),
    );
    expect(added.sort()).toEqual(['Machine.Isolate', 'Ti.ReadWrite', 'Ti.ReadWrite.All']);
    expect(MDE_CUSTOM_APP_PERMISSIONS.current.filter((p) => p.resource === 'graph')).toEqual([
      { resource: 'graph', name: 'User.Read', type: 'Delegated' },
      { resource: 'graph', name: 'User.ReadWrite.All', type: 'Application', alsoAccepted: 'Delegated' },
      { resource: 'graph', name: 'User.Read.All', type: 'Application', alsoAccepted: 'Delegated' },
    ]);
    expect(MDE_CUSTOM_APP_PERMISSIONS.older.filter((p) => p.resource === 'graph')).toEqual([
      { resource: 'graph', name: 'User.Read', type: 'Delegated' },
    ]);
  });

  it('has MDI four Graph application permissions plus delegated User.Read', () => {
    expect(MDI_APP_PERMISSIONS.filter((p) => p.type === 'Application').map((p) => p.name)).toEqual([
      'SecurityAlert.Read.All',
      'SecurityEvents.Read.All',
      'ThreatHunting.Read.All',
      'SecurityIncident.Read.All',
    ]);
    expect(MDI_APP_PERMISSIONS.filter((p) => p.type === 'Delegated').map((p) => p.name)).toEqual(['User.Read']);
  });

  it('marks the Azure list as inferred', () => {
    expect(AZURE_APP_PERMISSIONS.every((p) => p.inferred)).toBe(true);
    expect(names(AZURE_APP_PERMISSIONS, 'logAnalytics')).toEqual(['Data.Read']);
  });

  it('names resources by appId and carries no permission GUIDs', () => {
    const guid = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
    for (const resource of Object.values(RESOURCES)) expect(resource.appId).toMatch(guid);
    for (const list of [...Object.values(MDE_CUSTOM_APP_PERMISSIONS), MDI_APP_PERMISSIONS, AZURE_APP_PERMISSIONS]) {
      for (const permission of list) {
        expect(permission.name).not.toMatch(guid);
        expect(Object.keys(permission).sort()).toEqual(
          ['resource', 'name', 'type', ...(permission.alsoAccepted ? ['alsoAccepted'] : []), ...(permission.inferred ? ['inferred'] : [])].sort(),
        );
      }
    }
  });
});

// Every scenario tenant of the simulated cloud checked end to end (client-secret auth, the real
// access layer, probes, rules engine and history), one row per tenant × step with the status
// steps.md gives. Steps not listed must be not_applicable. Notation: a status, `error:<reason>` or
// `blocked:<blockedBy>`. The scenarios' own `expect` entries must agree with this table.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Verdict } from '../../src/core/status.js';
import { STEPS } from '../../src/integrations/catalogue.js';
import { startHarness, type Harness } from './sim-harness.js';

const TABLE = `
fresh                          access.tenant               pass
fresh                          access.probe-access         pass
fresh                          access.guest-invited        fail
fresh                          access.guest-redeemed       blocked:access.guest-invited
fresh                          access.guest-role           blocked:access.guest-invited
fresh                          access.cross-tenant-trust   fail
fresh                          access.auto-redeem          blocked:access.cross-tenant-trust
fresh                          mde.console-roles           blocked:access.guest-invited
fresh                          mde.api-access              fail
fresh                          mde.polling                 blocked:mde.api-access
fresh                          mde.alerts                  blocked:mde.api-access
fresh                          mdi.app-registered          fail
fresh                          mdi.api-permissions         blocked:mdi.app-registered
fresh                          mdi.app-secret              blocked:mdi.app-registered
fresh                          mdi.polling                 blocked:mdi.api-permissions
fresh                          mdi.alerts                  blocked:mdi.api-permissions
fresh                          m365.audit-log              unverifiable
fresh                          m365.api-consent            fail
fresh                          m365.polling                blocked:m365.api-consent
fresh                          m365.alerts                 blocked:m365.api-consent
fresh                          azure.api-access            fail
fresh                          azure.subscriptions         fail
fresh                          azure.reader-roles          blocked:access.guest-invited
fresh                          azure.log-storage           blocked:azure.subscriptions
fresh                          azure.storage-diagnostics   blocked:azure.subscriptions
fresh                          azure.defender-plans        blocked:azure.subscriptions
fresh                          azure.polling               blocked:azure.api-access
fresh                          azure.alerts                blocked:azure.api-access
guest-pending                  access.tenant               pass
guest-pending                  access.probe-access         pass
guest-pending                  access.guest-invited        pass
guest-pending                  access.guest-redeemed       fail
guest-pending                  access.guest-role           pass
guest-pending                  access.cross-tenant-trust   pass
guest-pending                  access.auto-redeem          pass
guest-pending                  mdi.app-registered          pass
guest-pending                  mdi.api-permissions         pass
guest-pending                  mdi.app-secret              pass
guest-pending                  mdi.polling                 pass
guest-pending                  mdi.alerts                  pass
guest-not-invited              access.tenant               pass
guest-not-invited              access.probe-access         pass
guest-not-invited              access.guest-invited        fail
guest-not-invited              access.guest-redeemed       blocked:access.guest-invited
guest-not-invited              access.guest-role           blocked:access.guest-invited
guest-not-invited              access.cross-tenant-trust   pass
guest-not-invited              access.auto-redeem          pass
guest-not-invited              mdi.app-registered          pass
guest-not-invited              mdi.api-permissions         pass
guest-not-invited              mdi.app-secret              pass
guest-not-invited              mdi.polling                 pass
guest-not-invited              mdi.alerts                  pass
trust-missing                  access.tenant               pass
trust-missing                  access.probe-access         pass
trust-missing                  access.guest-invited        pass
trust-missing                  access.guest-redeemed       pass
trust-missing                  access.guest-role           pass
trust-missing                  access.cross-tenant-trust   fail
trust-missing                  access.auto-redeem          blocked:access.cross-tenant-trust
trust-missing                  m365.audit-log              unverifiable
trust-missing                  m365.api-consent            pass
trust-missing                  m365.polling                pass
trust-missing                  m365.alerts                 pass
trust-partial                  access.tenant               pass
trust-partial                  access.probe-access         pass
trust-partial                  access.guest-invited        pass
trust-partial                  access.guest-redeemed       pass
trust-partial                  access.guest-role           pass
trust-partial                  access.cross-tenant-trust   fail
trust-partial                  access.auto-redeem          fail
trust-partial                  mdi.app-registered          pass
trust-partial                  mdi.api-permissions         pass
trust-partial                  mdi.app-secret              pass
trust-partial                  mdi.polling                 pass
trust-partial                  mdi.alerts                  pass
trust-partial                  m365.audit-log              unverifiable
trust-partial                  m365.api-consent            pass
trust-partial                  m365.polling                pass
trust-partial                  m365.alerts                 pass
trust-inherited                access.tenant               pass
trust-inherited                access.probe-access         pass
trust-inherited                access.guest-invited        pass
trust-inherited                access.guest-redeemed       pass
trust-inherited                access.guest-role           pass
trust-inherited                access.cross-tenant-trust   pass
trust-inherited                access.auto-redeem          fail
trust-inherited                mdi.app-registered          pass
trust-inherited                mdi.api-permissions         pass
trust-inherited                mdi.app-secret              pass
trust-inherited                mdi.polling                 pass
trust-inherited                mdi.alerts                  pass
consent-partial                access.tenant               pass
consent-partial                access.probe-access         pass
consent-partial                access.guest-invited        pass
consent-partial                access.guest-redeemed       pass
consent-partial                access.guest-role           pass
consent-partial                access.cross-tenant-trust   pass
consent-partial                access.auto-redeem          pass
consent-partial                mdi.app-registered          pass
consent-partial                mdi.api-permissions         fail
consent-partial                mdi.app-secret              pass
consent-partial                mdi.polling                 blocked:mdi.api-permissions
consent-partial                mdi.alerts                  blocked:mdi.api-permissions
mde-older-permissions          access.tenant               pass
mde-older-permissions          access.probe-access         pass
mde-older-permissions          access.guest-invited        pass
mde-older-permissions          access.guest-redeemed       pass
mde-older-permissions          mde.console-roles           pass
mde-older-permissions          mde.api-access              warn
mde-older-permissions          mde.app-secret              pass
mde-older-permissions          mde.polling                 pass
mde-older-permissions          mde.alerts                  pass
mde-secret-expiring            access.tenant               pass
mde-secret-expiring            access.probe-access         pass
mde-secret-expiring            access.guest-invited        pass
mde-secret-expiring            access.guest-redeemed       pass
mde-secret-expiring            mde.console-roles           pass
mde-secret-expiring            mde.api-access              pass
mde-secret-expiring            mde.app-secret              warn
mde-secret-expiring            mde.polling                 pass
mde-secret-expiring            mde.alerts                  pass
mde-secret-expired             access.tenant               pass
mde-secret-expired             access.probe-access         pass
mde-secret-expired             access.guest-invited        pass
mde-secret-expired             access.guest-redeemed       pass
mde-secret-expired             mde.console-roles           pass
mde-secret-expired             mde.api-access              pass
mde-secret-expired             mde.app-secret              fail
mde-secret-expired             mde.polling                 fail
mde-secret-expired             mde.alerts                  waiting
mde-console-reader-only        access.tenant               pass
mde-console-reader-only        access.probe-access         pass
mde-console-reader-only        access.guest-invited        pass
mde-console-reader-only        access.guest-redeemed       pass
mde-console-reader-only        mde.console-roles           warn
mde-console-reader-only        mde.api-access              pass
mde-console-reader-only        mde.polling                 pass
mde-console-reader-only        mde.alerts                  pass
mde-rbac-console               access.tenant               pass
mde-rbac-console               access.probe-access         pass
mde-rbac-console               access.guest-invited        pass
mde-rbac-console               access.guest-redeemed       pass
mde-rbac-console               mde.console-roles           unverifiable
mde-rbac-console               mde.api-access              pass
mde-rbac-console               mde.polling                 pass
mde-rbac-console               mde.alerts                  pass
azure-roles-one-subscription   access.tenant               pass
azure-roles-one-subscription   access.probe-access         pass
azure-roles-one-subscription   access.guest-invited        pass
azure-roles-one-subscription   access.guest-redeemed       pass
azure-roles-one-subscription   access.guest-role           pass
azure-roles-one-subscription   azure.api-access            pass
azure-roles-one-subscription   azure.subscriptions         pass
azure-roles-one-subscription   azure.reader-roles          fail
azure-roles-one-subscription   azure.log-storage           pass
azure-roles-one-subscription   azure.storage-diagnostics   pass
azure-roles-one-subscription   azure.defender-plans        pass
azure-roles-one-subscription   azure.polling               pass
azure-roles-one-subscription   azure.alerts                pass
azure-subscription-invisible   access.tenant               pass
azure-subscription-invisible   access.probe-access         pass
azure-subscription-invisible   access.guest-invited        pass
azure-subscription-invisible   access.guest-redeemed       pass
azure-subscription-invisible   access.guest-role           pass
azure-subscription-invisible   azure.api-access            pass
azure-subscription-invisible   azure.subscriptions         fail
azure-subscription-invisible   azure.reader-roles          blocked:azure.subscriptions
azure-subscription-invisible   azure.log-storage           blocked:azure.subscriptions
azure-subscription-invisible   azure.storage-diagnostics   blocked:azure.subscriptions
azure-subscription-invisible   azure.defender-plans        blocked:azure.subscriptions
azure-subscription-invisible   azure.polling               pass
azure-subscription-invisible   azure.alerts                pass
azure-roles-broader            access.tenant               pass
azure-roles-broader            access.probe-access         pass
azure-roles-broader            access.guest-invited        pass
azure-roles-broader            access.guest-redeemed       pass
azure-roles-broader            access.guest-role           pass
azure-roles-broader            azure.api-access            pass
azure-roles-broader            azure.subscriptions         pass
azure-roles-broader            azure.reader-roles          warn
azure-roles-broader            azure.log-storage           pass
azure-roles-broader            azure.storage-diagnostics   pass
azure-roles-broader            azure.defender-plans        pass
azure-roles-broader            azure.polling               pass
azure-roles-broader            azure.alerts                pass
azure-diagnostics-missing      access.tenant               pass
azure-diagnostics-missing      access.probe-access         pass
azure-diagnostics-missing      access.guest-invited        pass
azure-diagnostics-missing      access.guest-redeemed       pass
azure-diagnostics-missing      access.guest-role           pass
azure-diagnostics-missing      azure.api-access            pass
azure-diagnostics-missing      azure.subscriptions         pass
azure-diagnostics-missing      azure.reader-roles          pass
azure-diagnostics-missing      azure.log-storage           pass
azure-diagnostics-missing      azure.storage-diagnostics   fail
azure-diagnostics-missing      azure.defender-plans        pass
azure-diagnostics-missing      azure.polling               pass
azure-diagnostics-missing      azure.alerts                pass
azure-diagnostics-category-group access.tenant               pass
azure-diagnostics-category-group access.probe-access         pass
azure-diagnostics-category-group access.guest-invited        pass
azure-diagnostics-category-group access.guest-redeemed       pass
azure-diagnostics-category-group access.guest-role           pass
azure-diagnostics-category-group azure.api-access            pass
azure-diagnostics-category-group azure.subscriptions         pass
azure-diagnostics-category-group azure.reader-roles          pass
azure-diagnostics-category-group azure.log-storage           pass
azure-diagnostics-category-group azure.storage-diagnostics   warn
azure-diagnostics-category-group azure.defender-plans        pass
azure-diagnostics-category-group azure.polling               pass
azure-diagnostics-category-group azure.alerts                pass
azure-defender-partial         access.tenant               pass
azure-defender-partial         access.probe-access         pass
azure-defender-partial         access.guest-invited        pass
azure-defender-partial         access.guest-redeemed       pass
azure-defender-partial         access.guest-role           pass
azure-defender-partial         azure.api-access            pass
azure-defender-partial         azure.subscriptions         pass
azure-defender-partial         azure.reader-roles          pass
azure-defender-partial         azure.log-storage           pass
azure-defender-partial         azure.storage-diagnostics   pass
azure-defender-partial         azure.defender-plans        warn
azure-defender-partial         azure.polling               pass
azure-defender-partial         azure.alerts                pass
azure-log-storage-firewall     access.tenant               pass
azure-log-storage-firewall     access.probe-access         pass
azure-log-storage-firewall     access.guest-invited        pass
azure-log-storage-firewall     access.guest-redeemed       pass
azure-log-storage-firewall     access.guest-role           pass
azure-log-storage-firewall     azure.api-access            pass
azure-log-storage-firewall     azure.subscriptions         pass
azure-log-storage-firewall     azure.reader-roles          pass
azure-log-storage-firewall     azure.log-storage           fail
azure-log-storage-firewall     azure.storage-diagnostics   blocked:azure.log-storage
azure-log-storage-firewall     azure.defender-plans        pass
azure-log-storage-firewall     azure.polling               pass
azure-log-storage-firewall     azure.alerts                pass
polling-waiting                access.tenant               pass
polling-waiting                access.probe-access         pass
polling-waiting                access.guest-invited        pass
polling-waiting                access.guest-redeemed       pass
polling-waiting                mde.console-roles           pass
polling-waiting                mde.api-access              pass
polling-waiting                mde.polling                 waiting
polling-waiting                mde.alerts                  waiting
polling-overdue                access.tenant               pass
polling-overdue                access.probe-access         pass
polling-overdue                access.guest-invited        pass
polling-overdue                access.guest-redeemed       pass
polling-overdue                mde.console-roles           pass
polling-overdue                mde.api-access              pass
polling-overdue                mde.polling                 overdue
polling-overdue                mde.alerts                  waiting
polling-no-alerts-yet          access.tenant               pass
polling-no-alerts-yet          access.probe-access         pass
polling-no-alerts-yet          access.guest-invited        pass
polling-no-alerts-yet          access.guest-redeemed       pass
polling-no-alerts-yet          mde.console-roles           pass
polling-no-alerts-yet          mde.api-access              pass
polling-no-alerts-yet          mde.polling                 pass
polling-no-alerts-yet          mde.alerts                  waiting
alerts-due                     access.tenant               pass
alerts-due                     access.probe-access         pass
alerts-due                     access.guest-invited        pass
alerts-due                     access.guest-redeemed       pass
alerts-due                     mde.console-roles           pass
alerts-due                     mde.api-access              pass
alerts-due                     mde.polling                 pass
alerts-due                     mde.alerts                  waiting
alerts-overdue                 access.tenant               pass
alerts-overdue                 access.probe-access         pass
alerts-overdue                 access.guest-invited        pass
alerts-overdue                 access.guest-redeemed       pass
alerts-overdue                 mde.console-roles           pass
alerts-overdue                 mde.api-access              pass
alerts-overdue                 mde.polling                 pass
alerts-overdue                 mde.alerts                  overdue
onboarded                      access.tenant               pass
onboarded                      access.probe-access         pass
onboarded                      access.guest-invited        pass
onboarded                      access.guest-redeemed       pass
onboarded                      access.guest-role           pass
onboarded                      access.cross-tenant-trust   pass
onboarded                      access.auto-redeem          pass
onboarded                      mde.console-roles           pass
onboarded                      mde.api-access              pass
onboarded                      mde.app-secret              pass
onboarded                      mde.polling                 pass
onboarded                      mde.alerts                  pass
onboarded                      mdi.app-registered          pass
onboarded                      mdi.api-permissions         pass
onboarded                      mdi.app-secret              pass
onboarded                      mdi.polling                 pass
onboarded                      mdi.alerts                  pass
onboarded                      m365.audit-log              unverifiable
onboarded                      m365.api-consent            pass
onboarded                      m365.polling                pass
onboarded                      m365.alerts                 pass
onboarded                      azure.api-access            pass
onboarded                      azure.subscriptions         pass
onboarded                      azure.reader-roles          pass
onboarded                      azure.log-storage           pass
onboarded                      azure.storage-diagnostics   pass
onboarded                      azure.defender-plans        pass
onboarded                      azure.polling               pass
onboarded                      azure.alerts                pass
license-missing                access.tenant               pass
license-missing                access.probe-access         pass
license-missing                access.guest-invited        pass
license-missing                access.guest-redeemed       pass
license-missing                mde.console-roles           pass
license-missing                mde.api-access              pass
license-missing                mde.polling                 error:not_licensed
license-missing                mde.alerts                  pass
signin-inbound-blocked         access.tenant               pass
signin-inbound-blocked         access.probe-access         error:inbound_policy_blocked
signin-inbound-blocked         access.guest-invited        blocked:access.probe-access
signin-inbound-blocked         access.guest-redeemed       blocked:access.probe-access
signin-inbound-blocked         access.guest-role           blocked:access.probe-access
signin-inbound-blocked         access.cross-tenant-trust   blocked:access.probe-access
signin-inbound-blocked         access.auto-redeem          blocked:access.probe-access
signin-inbound-blocked         mdi.app-registered          blocked:access.probe-access
signin-inbound-blocked         mdi.api-permissions         blocked:access.probe-access
signin-inbound-blocked         mdi.app-secret              blocked:access.probe-access
signin-inbound-blocked         mdi.polling                 blocked:access.probe-access
signin-inbound-blocked         mdi.alerts                  blocked:access.probe-access
signin-guest-not-invited       access.tenant               pass
signin-guest-not-invited       access.probe-access         error:guest_not_invited
signin-guest-not-invited       access.guest-invited        blocked:access.probe-access
signin-guest-not-invited       access.guest-redeemed       blocked:access.probe-access
signin-guest-not-invited       access.guest-role           blocked:access.probe-access
signin-guest-not-invited       access.cross-tenant-trust   blocked:access.probe-access
signin-guest-not-invited       access.auto-redeem          blocked:access.probe-access
signin-guest-not-invited       mdi.app-registered          blocked:access.probe-access
signin-guest-not-invited       mdi.api-permissions         blocked:access.probe-access
signin-guest-not-invited       mdi.app-secret              blocked:access.probe-access
signin-guest-not-invited       mdi.polling                 blocked:access.probe-access
signin-guest-not-invited       mdi.alerts                  blocked:access.probe-access
signin-guest-pending           access.tenant               pass
signin-guest-pending           access.probe-access         error:guest_not_redeemed
signin-guest-pending           access.guest-invited        blocked:access.probe-access
signin-guest-pending           access.guest-redeemed       blocked:access.probe-access
signin-guest-pending           access.guest-role           blocked:access.probe-access
signin-guest-pending           access.cross-tenant-trust   blocked:access.probe-access
signin-guest-pending           access.auto-redeem          blocked:access.probe-access
signin-guest-pending           mdi.app-registered          blocked:access.probe-access
signin-guest-pending           mdi.api-permissions         blocked:access.probe-access
signin-guest-pending           mdi.app-secret              blocked:access.probe-access
signin-guest-pending           mdi.polling                 blocked:access.probe-access
signin-guest-pending           mdi.alerts                  blocked:access.probe-access
signin-conditional-access      access.tenant               pass
signin-conditional-access      access.probe-access         error:conditional_access_blocked
signin-conditional-access      access.guest-invited        blocked:access.probe-access
signin-conditional-access      access.guest-redeemed       blocked:access.probe-access
signin-conditional-access      access.guest-role           blocked:access.probe-access
signin-conditional-access      access.cross-tenant-trust   blocked:access.probe-access
signin-conditional-access      access.auto-redeem          blocked:access.probe-access
signin-conditional-access      mdi.app-registered          blocked:access.probe-access
signin-conditional-access      mdi.api-permissions         blocked:access.probe-access
signin-conditional-access      mdi.app-secret              blocked:access.probe-access
signin-conditional-access      mdi.polling                 blocked:access.probe-access
signin-conditional-access      mdi.alerts                  blocked:access.probe-access
signin-mfa-required            access.tenant               pass
signin-mfa-required            access.probe-access         error:mfa_required
signin-mfa-required            access.guest-invited        blocked:access.probe-access
signin-mfa-required            access.guest-redeemed       blocked:access.probe-access
signin-mfa-required            access.guest-role           blocked:access.probe-access
signin-mfa-required            access.cross-tenant-trust   blocked:access.probe-access
signin-mfa-required            access.auto-redeem          blocked:access.probe-access
signin-mfa-required            mdi.app-registered          blocked:access.probe-access
signin-mfa-required            mdi.api-permissions         blocked:access.probe-access
signin-mfa-required            mdi.app-secret              blocked:access.probe-access
signin-mfa-required            mdi.polling                 blocked:access.probe-access
signin-mfa-required            mdi.alerts                  blocked:access.probe-access
tracker-not-consented          access.tenant               pass
tracker-not-consented          access.probe-access         error:consent_missing
tracker-not-consented          access.guest-invited        blocked:access.probe-access
tracker-not-consented          access.guest-redeemed       blocked:access.probe-access
tracker-not-consented          access.guest-role           blocked:access.probe-access
tracker-not-consented          access.cross-tenant-trust   blocked:access.probe-access
tracker-not-consented          access.auto-redeem          blocked:access.probe-access
tracker-not-consented          mdi.app-registered          blocked:access.probe-access
tracker-not-consented          mdi.api-permissions         blocked:access.probe-access
tracker-not-consented          mdi.app-secret              blocked:access.probe-access
tracker-not-consented          mdi.polling                 blocked:access.probe-access
tracker-not-consented          mdi.alerts                  blocked:access.probe-access
gcc-high-permissions           access.tenant               pass
gcc-high-permissions           access.probe-access         pass
gcc-high-permissions           access.guest-invited        pass
gcc-high-permissions           access.guest-redeemed       pass
gcc-high-permissions           access.guest-role           pass
gcc-high-permissions           access.cross-tenant-trust   pass
gcc-high-permissions           access.auto-redeem          pass
gcc-high-permissions           mdi.app-registered          pass
gcc-high-permissions           mdi.api-permissions         pass
gcc-high-permissions           mdi.app-secret              pass
gcc-high-permissions           mdi.polling                 pass
gcc-high-permissions           mdi.alerts                  pass
gcc-high-permissions           azure.api-access            pass
gcc-high-permissions           azure.app-secret            pass
gcc-high-permissions           azure.subscriptions         pass
gcc-high-permissions           azure.reader-roles          pass
gcc-high-permissions           azure.log-storage           pass
gcc-high-permissions           azure.storage-diagnostics   pass
gcc-high-permissions           azure.defender-plans        pass
gcc-high-permissions           azure.polling               pass
gcc-high-permissions           azure.alerts                pass
throttling-heavy               access.tenant               pass
throttling-heavy               access.probe-access         pass
throttling-heavy               access.guest-invited        pass
throttling-heavy               access.guest-redeemed       pass
throttling-heavy               access.guest-role           pass
throttling-heavy               access.cross-tenant-trust   pass
throttling-heavy               access.auto-redeem          pass
throttling-heavy               mdi.app-registered          pass
throttling-heavy               mdi.api-permissions         pass
throttling-heavy               mdi.app-secret              pass
throttling-heavy               mdi.polling                 pass
throttling-heavy               mdi.alerts                  pass
throttling-heavy               azure.api-access            pass
throttling-heavy               azure.subscriptions         pass
throttling-heavy               azure.reader-roles          pass
throttling-heavy               azure.log-storage           pass
throttling-heavy               azure.storage-diagnostics   pass
throttling-heavy               azure.defender-plans        pass
throttling-heavy               azure.polling               pass
throttling-heavy               azure.alerts                pass
hostile-names                  access.tenant               pass
hostile-names                  access.probe-access         pass
hostile-names                  access.guest-invited        pass
hostile-names                  access.guest-redeemed       pass
hostile-names                  access.guest-role           pass
hostile-names                  access.cross-tenant-trust   pass
hostile-names                  access.auto-redeem          pass
hostile-names                  mdi.app-registered          pass
hostile-names                  mdi.api-permissions         pass
hostile-names                  mdi.app-secret              pass
hostile-names                  mdi.polling                 pass
hostile-names                  mdi.alerts                  pass
hostile-names                  m365.audit-log              unverifiable
hostile-names                  m365.api-consent            pass
hostile-names                  m365.polling                pass
hostile-names                  m365.alerts                 pass
m365-only                      access.tenant               pass
m365-only                      access.probe-access         pass
m365-only                      access.guest-invited        pass
m365-only                      access.guest-redeemed       pass
m365-only                      access.guest-role           pass
m365-only                      access.cross-tenant-trust   pass
m365-only                      access.auto-redeem          pass
m365-only                      m365.audit-log              unverifiable
m365-only                      m365.api-consent            pass
m365-only                      m365.polling                pass
m365-only                      m365.alerts                 pass
mdi-secret-failed              access.tenant               pass
mdi-secret-failed              access.probe-access         pass
mdi-secret-failed              access.guest-invited        pass
mdi-secret-failed              access.guest-redeemed       pass
mdi-secret-failed              access.guest-role           pass
mdi-secret-failed              access.cross-tenant-trust   pass
mdi-secret-failed              access.auto-redeem          pass
mdi-secret-failed              mdi.app-registered          pass
mdi-secret-failed              mdi.api-permissions         pass
mdi-secret-failed              mdi.app-secret              pass
mdi-secret-failed              mdi.polling                 fail
mdi-secret-failed              mdi.alerts                  waiting
domain-mismatch                access.tenant               fail
domain-mismatch                access.probe-access         blocked:access.tenant
domain-mismatch                access.guest-invited        blocked:access.probe-access
domain-mismatch                access.guest-redeemed       blocked:access.probe-access
domain-mismatch                mde.console-roles           blocked:access.probe-access
domain-mismatch                mde.api-access              blocked:access.probe-access
domain-mismatch                mde.polling                 blocked:access.probe-access
domain-mismatch                mde.alerts                  blocked:access.probe-access`;

const ROWS = TABLE.trim()
  .split('\n')
  .map((line) => line.trim().split(/\s+/) as [string, string, string]);

const notation = (v: Verdict): string =>
  v.status === 'error' ? `error:${v.reason}` : v.status === 'blocked' ? `blocked:${v.blockedBy}` : v.status;

let harness: Harness;
/** scenario → step → verdict */
const seen = new Map<string, Map<string, Verdict>>();

beforeAll(async () => {
  harness = await startHarness();
  const result = await harness.check();
  for (const outcome of result.outcomes) {
    const scenario = harness.sim.tenants.find((t) => t.tenantId.toLowerCase() === outcome.tenant.tenantId)!.scenario;
    seen.set(scenario, new Map(outcome.verdicts.map((v) => [v.id, v])));
  }
}, 120_000);

afterAll(async () => {
  await harness?.close();
});

describe('scenario tenants × steps', () => {
  it('checks every scenario tenant, and every scenario has rows in the table', () => {
    const scenarios = harness.sim.tenants.map((t) => t.scenario);
    expect([...seen.keys()].sort()).toEqual([...scenarios].sort());
    expect([...new Set(ROWS.map(([scenario]) => scenario))].sort()).toEqual([...scenarios].sort());
  });

  it.each(ROWS)('%s %s → %s', (scenario, step, expected) => {
    const verdict = seen.get(scenario)?.get(step);
    expect(verdict, `${scenario} has no verdict for ${step}`).toBeDefined();
    expect(notation(verdict!), verdict!.summary).toBe(expected);
  });

  it('every step not in the table is not_applicable', () => {
    const listed = new Set(ROWS.map(([scenario, step]) => `${scenario} ${step}`));
    const unexpected: string[] = [];
    for (const [scenario, verdicts] of seen) {
      for (const step of STEPS) {
        const v = verdicts.get(step.id);
        if (!listed.has(`${scenario} ${step.id}`) && v?.status !== 'not_applicable') unexpected.push(`${scenario} ${step.id} ${v ? notation(v) : 'missing'}`);
      }
    }
    expect(unexpected).toEqual([]);
  });

  it("agrees with the scenarios' own expectations", () => {
    const table = new Map(ROWS.map(([scenario, step, expected]) => [`${scenario} ${step}`, expected]));
    const disagreements: string[] = [];
    for (const tenant of harness.sim.tenants) {
      for (const [step, expected] of Object.entries(tenant.expect)) {
        const mine = table.get(`${tenant.scenario} ${step}`) ?? 'not_applicable';
        if (mine !== expected) disagreements.push(`${tenant.scenario} ${step}: table ${mine}, scenario ${expected}`);
      }
    }
    expect(disagreements).toEqual([]);
  });
});

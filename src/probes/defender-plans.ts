// azure.defender-plans: the Defender for Cloud plans the Azure guide recommends. The guide only
// recommends them, so a plan that is not Standard is a `warn`, never a `fail`.
import { DEFENDER_PLANS } from '../integrations/reference.js';
import { listed, pass, warn, type Observation } from './observation.js';

export const PRICINGS_API_VERSION = '2024-01-01';

export interface Pricing {
  id?: string;
  name: string;
  properties?: { pricingTier?: string | null; subPlan?: string | null } | null;
}

export const pricingsPath = (subscriptionId: string): string =>
  `/subscriptions/${subscriptionId}/providers/Microsoft.Security/pricings`;

export function evaluateDefenderPlans(perSubscription: ReadonlyMap<string, readonly Pricing[]>): Observation {
  const missing: Array<{ subscriptionId: string; plans: string[] }> = [];
  for (const [subscriptionId, pricings] of perSubscription) {
    const standard = new Set(
      pricings
        .filter((p) => (p.properties?.pricingTier ?? '').toLowerCase() === 'standard')
        .map((p) => p.name.toLowerCase()),
    );
    const plans = DEFENDER_PLANS.filter((plan) => !standard.has(plan.toLowerCase()));
    if (plans.length > 0) missing.push({ subscriptionId, plans });
  }
  if (missing.length > 0) {
    const names = [...new Set(missing.flatMap((m) => m.plans))];
    return warn(`Recommended Defender plans not on Standard: ${listed(names, 6)} (${missing.length} subscription(s))`, {
      missing,
    });
  }
  return pass(`All ${DEFENDER_PLANS.length} recommended Defender plans are Standard on every listed subscription`, {
    subscriptions: perSubscription.size,
  });
}

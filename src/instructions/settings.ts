// The instruction settings from the stored settings and the environment: the cloud decides the
// sign-in host of admin-consent links, EXPEL_TRACK_CLIENT_ID may override the tracker's app.
import type { Verdict } from '../core/status.js';
import type { StepState } from '../db/history.js';
import { resolveCloudConfig } from '../microsoft/clouds.js';
import type { Settings } from '../settings/settings.js';
import { analystView } from '../verdicts/derived.js';
import { isCustomerCausedError, type InstructionSettings } from './steps.js';

export function instructionSettingsFrom(settings: Settings, env: NodeJS.ProcessEnv = process.env): InstructionSettings {
  const cloud = resolveCloudConfig(
    { cloud: settings.cloud, auth: settings.auth, clientId: settings.clientId ?? undefined },
    env,
  );
  return {
    expelTenantId: settings.expelTenantId,
    guestEmailDomain: settings.guestEmailDomain,
    trackerClientId: cloud.clientId ?? null,
    authorityHost: cloud.endpoints.authorityHost,
    expelAppIds: { ...settings.expelAppIds },
    alertWindowHours: [settings.alertWindowHours.from, settings.alertWindowHours.to],
  };
}

/**
 * The verdict per step the instructions should be written from: the latest, except that an
 * `error` of ours (throttling, network, …) gives way to the last real verdict, so a passing
 * hiccup does not hide a to-do the customer still has (steps.md: an error never overwrites it).
 */
export function verdictsForInstructions(states: readonly StepState[]): Verdict[] {
  return states.map((state) => {
    const latest = state.latest;
    if (latest.status === 'error' && isCustomerCausedError(latest.reason)) return latest;
    return analystView(latest, state.latestReal).verdict;
  });
}

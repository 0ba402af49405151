// What probes report and what the verdict rules need to turn that into steps.md verdicts.
import type { ErrorReason } from '../core/status.js';
import type { Tenant } from '../core/tenant.js';

/** What a probe saw for one step, before the rules (blocking, windows, attestations) apply. */
export type Observation =
  | { status: 'pass' | 'warn' | 'fail' | 'unverifiable'; summary: string; evidence: Record<string, unknown> }
  | { status: 'error'; reason: ErrorReason; summary: string; evidence: Record<string, unknown> }
  /** Not seen yet: the step's window decides `waiting` or `overdue`. */
  | { status: 'pending'; summary: string; evidence: Record<string, unknown> };

export type ObservationStatus = Observation['status'];

/** The time windows and thresholds of steps.md (all configurable). */
export interface WindowSettings {
  /** The guide expects polling within this many minutes of T0. */
  pollingWindowMinutes: number;
  /** Extra minutes for sign-in logs to reach Graph before `polling` turns overdue. */
  pollingReportingAllowanceMinutes: number;
  /** Alerts are "due" from the first bound and overdue after the second (hours after T0). */
  alertWindowHours: [number, number];
  /** Unified audit logging can take this long to take effect. */
  auditLogWindowMinutes: number;
  /** Client secrets expiring within this many days are `warn`. */
  secretWarningDays: number;
}

export const DEFAULT_WINDOW_SETTINGS: Readonly<WindowSettings> = Object.freeze({
  pollingWindowMinutes: 15,
  pollingReportingAllowanceMinutes: 45,
  alertWindowHours: [36, 72] as [number, number],
  auditLogWindowMinutes: 60,
  secretWarningDays: 30,
});

/** An analyst's record of a customer's confirmation. Append-only; the newest one for a step wins. */
export interface Attestation {
  id: number;
  tenantId: string;
  stepId: string;
  attestedBy: string;
  note: string;
  /** ISO date-time. */
  attestedAt: string;
  /** ISO date-time, or null for no expiry. */
  expiresAt: string | null;
  /** Set when recorded with --force for a step that was not unverifiable. */
  forcedReason: string | null;
}

export interface EvaluationContext {
  tenant: Tenant;
  now: Date;
  settings: WindowSettings;
  /** First time each step was done (pass, warn or attested) per earlier history, ISO; used for T0. */
  firstDone: (stepId: string) => string | null;
  /** This tenant's attestations, active and expired (the rules pick the newest per step). */
  attestations: readonly Attestation[];
}

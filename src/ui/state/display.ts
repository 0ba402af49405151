// The words on each line, worked out without Ink: the roster row's cells, the detail list's
// step line and the selected step's pane. Screens only lay these out and colour them.
import { ERROR_REASON_TEXT } from '../../verdicts/derived.js';
import {
  INTEGRATION_LABEL,
  INTEGRATION_PRESENTATION,
  OWNER_WORD,
  STEP_PRESENTATION,
  formatDuration,
  formatProgress,
  formatRelative,
  formatTimestamp,
  windowClock,
  type Tone,
} from './present.js';
import type { IntegrationCell, IntegrationDetail, RosterRow, StepView } from './types.js';
import type { IntegrationId } from '../../core/tenant.js';
import { fitSpans, fitText, mergeSpans, type Span } from './fit.js';
import type { RosterColumns } from './roster.js';

export type { Span };

/** "✔ 7/7"; a dim dot when the integration is not in scope for this tenant. */
export function integrationCell(cell: IntegrationCell | undefined): Span {
  if (cell === undefined) return { text: '·', tone: 'gray' };
  const look = INTEGRATION_PRESENTATION[cell.status];
  const progress = cell.status === 'not_started' ? 'new' : formatProgress(cell.done, cell.applicable);
  return { text: `${look.glyph} ${progress}`, tone: look.tone };
}

export interface RosterCells {
  name: string;
  integrations: Span[];
  next: Span;
  owner: string;
  days: string;
  checked: string;
  manager: string;
}

export function rosterCells(row: RosterRow, columns: readonly IntegrationId[], now: number): RosterCells {
  const byId = new Map(row.integrations.map((cell) => [cell.id, cell]));
  let next: Span;
  if (row.problem !== null) next = { text: `⚠ ${row.problem}`, tone: 'yellow' };
  else if (row.next === null) next = { text: row.lastCheckedAt === null ? 'not checked yet (r)' : '✔ all done', tone: row.lastCheckedAt === null ? 'gray' : 'green' };
  else next = { text: `${STEP_PRESENTATION[row.next.status].glyph} ${row.next.title}`, tone: STEP_PRESENTATION[row.next.status].tone };
  return {
    name: row.name,
    integrations: columns.map((id) => integrationCell(byId.get(id))),
    next,
    owner: row.problem !== null ? OWNER_WORD.expel : row.next === null ? '' : OWNER_WORD[row.next.owner],
    days: row.daysInStage === null ? '—' : `${row.daysInStage} d`,
    checked:
      row.lastCheckedAt === null
        ? 'never'
        : row.stale
          ? `stale ${formatDuration(Math.max(0, now - Date.parse(row.lastCheckedAt)))}`
          : formatRelative(row.lastCheckedAt, now),
    manager: row.engagementManager ?? '',
  };
}

/** The roster's column titles, each fitted to its column. */
export function rosterHeaderText(columns: RosterColumns): string {
  return [
    fitText('', columns.cursor),
    fitText('Tenant', columns.name),
    ...columns.integrations.map((id, index) => fitText(INTEGRATION_LABEL[id] ?? id, columns.cells[index] ?? 0)),
    fitText('Next step', columns.next),
    fitText('Whose move', columns.owner),
    fitText('Stage', columns.days),
    fitText('Checked', columns.checked),
    columns.manager > 0 ? fitText('EM', columns.manager) : '',
  ].join('');
}

/**
 * A roster row as fixed-width text, so Ink writes it without measuring or cutting anything: the
 * name (shown inverse when selected, without its padding) and the other columns as coloured spans.
 */
export interface RosterLine {
  name: string;
  namePad: string;
  /** The other columns: integrations, next step, the plain columns after it. */
  groups: Span[][];
}

export function rosterLine(row: RosterRow, columns: RosterColumns, now: number): RosterLine {
  const cells = rosterCells(row, columns.integrations, now);
  const name = fitText(cells.name, columns.name);
  const text = name.trimEnd();
  const plain = [fitText(cells.owner, columns.owner), fitText(cells.days, columns.days), fitText(cells.checked, columns.checked)];
  if (columns.manager > 0) plain.push(fitText(cells.manager, columns.manager));
  return {
    name: text,
    namePad: name.slice(text.length),
    groups: [
      mergeSpans(cells.integrations.flatMap((span, index) => fitSpans([span], columns.cells[index] ?? 0))),
      fitSpans([cells.next], columns.next),
      [{ text: plain.join('') }],
    ],
  };
}

export interface StepLineWidths {
  title: number;
  status: number;
  summary: number;
  note: number;
}

/** A step line of the detail list as fixed-width columns: title, status, summary, window clock. */
export function stepLine(step: StepView, widths: StepLineWidths, now: number): { title: string; titlePad: string; rest: Span[]; summary: string; note: Span[] } {
  const title = fitText(step.title, widths.title);
  const trimmed = title.trimEnd();
  return {
    title: trimmed,
    titlePad: title.slice(trimmed.length),
    rest: fitSpans(stepStatus(step), widths.status),
    summary: widths.summary > 0 ? fitText(step.summary, widths.summary) : '',
    note: fitSpans([{ text: stepNote(step, now), tone: step.status === 'overdue' ? 'red' : 'cyan' }], widths.note),
  };
}

/** "MDE  ✖ action needed 3/5 · custom app" */
export function integrationHeader(integration: IntegrationDetail): Span[] {
  const look = INTEGRATION_PRESENTATION[integration.status];
  return [
    { text: `${INTEGRATION_LABEL[integration.id] ?? integration.id}  ` },
    { text: `${look.glyph} ${look.word} ${formatProgress(integration.done, integration.applicable)}`, tone: look.tone },
    { text: integration.option === null ? '' : ` · ${integration.option}`, tone: 'gray' },
  ];
}

/** The status of a step as shown: its last real verdict, marked stale when the latest check errored. */
export function stepStatus(step: StepView): Span[] {
  if (step.observedAt === null) return [{ text: '○ not checked yet', tone: 'gray' }];
  const look = STEP_PRESENTATION[step.status];
  const spans: Span[] = [{ text: `${look.glyph} ${look.word}`, tone: look.tone }];
  if (step.latestError !== null && step.status !== 'error') {
    spans.push({ text: ` (stale) ${STEP_PRESENTATION.error.glyph}`, tone: 'yellow' });
  }
  return spans;
}

/** Right-hand note of a step line: the window clock, else what blocks it. */
export function stepNote(step: StepView, now: number): string {
  return windowClock(step, now) ?? (step.status === 'blocked' && step.blockedBy !== null ? `after ${step.blockedBy}` : '');
}

export interface PaneLine {
  label: string;
  spans: Span[];
}

/** The selected step's details, most important first; the pane shows as many as fit. */
export function stepPaneLines(step: StepView, now: number): PaneLine[] {
  const lines: PaneLine[] = [];
  const observed = step.observedAt === null ? 'never checked' : `${formatTimestamp(step.observedAt)} (${formatRelative(step.observedAt, now)})`;
  lines.push({
    label: 'Status',
    spans: [
      ...stepStatus(step),
      { text: ` · observed ${observed}` },
      { text: step.owner === 'none' ? '' : ` · next move: ${OWNER_WORD[step.owner]}` },
    ],
  });
  if (step.latestError !== null) {
    const reason = step.latestError.reason === null ? 'unknown problem' : ERROR_REASON_TEXT[step.latestError.reason];
    lines.push({
      label: 'Latest check',
      spans: [
        { text: `${STEP_PRESENTATION.error.glyph} could not check: ${reason}`, tone: 'yellow' },
        { text: ` (${formatRelative(step.latestError.observedAt, now)}) — ${step.latestError.summary}` },
      ],
    });
  }
  lines.push({ label: 'Summary', spans: [{ text: step.summary === '' ? '—' : step.summary }] });
  const clock = windowClock(step, now);
  if (clock !== null) {
    const by = step.expectedBy === null ? '' : ` (by ${formatTimestamp(step.expectedBy)})`;
    lines.push({ label: 'Window', spans: [{ text: `${clock}${by}`, tone: step.status === 'overdue' ? 'red' : 'cyan' }] });
  }
  if (step.status === 'blocked' && step.blockedBy !== null) lines.push({ label: 'Blocked by', spans: [{ text: step.blockedBy }] });
  if (step.status === 'error' && step.reason !== null) {
    lines.push({ label: 'Reason', spans: [{ text: ERROR_REASON_TEXT[step.reason], tone: 'yellow' }] });
  }
  if (step.attestation !== null) {
    const { attestedBy, attestedAt, note, expiresAt } = step.attestation;
    const expiry = expiresAt === null ? '' : ` (expires ${formatTimestamp(expiresAt)})`;
    lines.push({ label: 'Attested', spans: [{ text: `by ${attestedBy} on ${formatTimestamp(attestedAt)}${expiry}: ${note}` }] });
  }
  if (step.evidence.length > 0) {
    lines.push({ label: 'Evidence', spans: [{ text: step.evidence.map(([key, value]) => `${key}: ${value}`).join(' · '), tone: 'gray' }] });
  }
  return lines;
}

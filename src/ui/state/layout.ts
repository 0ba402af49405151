// How many lines each part of a screen gets. The frame never exceeds rows − 1 lines: at the
// terminal's height Ink clears the screen on every frame (ink-notes §2.1).

export interface TerminalSize {
  columns: number;
  rows: number;
}

/** Lines above and below every screen's body: a title line, the status line and the key hints. */
export const TITLE_LINES = 1;
export const STATUS_LINES = 1;
export const FOOTER_LINES = 1;
/** The sign-in prompt panel (code, URL, more waiting). */
export const PROMPT_LINES = 3;
/** Roster: the sort/filter line and the column header. */
export const ROSTER_HEAD_LINES = 2;
/** Detail: the selected step's pane below the list, when there is room. */
export const STEP_PANE_LINES = 7;
/** History: the column header. */
export const HISTORY_HEAD_LINES = 1;

/** Lines the frame may use in total. */
export function frameBudget(size: TerminalSize): number {
  return Math.max(1, size.rows - 1);
}

function body(size: TerminalSize, prompt: boolean): number {
  return frameBudget(size) - TITLE_LINES - STATUS_LINES - FOOTER_LINES - (prompt ? PROMPT_LINES : 0);
}

export function rosterListHeight(size: TerminalSize, prompt: boolean): number {
  return Math.max(1, body(size, prompt) - ROSTER_HEAD_LINES);
}

/** The step pane shrinks first, then disappears, on short terminals. */
export function detailLayout(size: TerminalSize, prompt: boolean): { list: number; pane: number } {
  const available = body(size, prompt);
  const pane = Math.max(0, Math.min(STEP_PANE_LINES, available - 4));
  return { list: Math.max(1, available - pane), pane };
}

export function historyListHeight(size: TerminalSize, prompt: boolean): number {
  return Math.max(1, body(size, prompt) - HISTORY_HEAD_LINES);
}

export function helpHeight(size: TerminalSize, prompt: boolean): number {
  return Math.max(1, body(size, prompt));
}

/** The form's fields plus the Save line; one more line for the focused field's hint and errors. */
export function formHeight(size: TerminalSize, prompt: boolean): number {
  return Math.max(2, body(size, prompt) - 1);
}

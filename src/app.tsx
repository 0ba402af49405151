// The dashboard root. It owns the one reducer, the one input handler (which only dispatches),
// the effect runner that turns outbox effects into DashboardSource calls, and the one place
// that exits (Shopify cli-kit's lifecycle-root pattern). Screens below it only draw.
import { Box, render, useApp, useInput, useStdin, useStdout, type Key } from 'ink';
import React, { useCallback, useEffect, useReducer, useRef } from 'react';
import { DetailBody, DetailTitle } from './screens/Detail.js';
import { FormBody, FormTitle } from './screens/Form.js';
import { HelpBody, HelpTitle } from './screens/Help.js';
import { HistoryBody, HistoryTitle } from './screens/History.js';
import { InstructionsBody, InstructionsTitle } from './screens/Instructions.js';
import { Footer, Line, SignInPanel, StatusLine } from './screens/parts.js';
import { RosterBody, RosterTitle } from './screens/Roster.js';
import type { DashboardSource } from './ui/source.js';
import { createBatcher, type Batcher } from './ui/state/batch.js';
import type { TerminalSize } from './ui/state/layout.js';
import {
  currentScreen,
  initialState,
  isRecheckRunning,
  keyContext,
  reducer,
  type Action,
  type DashboardState,
  type Effect,
  type TenantRecheckResult,
} from './ui/state/reducer.js';
import type { RosterRow } from './ui/state/types.js';
import { tenantForm } from './ui/state/tenant-form.js';

/**
 * Below this the chrome alone would not fit (the roster's columns need 80 with all five
 * integrations in scope); the app says so instead of drawing a broken frame.
 */
export const MIN_SIZE: TerminalSize = { columns: 80, rows: 10 };

export interface AppProps {
  source: DashboardSource;
  /** The clock (ms); tests pin it. */
  clock?: () => number;
  /** Start with a re-check of every tenant (the demo, so a newcomer sees every status at once). */
  recheckOnStart?: boolean;
  /** Default "confirmed by" for attestations. */
  analyst?: string;
  /** How long re-check results are gathered before one redraw (ms). */
  batchMs?: number;
}

function sizeOf(stdout: NodeJS.WriteStream): TerminalSize {
  return { columns: stdout.columns || 80, rows: stdout.rows || 24 };
}

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

interface RunningRecheck {
  controller: AbortController;
  batcher: Batcher<TenantRecheckResult>;
}

export function App({ source, clock = Date.now, recheckOnStart = false, analyst, batchMs = 100 }: AppProps): React.JSX.Element {
  const { stdout } = useStdout();
  const { isRawModeSupported } = useStdin();
  const { exit } = useApp();
  const [state, dispatch] = useReducer(reducer, undefined, () =>
    initialState({ size: sizeOf(stdout), now: clock(), ...(analyst === undefined ? {} : { analyst }) }),
  );

  // The one input handler: hands the key to the reducer, which reads it in the current context.
  const onKey = useCallback(
    (input: string, key: Key) => dispatch({ type: 'key', input, key, now: clock() }),
    [clock],
  );
  useInput(onKey, { isActive: isRawModeSupported === true });

  useEffect(() => {
    const onResize = (): void => dispatch({ type: 'resize', size: sizeOf(stdout) });
    stdout.on('resize', onResize);
    return () => void stdout.off('resize', onResize);
  }, [stdout]);

  const running = isRecheckRunning(state);
  useEffect(() => {
    // Relative times and the ETA move on their own; once a second only while a re-check runs.
    const timer = setInterval(() => dispatch({ type: 'tick', now: clock() }), running ? 1000 : 15_000);
    return () => clearInterval(timer);
  }, [running, clock]);

  useEffect(
    () =>
      source.onSignIn((event) =>
        dispatch(event.kind === 'prompt' ? { type: 'signin/prompt', prompt: event.prompt } : { type: 'signin/resolved', tenantId: event.tenantId }),
      ),
    [source],
  );

  const rechecks = useRef(new Map<number, RunningRecheck>());
  const background = useRef(new Set<AbortController>());
  useEffect(
    () => () => {
      // Leaving the dashboard abandons whatever is still in flight.
      for (const { controller, batcher } of rechecks.current.values()) {
        batcher.dispose();
        controller.abort();
      }
      rechecks.current.clear();
      for (const controller of background.current) controller.abort();
      background.current.clear();
    },
    [],
  );

  const perform = usePerform(source, dispatch, rechecks, background, clock, batchMs);
  const ranThrough = useRef(0);
  useEffect(() => {
    const pending = state.outbox.filter((item) => item.seq > ranThrough.current);
    if (pending.length === 0) return;
    ranThrough.current = pending[pending.length - 1]!.seq;
    for (const item of pending) perform(item.effect);
    dispatch({ type: 'outbox/drained', through: ranThrough.current });
  }, [state.outbox, perform]);

  const startedFirstRecheck = useRef(false);
  useEffect(() => {
    if (!recheckOnStart || startedFirstRecheck.current || state.loading || state.loadError !== null) return;
    startedFirstRecheck.current = true;
    dispatch({ type: 'command', command: 'recheck.visible', now: clock() });
  }, [recheckOnStart, state.loading, state.loadError, clock]);

  // The lifecycle root: the only exit() in the app, after the last state has been drawn.
  useEffect(() => {
    if (state.exit !== null) exit(state.exit.code);
  }, [state.exit, exit]);

  return <Frame state={state} dispatch={dispatch} />;
}

function usePerform(
  source: DashboardSource,
  dispatch: (action: Action) => void,
  rechecks: React.RefObject<Map<number, RunningRecheck>>,
  background: React.RefObject<Set<AbortController>>,
  clock: () => number,
  batchMs: number,
): (effect: Effect) => void {
  return useCallback(
    (effect: Effect) => {
      switch (effect.kind) {
        case 'loadRoster':
          source.loadRoster().then(
            (snapshot) => dispatch({ type: 'roster/loaded', rows: snapshot.rows, lastFullCheckAt: snapshot.lastFullCheckAt }),
            (error: unknown) => dispatch({ type: 'roster/failed', message: errorText(error) }),
          );
          return;
        case 'completeRows': {
          const controller = new AbortController();
          const batcher = createBatcher<RosterRow[]>((batches) => dispatch({ type: 'roster/rowsUpdated', rows: batches.flat() }), batchMs);
          background.current.add(controller);
          source
            .completeRows(effect.tenantIds, { signal: controller.signal, onRows: (rows) => batcher.push(rows) })
            .catch((error: unknown) => dispatch({ type: 'message', message: { text: `Could not work out days in stage: ${errorText(error)}`, tone: 'error' } }))
            .finally(() => {
              batcher.flush();
              background.current.delete(controller);
            });
          return;
        }
        case 'loadDetail':
          source.loadTenant(effect.tenantId).then(
            (detail) => dispatch({ type: 'detail/loaded', tenantId: effect.tenantId, detail }),
            (error: unknown) => dispatch({ type: 'detail/failed', tenantId: effect.tenantId, message: errorText(error) }),
          );
          return;
        case 'loadHistory':
          source.loadStepHistory(effect.tenantId, effect.stepId).then(
            (entries) => dispatch({ type: 'history/loaded', tenantId: effect.tenantId, stepId: effect.stepId, entries }),
            (error: unknown) =>
              dispatch({ type: 'history/failed', tenantId: effect.tenantId, stepId: effect.stepId, message: errorText(error) }),
          );
          return;
        case 'recheck': {
          const controller = new AbortController();
          const batcher = createBatcher<TenantRecheckResult>(
            (results) => dispatch({ type: 'recheck/progress', runId: effect.runId, results }),
            batchMs,
          );
          rechecks.current.set(effect.runId, { controller, batcher });
          const settle = (outcome: 'finished' | 'cancelled' | 'failed', message?: string): void => {
            batcher.flush();
            rechecks.current.delete(effect.runId);
            dispatch({ type: 'recheck/finished', runId: effect.runId, outcome, now: clock(), ...(message === undefined ? {} : { message }) });
          };
          source
            .recheck(effect.tenantIds, { signal: controller.signal, onTenantDone: (result) => batcher.push(result) })
            .then(
              ({ outcome }) => settle(controller.signal.aborted ? 'cancelled' : outcome),
              (error: unknown) => settle(controller.signal.aborted ? 'cancelled' : 'failed', `Re-check failed: ${errorText(error)}`),
            );
          return;
        }
        case 'cancelRecheck':
          rechecks.current.get(effect.runId)?.controller.abort();
          return;
        case 'openTenantEdit':
          source.tenantFields(effect.tenantId).then(
            (fields) => dispatch({ type: 'form/open', form: tenantForm(fields, effect.tenantId) }),
            (error: unknown) => dispatch({ type: 'message', message: { text: `Cannot edit this tenant: ${errorText(error)}`, tone: 'error' } }),
          );
          return;
        case 'loadInstructions':
          source.instructions(effect.tenantId).then(
            (text) => dispatch({ type: 'instructions/loaded', tenantId: effect.tenantId, text }),
            (error: unknown) => dispatch({ type: 'instructions/failed', tenantId: effect.tenantId, message: errorText(error) }),
          );
          return;
        case 'writeInstructions':
          source.writeInstructions(effect.tenantId).then(
            (file) => dispatch({ type: 'message', message: { text: `Instructions written to ${file}`, tone: 'info' } }),
            (error: unknown) => dispatch({ type: 'message', message: { text: `Could not write the instructions: ${errorText(error)}`, tone: 'error' } }),
          );
          return;
        case 'exportRoster':
          source.exportRoster().then(
            ({ file, rows }) => dispatch({ type: 'message', message: { text: `Exported ${rows} rows to ${file}`, tone: 'info' } }),
            (error: unknown) => dispatch({ type: 'message', message: { text: `Export failed: ${errorText(error)}`, tone: 'error' } }),
          );
          return;
        case 'saveTenant':
        case 'attest': {
          const saving =
            effect.kind === 'saveTenant'
              ? source.saveTenant(effect.mode, effect.tenantId, effect.fields)
              : source.attest(effect.tenantId, effect.stepId, effect.input);
          saving.then(
            (result) =>
              dispatch(result.ok ? { type: 'form/saved', message: result.message, row: result.row } : { type: 'form/rejected', errors: result.errors }),
            (error: unknown) => dispatch({ type: 'form/rejected', errors: { '': [errorText(error)] } }),
          );
          return;
        }
      }
    },
    [source, dispatch, rechecks, background, clock, batchMs],
  );
}

/** Picks the screen's title and body; the chrome around them is the same everywhere. */
function Frame({ state, dispatch }: { state: DashboardState; dispatch: (action: Action) => void }): React.JSX.Element {
  const { columns, rows } = state.size;
  if (columns < MIN_SIZE.columns || rows < MIN_SIZE.rows) {
    return (
      <Box width={columns}>
        <Line>
          Terminal too small ({columns}×{rows}); expel-track needs {MIN_SIZE.columns}×{MIN_SIZE.rows}. q quits.
        </Line>
      </Box>
    );
  }
  const screen = currentScreen(state);
  const [title, body] =
    screen === 'detail'
      ? [<DetailTitle state={state} />, <DetailBody state={state} />]
      : screen === 'history'
        ? [<HistoryTitle state={state} />, <HistoryBody state={state} />]
        : screen === 'help'
          ? [<HelpTitle />, <HelpBody state={state} />]
          : screen === 'instructions'
            ? [<InstructionsTitle state={state} />, <InstructionsBody state={state} />]
            : screen === 'form'
            ? [<FormTitle state={state} />, <FormBody state={state} dispatch={dispatch} />]
            : [<RosterTitle state={state} />, <RosterBody state={state} />];
  return (
    <Box flexDirection="column" width={columns}>
      {title}
      <SignInPanel prompts={state.prompts} nameOf={(tenantId) => state.roster.byId.get(tenantId)?.name} />
      {body}
      <StatusLine state={state} />
      <Footer context={keyContext(state)} />
    </Box>
  );
}

export interface RunDashboardOptions extends AppProps {
  /** Closes the dashboard from outside (SIGTERM, SIGHUP): resolves with 143. */
  signal?: AbortSignal;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
  stderr?: NodeJS.WriteStream;
}

/**
 * Renders the dashboard and resolves with the exit code once it closes: 0 after q, 130 after
 * Ctrl+C. The caller owns the source's resources and closes them afterwards.
 */
export async function runDashboard(options: RunDashboardOptions): Promise<number> {
  const { stdin, stdout, stderr, signal, ...props } = options;
  const instance = render(<App {...props} />, {
    ...(stdin === undefined ? {} : { stdin }),
    ...(stdout === undefined ? {} : { stdout }),
    ...(stderr === undefined ? {} : { stderr }),
    // Ctrl+C is a command here: it asks first while a re-check runs, and exits with 130.
    exitOnCtrlC: false,
  });
  let terminated = false;
  const terminate = (): void => {
    terminated = true;
    instance.unmount();
  };
  signal?.addEventListener('abort', terminate, { once: true });
  try {
    const code = await instance.waitUntilExit();
    return terminated ? 143 : typeof code === 'number' ? code : 0;
  } finally {
    signal?.removeEventListener('abort', terminate);
  }
}

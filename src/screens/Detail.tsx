// One tenant: each integration's steps in guide order, and the selected step's details below.
import { Box, Text } from 'ink';
import React from 'react';
import { integrationHeader, stepLine, stepPaneLines, type StepLineWidths } from '../ui/state/display.js';
import { fitSpans, fitText } from '../ui/state/fit.js';
import type { StepView } from '../ui/state/types.js';
import { detailLayout } from '../ui/state/layout.js';
import { formatRelative } from '../ui/state/present.js';
import { selectedStep, type DashboardState } from '../ui/state/reducer.js';
import { detailWindow } from '../ui/state/selectors.js';
import { CursorLabel, Line, SpanLine, Spans } from './parts.js';

export function DetailTitle({ state }: { state: DashboardState }): React.JSX.Element {
  const detail = state.detail;
  const data = detail?.data ?? null;
  const row = detail === null ? undefined : state.roster.byId.get(detail.tenantId);
  const name = data?.name ?? row?.name ?? detail?.tenantId ?? '';
  const facts = [
    data?.domain ?? row?.domain,
    detail?.tenantId,
    data?.engineer ? `engineer ${data.engineer}` : null,
    data?.engagementManager ? `EM ${data.engagementManager}` : null,
    data ? `checked ${formatRelative(data.lastCheckedAt, state.now)}` : null,
  ].filter((fact): fact is string => typeof fact === 'string' && fact !== '');
  return (
    <Line>
      <Text bold>{name}</Text>
      <Text dimColor> · {facts.join(' · ')}</Text>
    </Line>
  );
}

export function DetailBody({ state }: { state: DashboardState }): React.JSX.Element {
  const detail = state.detail;
  const layout = detailLayout(state.size, state.prompts.length > 0);
  if (detail === null || detail.data === null) {
    const text = detail?.error ? `✖ Could not load this tenant: ${detail.error}` : 'Loading…';
    return (
      <Box flexDirection="column" height={layout.list + layout.pane}>
        <Line tone={detail?.error ? 'red' : undefined}>{text}</Line>
      </Box>
    );
  }
  const window = detailWindow(state);
  const widths = detailWidths(state.size.columns);
  const selected = selectedStep(state);
  // A tenant-level problem (a failed sign-in) leads the pane, so it is never scrolled away.
  const problem = detail.data.problem === null ? [] : [{ label: 'Tenant', spans: [{ text: `⚠ ${detail.data.problem}`, tone: 'yellow' as const }] }];
  const pane = [...problem, ...(selected === null ? [] : stepPaneLines(selected.step, state.now))].slice(0, layout.pane);
  const paneWidth = Math.max(1, state.size.columns - PANE_LABEL_WIDTH);
  return (
    <Box flexDirection="column">
      <Box flexDirection="column" height={layout.list} overflow="hidden">
        {window.items.map((item, index) =>
          item.kind === 'integration' ? (
            <SpanLine key={`i:${item.integration.id}`} spans={integrationHeader(item.integration)} />
          ) : (
            <StepRow key={item.step.id} step={item.step} widths={widths} selected={index === window.selected} now={state.now} />
          ),
        )}
      </Box>
      {layout.pane > 0 ? (
        <Box flexDirection="column" height={layout.pane} overflow="hidden">
          {pane.map((line) => (
            <Text key={line.label} wrap="truncate-end">
              <Text bold>{fitText(line.label, PANE_LABEL_WIDTH)}</Text>
              <Spans spans={fitSpans(line.spans, paneWidth)} />
            </Text>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

const PANE_LABEL_WIDTH = 14;

/**
 * Column widths of the step list, from the terminal width only, so they never move. Below 100
 * columns the status and window columns narrow ("⚠ could not check" still fits) so the summary
 * keeps a readable width.
 */
function detailWidths(columns: number): StepLineWidths {
  const wide = columns >= 100;
  const title = wide ? Math.min(34, Math.floor(columns * 0.28)) : Math.max(16, Math.floor(columns * 0.25));
  const status = wide ? 26 : 18;
  const note = wide ? 26 : 20;
  return { title, status, note, summary: Math.max(0, columns - 2 - title - status - note) };
}

/** One step as one line of pre-fitted columns; memoised like the roster's rows. */
const StepRow = React.memo(function StepRow({
  step,
  widths,
  selected,
  now,
}: {
  step: StepView;
  widths: StepLineWidths;
  selected: boolean;
  now: number;
}): React.JSX.Element {
  const line = stepLine(step, widths, now);
  return (
    <Text wrap="truncate-end">
      <CursorLabel selected={selected} label={line.title} pad={line.titlePad} />
      <Spans spans={line.rest} />
      <Text dimColor>{line.summary}</Text>
      <Spans spans={line.note} />
    </Text>
  );
});

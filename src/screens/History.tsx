// Every stored verdict of one step, newest first.
import { Box, Text } from 'ink';
import React from 'react';
import { STEP_PRESENTATION, formatTimestamp } from '../ui/state/present.js';
import type { DashboardState } from '../ui/state/reducer.js';
import { historyWindow } from '../ui/state/selectors.js';
import { ERROR_REASON_TEXT } from '../verdicts/derived.js';
import { Cell, Line } from './parts.js';

export function HistoryTitle({ state }: { state: DashboardState }): React.JSX.Element {
  const history = state.history;
  const tenant = history === null ? undefined : state.roster.byId.get(history.tenantId);
  return (
    <Line>
      <Text bold>History</Text> · {tenant?.name ?? history?.tenantId} · {history?.stepTitle} <Text dimColor>({history?.stepId})</Text>
    </Line>
  );
}

export function HistoryBody({ state }: { state: DashboardState }): React.JSX.Element {
  const history = state.history;
  if (history === null || history.entries === null) {
    return <Line tone={history?.error ? 'red' : undefined}>{history?.error ? `✖ Could not load the history: ${history.error}` : 'Loading…'}</Line>;
  }
  if (history.entries.length === 0) return <Line dim>This step has not been checked yet.</Line>;
  const window = historyWindow(state);
  return (
    <Box flexDirection="column">
      <Box height={1}>
        <Cell width={2}> </Cell>
        <Cell width={22} bold>Observed</Cell>
        <Cell width={20} bold>Status</Cell>
        <Cell width={Math.max(0, state.size.columns - 44)} bold>Summary</Cell>
      </Box>
      {window.items.map((entry, index) => {
        const look = STEP_PRESENTATION[entry.status];
        const selected = index === window.selected;
        const summary = entry.status === 'error' && entry.reason !== null ? `${ERROR_REASON_TEXT[entry.reason]}: ${entry.summary}` : entry.summary;
        return (
          <Box key={`${window.offset + index}`} height={1}>
            <Cell width={2} bold>{selected ? '›' : ' '}</Cell>
            <Cell width={22}>{formatTimestamp(entry.observedAt)}</Cell>
            <Cell width={20} tone={look.tone}>
              {look.glyph} {look.word}
            </Cell>
            <Cell width={Math.max(0, state.size.columns - 44)}>{summary}</Cell>
          </Box>
        );
      })}
    </Box>
  );
}

// The customer instructions for one tenant, scrollable; `w` writes the Markdown file.
import { Box, Text } from 'ink';
import React from 'react';
import type { DashboardState } from '../ui/state/reducer.js';
import { instructionsWindow } from '../ui/state/selectors.js';
import { Line } from './parts.js';

export function InstructionsTitle({ state }: { state: DashboardState }): React.JSX.Element {
  const tenantId = state.instructions?.tenantId ?? '';
  const name = state.roster.byId.get(tenantId)?.name ?? tenantId;
  const window = instructionsWindow(state);
  const position = window.total > window.items.length ? ` · rows ${window.offset + 1}–${window.offset + window.items.length} of ${window.total}` : '';
  return (
    <Line>
      <Text bold>Instructions</Text> · {name}
      <Text dimColor>
        {position} · w writes the Markdown file · Esc back
      </Text>
    </Line>
  );
}

export function InstructionsBody({ state }: { state: DashboardState }): React.JSX.Element {
  const instructions = state.instructions;
  if (instructions === null || instructions.text === null) {
    return <Line tone={instructions?.error ? 'red' : undefined}>{instructions?.error ? `✖ Could not build the instructions: ${instructions.error}` : 'Loading…'}</Line>;
  }
  const window = instructionsWindow(state);
  return (
    <Box flexDirection="column">
      {window.items.map((row, index) => (
        <Line key={window.offset + index}>{row === '' ? ' ' : row}</Line>
      ))}
    </Box>
  );
}

// The keys, generated from the one key-binding table.
import { Box, Text } from 'ink';
import React from 'react';
import type { DashboardState } from '../ui/state/reducer.js';
import { helpWindow } from '../ui/state/selectors.js';
import { Cell, Line } from './parts.js';

export function HelpTitle(): React.JSX.Element {
  return (
    <Line>
      <Text bold>Keys</Text> <Text dimColor>· Esc or ? closes · j/k scroll</Text>
    </Line>
  );
}

export function HelpBody({ state }: { state: DashboardState }): React.JSX.Element {
  const window = helpWindow(state);
  return (
    <Box flexDirection="column">
      {window.items.map((line, index) => {
        const key = window.offset + index;
        if (line.kind === 'blank') return <Line key={key}> </Line>;
        if (line.kind === 'title') {
          return (
            <Line key={key} bold tone="cyan">
              {line.text}
            </Line>
          );
        }
        return (
          <Box key={key} height={1}>
            <Cell width={16} bold>
              {`  ${line.keys}`}
            </Cell>
            <Cell width={Math.max(0, state.size.columns - 16)}>{line.description}</Cell>
          </Box>
        );
      })}
    </Box>
  );
}

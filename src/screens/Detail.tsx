// One tenant: each integration's steps in guide order, and the selected step's details below.
import { Box, Text } from 'ink';
import React from 'react';
import { integrationHeader, stepNote, stepPaneLines, stepStatus } from '../ui/state/display.js';
import { detailLayout } from '../ui/state/layout.js';
import { formatRelative } from '../ui/state/present.js';
import { selectedStep, type DashboardState } from '../ui/state/reducer.js';
import { detailWindow } from '../ui/state/selectors.js';
import { Cell, Line, Spans } from './parts.js';

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
  const titleWidth = Math.min(34, Math.max(16, Math.floor(state.size.columns * 0.28)));
  const statusWidth = 26;
  const noteWidth = 26;
  const summaryWidth = Math.max(0, state.size.columns - 2 - titleWidth - statusWidth - noteWidth);
  const selected = selectedStep(state);
  // A tenant-level problem (a failed sign-in) leads the pane, so it is never scrolled away.
  const problem = detail.data.problem === null ? [] : [{ label: 'Tenant', spans: [{ text: `⚠ ${detail.data.problem}`, tone: 'yellow' as const }] }];
  const pane = [...problem, ...(selected === null ? [] : stepPaneLines(selected.step, state.now))].slice(0, layout.pane);
  return (
    <Box flexDirection="column">
      <Box flexDirection="column" height={layout.list} overflow="hidden">
        {window.items.map((item, index) => {
          if (item.kind === 'integration') {
            return (
              <Box key={`i:${item.integration.id}`} height={1}>
                <Spans spans={integrationHeader(item.integration)} />
              </Box>
            );
          }
          const isSelected = index === window.selected;
          return (
            <Box key={item.step.id} height={1}>
              <Cell width={2} bold>{isSelected ? '›' : ' '}</Cell>
              <Cell width={titleWidth} bold={isSelected}>
                {isSelected ? <Text inverse>{item.step.title}</Text> : item.step.title}
              </Cell>
              <Box width={statusWidth} flexShrink={0} overflow="hidden">
                <Spans spans={stepStatus(item.step)} />
              </Box>
              <Cell width={summaryWidth} dim>
                {item.step.summary}
              </Cell>
              <Cell width={noteWidth} tone={item.step.status === 'overdue' ? 'red' : 'cyan'}>
                {stepNote(item.step, state.now)}
              </Cell>
            </Box>
          );
        })}
      </Box>
      {layout.pane > 0 ? (
        <Box flexDirection="column" height={layout.pane} overflow="hidden">
          {pane.map((line) => (
            <Box key={line.label} height={1}>
              <Cell width={14} bold>
                {line.label}
              </Cell>
              <Spans spans={line.spans} />
            </Box>
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

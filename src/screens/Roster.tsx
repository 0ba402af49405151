// The roster: one line per tenant, only the rows in the window rendered.
import { Box, Text } from 'ink';
import React from 'react';
import { INTEGRATION_STATUSES } from '../core/status.js';
import { rosterHeaderText, rosterLine } from '../ui/state/display.js';
import { INTEGRATION_PRESENTATION, formatRelative } from '../ui/state/present.js';
import type { DashboardState } from '../ui/state/reducer.js';
import { SORT_LABEL, type RosterColumns } from '../ui/state/roster.js';
import { rosterWindow } from '../ui/state/selectors.js';
import type { RosterRow } from '../ui/state/types.js';
import { CursorLabel, Line, Spans } from './parts.js';

export function RosterTitle({ state }: { state: DashboardState }): React.JSX.Element {
  const { totals, byId } = state.roster;
  return (
    <Line>
      <Text bold>expel-track</Text> {byId.size.toLocaleString('en')} tenants
      {INTEGRATION_STATUSES.map((status) => {
        const look = INTEGRATION_PRESENTATION[status];
        return (
          <Text key={status}>
            {' · '}
            <Text color={look.tone}>
              {look.glyph} {totals[status]}
            </Text>{' '}
            {look.word}
          </Text>
        );
      })}
    </Line>
  );
}

function Controls({ state }: { state: DashboardState }): React.JSX.Element {
  const roster = state.roster;
  const parts = [`sort: ${SORT_LABEL[roster.sort]}${roster.reversed ? ' (reversed)' : ''}`];
  if (roster.needsActionOnly) parts.push('needs action only');
  parts.push(`${roster.visible.length.toLocaleString('en')} of ${roster.byId.size.toLocaleString('en')} shown`);
  parts.push(`last full re-check ${roster.lastFullCheckAt === null ? 'never' : formatRelative(roster.lastFullCheckAt, state.now)}`);
  return (
    <Line>
      {roster.filtering || roster.filter !== '' ? (
        <Text>
          <Text color="cyan">/</Text>
          {roster.filter}
          {roster.filtering ? <Text inverse> </Text> : null}
          {'  '}
        </Text>
      ) : null}
      <Text dimColor>{parts.join(' · ')}</Text>
    </Line>
  );
}

function ColumnHeader({ columns }: { columns: RosterColumns }): React.JSX.Element {
  return (
    <Text bold wrap="truncate-end">
      {rosterHeaderText(columns)}
    </Text>
  );
}

/**
 * One tenant as one line of pre-fitted text (src/ui/state/display.ts rosterLine): Ink only
 * writes it, with no box per column to lay out and nothing to cut. Memoised, so a keystroke
 * recomputes the two rows whose selection changed, not the window.
 */
const Row = React.memo(function Row({
  row,
  columns,
  selected,
  now,
}: {
  row: RosterRow;
  columns: RosterColumns;
  selected: boolean;
  now: number;
}): React.JSX.Element {
  const line = rosterLine(row, columns, now);
  // A few texts rather than one: Ink measures each text's width on every frame, at once when it
  // is plain ASCII and glyph by glyph otherwise, so the plain columns get a text of their own.
  return (
    <Box height={1}>
      <Text wrap="truncate-end" dimColor={row.stale}>
        <CursorLabel selected={selected} label={line.name} pad={line.namePad} />
      </Text>
      {line.groups.map((group, index) => (
        <Text key={index} wrap="truncate-end" dimColor={row.stale}>
          <Spans spans={group} />
        </Text>
      ))}
    </Box>
  );
});

export function RosterBody({ state }: { state: DashboardState }): React.JSX.Element {
  const window = rosterWindow(state);
  const columns = state.roster.columns;
  let empty: string | null = null;
  if (state.loading) empty = 'Loading the roster…';
  else if (state.loadError !== null) empty = `✖ Could not load the roster: ${state.loadError}`;
  else if (state.roster.byId.size === 0) empty = 'No tenants yet. Press a to add one, or run: expel-track tenant import FILE.csv';
  else if (window.total === 0) empty = 'No tenant matches. Esc clears the filter; f shows every tenant.';
  return (
    <Box flexDirection="column">
      <Controls state={state} />
      <ColumnHeader columns={columns} />
      {empty !== null ? (
        <Line tone={state.loadError !== null ? 'red' : undefined} dim={state.loadError === null}>
          {empty}
        </Line>
      ) : (
        window.items.map((row, index) => (
          <Row key={row.tenantId} row={row} columns={columns} selected={index === window.selected} now={state.now} />
        ))
      )}
    </Box>
  );
}

// Add/edit tenant and attest: a column of fields. Text fields are edited through the reducer
// (the top-level input handler types into the focused field, so fast typing and pastes never
// meet a stale closure); choice fields use ink-select-input, which reports picks as actions.
import { Box, Text } from 'ink';
import SelectInput from 'ink-select-input';
import React from 'react';
import { visibleFields, type FormField } from '../ui/state/form.js';
import { formHeight } from '../ui/state/layout.js';
import type { Action, DashboardState } from '../ui/state/reducer.js';
import { Cell, Line } from './parts.js';

const LABEL_WIDTH = 22;

export function FormTitle({ state }: { state: DashboardState }): React.JSX.Element {
  return (
    <Line>
      <Text bold>{state.form?.title ?? ''}</Text>
      <Text dimColor> · Tab moves between fields · Enter on Save saves · Esc cancels</Text>
    </Line>
  );
}

function valueText(field: FormField): string {
  if (field.kind === 'text') return field.value;
  if (field.kind === 'choice') return field.choices.find((choice) => choice.value === field.value)?.label ?? field.value;
  const on = field.choices.filter((choice) => field.value.includes(choice.value)).map((choice) => choice.label);
  return on.length === 0 ? 'none' : on.join(', ');
}

function FieldRow({
  field,
  focused,
  errors,
  dispatch,
  width,
}: {
  field: FormField;
  focused: boolean;
  errors: readonly string[];
  dispatch: (action: Action) => void;
  width: number;
}): React.JSX.Element {
  const marker = focused ? '›' : ' ';
  const invalid = errors.length > 0;
  const label = (
    <Cell width={LABEL_WIDTH} bold={focused} tone={invalid ? 'red' : undefined}>
      {`${marker} ${field.label}${invalid ? ' ✖' : ''}`}
    </Cell>
  );
  if (field.kind === 'text') {
    return (
      <Box height={1}>
        {label}
        <Box width={Math.max(1, width - LABEL_WIDTH)} overflow="hidden">
          {focused ? (
            <Text wrap="truncate-start">
              {field.value}
              <Text inverse> </Text>
            </Text>
          ) : (
            <Text wrap="truncate-end" dimColor={field.readOnly}>
              {field.value === '' ? <Text dimColor>—</Text> : field.value}
            </Text>
          )}
        </Box>
      </Box>
    );
  }
  if (!focused) {
    return (
      <Box height={1}>
        {label}
        <Text wrap="truncate-end">{valueText(field)}</Text>
      </Box>
    );
  }
  const items =
    field.kind === 'choice'
      ? field.choices.map((choice) => ({ label: choice.label, value: choice.value }))
      : field.choices.map((choice) => ({ label: `[${field.value.includes(choice.value) ? 'x' : ' '}] ${choice.label}`, value: choice.value }));
  const initialIndex = field.kind === 'choice' ? Math.max(0, field.choices.findIndex((choice) => choice.value === field.value)) : 0;
  return (
    <Box flexDirection="column" height={1 + items.length}>
      <Box height={1}>
        {label}
        <Text wrap="truncate-end">{valueText(field)}</Text>
      </Box>
      <Box marginLeft={LABEL_WIDTH} flexDirection="column">
        <SelectInput
          items={items}
          initialIndex={initialIndex}
          isFocused
          onSelect={(item) =>
            dispatch(
              field.kind === 'choice'
                ? { type: 'form/choose', name: field.name, value: item.value }
                : { type: 'form/toggle', name: field.name, value: item.value },
            )
          }
        />
      </Box>
    </Box>
  );
}

export function FormBody({ state, dispatch }: { state: DashboardState; dispatch: (action: Action) => void }): React.JSX.Element {
  const form = state.form;
  if (form === null) return <Line>Loading…</Line>;
  const height = formHeight(state.size, state.prompts.length > 0);
  const [first, end] = visibleFields(form, height - 1);
  const focusedField = form.fields[form.focus];
  const focusedErrors = focusedField === undefined ? (form.errors[''] ?? []) : (form.errors[focusedField.name] ?? []);
  const onSave = form.focus >= form.fields.length;
  const anyErrors = Object.values(form.errors).some((list) => list.length > 0);
  let note: React.JSX.Element;
  if (form.saving) note = <Line tone="cyan">Saving…</Line>;
  else if (focusedErrors.length > 0) note = <Line tone="red">✖ {focusedErrors.join('; ')}</Line>;
  else if (onSave && anyErrors) note = <Line tone="red">✖ Some fields need fixing (marked ✖).</Line>;
  else note = <Line dim>{focusedField?.hint ?? ' '}</Line>;
  return (
    <Box flexDirection="column">
      <Box flexDirection="column" height={height - 1} overflow="hidden">
        {form.fields.slice(first, end).map((field, index) => (
          <FieldRow
            key={field.name}
            field={field}
            focused={first + index === form.focus}
            errors={form.errors[field.name] ?? []}
            dispatch={dispatch}
            width={state.size.columns}
          />
        ))}
      </Box>
      <Line bold={onSave}>
        {onSave ? '› ' : '  '}
        <Text inverse={onSave}>[ Save ]</Text>
        {end < form.fields.length || first > 0 ? <Text dimColor>{`  (fields ${first + 1}–${end} of ${form.fields.length})`}</Text> : null}
      </Line>
      {note}
    </Box>
  );
}

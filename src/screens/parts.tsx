// Small view pieces shared by the screens. Every line is one terminal line (wrap="truncate"),
// so the window arithmetic in src/ui/state/layout.ts holds.
import { Box, Text } from 'ink';
import React from 'react';
import { footerHints, type KeyContext } from '../ui/state/keymap.js';
import { progressView, type ProgressView } from '../ui/state/selectors.js';
import type { DashboardState } from '../ui/state/reducer.js';
import type { Span } from '../ui/state/display.js';
import type { SignInPrompt } from '../ui/state/types.js';

/** Coloured pieces of a line, for use inside a <Text> (nested Text nodes cost no layout). */
export function Spans({ spans }: { spans: readonly Span[] }): React.JSX.Element {
  return (
    <>
      {spans.map((span, index) =>
        span.tone === undefined ? (
          <React.Fragment key={index}>{span.text}</React.Fragment>
        ) : (
          <Text key={index} color={span.tone}>
            {span.text}
          </Text>
        ),
      )}
    </>
  );
}

/** The start of a list line: the cursor, then the label (inverse when selected, not its padding). */
export function CursorLabel({ selected, label, pad }: { selected: boolean; label: string; pad: string }): React.JSX.Element {
  return (
    <>
      <Text bold>{selected ? '› ' : '  '}</Text>
      {selected ? (
        <Text bold inverse>
          {label}
        </Text>
      ) : (
        label
      )}
      {pad}
    </>
  );
}

/** A line of coloured pieces, cut at the terminal's edge. */
export function SpanLine({ spans, dim }: { spans: readonly Span[]; dim?: boolean }): React.JSX.Element {
  return (
    <Text wrap="truncate-end" dimColor={dim}>
      <Spans spans={spans} />
    </Text>
  );
}

/** A fixed-width column; Ink measures and truncates, so wide characters never break alignment. */
export function Cell({
  width,
  children,
  tone,
  dim,
  bold,
}: {
  width: number;
  children: React.ReactNode;
  tone?: string | undefined;
  dim?: boolean;
  bold?: boolean;
}): React.JSX.Element | null {
  if (width <= 0) return null;
  return (
    <Box width={width} flexShrink={0} overflow="hidden">
      <Text wrap="truncate-end" color={tone} dimColor={dim} bold={bold}>
        {children}
      </Text>
    </Box>
  );
}

export function Line({ children, dim, bold, tone }: { children: React.ReactNode; dim?: boolean; bold?: boolean; tone?: string }): React.JSX.Element {
  return (
    <Box height={1} overflow="hidden">
      <Text wrap="truncate-end" dimColor={dim} bold={bold} color={tone}>
        {children}
      </Text>
    </Box>
  );
}

const BAR_WIDTH = 24;

function ProgressLine({ progress }: { progress: ProgressView }): React.JSX.Element {
  const filled = Math.round(progress.fraction * BAR_WIDTH);
  const bar = `${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}`;
  const parts = [
    `${progress.done}/${progress.total}`,
    `${progress.errors} error${progress.errors === 1 ? '' : 's'}`,
    ...(progress.eta === null ? [] : [progress.eta]),
    ...(progress.running ? ['c cancels'] : []),
  ];
  return (
    <Line>
      <Text color={progress.running ? 'cyan' : 'green'}>{progress.label} </Text>
      <Text color="cyan">{bar}</Text> {parts.join(' · ')}
    </Line>
  );
}

/** The line above the footer: a question, the re-check progress, or the last message. */
export function StatusLine({ state }: { state: DashboardState }): React.JSX.Element {
  if (state.confirm !== null) {
    return (
      <Line tone="yellow" bold>
        ? {state.confirm.question} (y/n)
      </Line>
    );
  }
  const progress = progressView(state);
  if (progress !== null && (progress.running || state.message === null)) return <ProgressLine progress={progress} />;
  if (state.message !== null) {
    return <Line tone={state.message.tone === 'error' ? 'red' : undefined}>{state.message.tone === 'error' ? `✖ ${state.message.text}` : state.message.text}</Line>;
  }
  return <Line> </Line>;
}

export function Footer({ context }: { context: KeyContext }): React.JSX.Element {
  return <Line dim>{footerHints(context)}</Line>;
}

/** Device-code sign-in, shown inside the UI (never printed around the frame). */
export function SignInPanel({
  prompts,
  nameOf,
}: {
  prompts: readonly SignInPrompt[];
  nameOf: (tenantId: string) => string | undefined;
}): React.JSX.Element | null {
  const prompt = prompts[0];
  if (prompt === undefined) return null;
  const who = nameOf(prompt.tenantId) ?? prompt.tenantId;
  return (
    <Box flexDirection="column" height={3} overflow="hidden">
      <Line tone="yellow" bold>
        ⚿ Sign in for {who}: open {prompt.verificationUri} and enter the code {prompt.userCode}
      </Line>
      <Line dim>{prompt.message}</Line>
      <Line dim>{prompts.length > 1 ? `${prompts.length - 1} more sign-in${prompts.length === 2 ? '' : 's'} waiting after this one` : ' '}</Line>
    </Box>
  );
}

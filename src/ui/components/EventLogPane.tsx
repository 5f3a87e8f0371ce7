/**
 * `l`: the event log at the bottom of the screen, a mount seen in several
 * namespaces on one line, who made it at its end. Tab focuses it: j/k scroll,
 * `/` filters as you type, Space pauses, w writes the journal to a file.
 */
import type React from 'react';
import { Box, Text } from 'ink';
import { sanitize } from '../../format/sanitize.js';
import { truncate } from '../../format/width.js';
import type { Colour } from '../../format/theme.js';
import type { LogEntry } from '../event-log.js';
import type { LogView } from '../hooks/use-log.js';
import type { ViewState } from '../view-cursors.js';
import { C } from '../theme.js';

const TYPE_COLOUR: Record<LogEntry['type'], Colour> = {
  mount: 'green',
  umount: 'red',
  change: 'yellow',
  'namespace-added': 'cyan',
  'namespace-removed': 'magenta',
  'process-added': 'blue',
  'process-removed': 'gray',
};

/** The header: what the log shows and the keys that matter now. */
function header(log: LogView, view: ViewState, focused: boolean): string {
  const what = view.logProcesses ? 'Events' : 'Events (no process events: L)';
  const state = [
    view.logFilter ? `filter "${view.logFilter}": ${log.total} line${log.total === 1 ? '' : 's'}` : '',
    view.logPaused ? `PAUSED${log.waiting ? `, ${log.waiting} new` : ''} (Space)` : '',
    view.logBack > 0 ? `${view.logBack} newer below (G)` : '',
  ].filter(Boolean);
  const keys = focused ? 'j/k scroll · / filter · Space pause · w save · Esc back' : 'Tab to focus · l to hide';
  const empty = log.total === 0 && !view.logFilter ? ` — nothing yet: mount or umount${view.logProcesses ? ', or start a process,' : ''} to see it here` : '';
  return `${what}${state.length ? ` — ${state.join(' · ')}` : ''}${empty} — ${keys}`;
}

export function EventLogPane({
  log,
  view,
  focused,
  height,
  width,
  label,
}: {
  log: LogView;
  view: ViewState;
  focused: boolean;
  height: number;
  width: number;
  label: (inode: number) => string;
}): React.ReactElement {
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <C bold c="cyan" inverse={focused}>
          {truncate(sanitize(header(log, view, focused)), width)}
        </C>
      </Text>
      {log.shown.map((e, i) => {
        const where = e.namespaces.map(label).join(', ');
        return (
          <Text key={i} wrap="truncate">
            <C dim>{e.time.slice(11, 19)} </C>
            <C c={TYPE_COLOUR[e.type]}>{e.type.padEnd(17)}</C>
            {truncate(` ${sanitize(e.subject)}  ${sanitize(e.detail)}  in ${where}${e.who ? `  ${sanitize(e.who)}` : ''}`, Math.max(0, width - 27))}
          </Text>
        );
      })}
    </Box>
  );
}

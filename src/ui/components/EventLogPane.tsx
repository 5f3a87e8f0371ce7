/** `l`: the newest events at the bottom of the screen, a mount seen in several namespaces on one line. */
import type React from 'react';
import { Box, Text } from 'ink';
import { sanitize } from '../../format/sanitize.js';
import { truncate } from '../../format/width.js';
import type { Colour } from '../../format/theme.js';
import type { LogEntry } from '../event-log.js';
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

export function EventLogPane({
  entries,
  processes,
  height,
  width,
  label,
}: {
  entries: LogEntry[];
  processes: boolean;
  height: number;
  width: number;
  label: (inode: number) => string;
}): React.ReactElement {
  const shown = entries.slice(-(height - 1));
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text wrap="truncate">
        <C bold c="cyan">
          {truncate(
            `Events (l to hide, L: ${processes ? 'hide' : 'show'} process events) — ${entries.length ? 'newest last' : `nothing yet: mount or umount${processes ? ', or start a process,' : ''} to see it here`}`,
            width,
          )}
        </C>
      </Text>
      {shown.map((e, i) => {
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

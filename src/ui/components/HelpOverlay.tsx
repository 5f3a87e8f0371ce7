/** `?`: every key, generated from the one keymap table, plus the legend of markers and colours. */
import type React from 'react';
import { Box, Text } from 'ink';
import { KEYMAP, labelOf } from '../keys/keymap.js';
import { TAG_COLOUR } from '../../format/theme.js';
import { fit, truncate } from '../../format/width.js';
import { C } from '../theme.js';

function keyCell(b: (typeof KEYMAP)[number] | undefined, width: number): React.ReactElement | null {
  if (!b) return null;
  return (
    <>
      <C c="cyan">{`  ${labelOf(b).padEnd(8)}`}</C>
      {fit(' ' + truncate(b.description, Math.max(0, width - 12)), Math.max(0, width - 10))}
    </>
  );
}

/** Every row of the help (keys, then the legend) for a terminal `width` wide. */
function helpRows(width: number): React.ReactElement[] {
  const two = width >= 80;
  const half = two ? Math.ceil(KEYMAP.length / 2) : KEYMAP.length;
  const colW = two ? Math.floor(width / 2) : width;
  const keyRows = Array.from({ length: half }, (_, i) => (
    <Text key={`k${i}`} wrap="truncate">
      {keyCell(KEYMAP[i], colW)}
      {two ? keyCell(KEYMAP[i + half], colW) : null}
    </Text>
  ));
  const legend = [
    <Text key="f" bold>
      Namespace flags
    </Text>,
    <Text key="f1" wrap="truncate">
      {'  '}
      <C c="green" bold>
        I
      </C>
      {' initial (host)   '}
      <C c="magenta">H</C>
      {' held without processes   '}
      <C c="magenta">M</C>
      {' made by mntns (u)   '}
      <C c="blue">C</C>
      {' chrooted processes   '}
      <C c="yellow" bold>
        !
      </C>
      {' a warning: mounts cross into another namespace (f tells why)'}
    </Text>,
    <Text key="p" bold>
      Propagation
    </Text>,
    <Text key="p1" wrap="truncate">
      {'  '}
      <C c={TAG_COLOUR.shared}>shared:N</C>
      {' sends to and receives from peer group N   '}
      <C c={TAG_COLOUR.master}>master:N</C>
      {' receives from group N   '}
      <C c={TAG_COLOUR.propagate_from}>propagate_from:N</C>
      {' nearest visible master'}
    </Text>,
    <Text key="p2" wrap="truncate">
      {'  '}
      <C c={TAG_COLOUR.unbindable}>unbindable</C>
      {'   '}
      <C c={TAG_COLOUR.private}>private</C>
      {'   '}
      <C c="red">hidden</C>
      {' overmounted   '}
      <C c="green" bold>
        green
      </C>
      {' changed a moment ago'}
    </Text>,
  ];
  return [...keyRows, ...legend];
}

/** How many rows the help has at this width (what j/k scroll over). */
export const helpLength = (width: number): number => helpRows(width).length;

/**
 * A title row, then a window of `height - 1` help rows from `top`: a small
 * terminal scrolls it with j/k like the details view. Ink squashes rows that
 * overflow a box, so every row is one truncated line.
 */
export function HelpOverlay({ height, width, top }: { height: number; width: number; top: number }): React.ReactElement {
  const rows = helpRows(width);
  const room = Math.max(0, height - 1);
  const shown = rows.slice(top, top + room);
  const below = rows.length - top - shown.length;
  const where = top > 0 || below > 0 ? ` · ${below} more, j/k` : '';
  return (
    <Box flexDirection="column" width={width} height={height}>
      <Text bold wrap="truncate">
        {truncate(`mntns keys (?/Esc: close)${where}`, width)}
      </Text>
      {shown}
    </Box>
  );
}

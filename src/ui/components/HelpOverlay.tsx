/** `?`: every key, generated from the one keymap table, plus the legend of markers and colours. */
import type React from 'react';
import { Box, Text } from 'ink';
import { KEYMAP, labelOf } from '../keys/keymap.js';
import { TAG_COLOUR } from '../../format/theme.js';
import { fit, truncate, wrapText } from '../../format/width.js';
import { C } from '../theme.js';

/** A binding's help lines: its keys, then its description wrapped by display width (never cut). */
function keyLines(b: (typeof KEYMAP)[number], width: number): Array<[string, string]> {
  return wrapText(b.description, Math.max(20, width - 12)).map((part, j) => [j === 0 ? `  ${labelOf(b).padEnd(8)}` : ' '.repeat(10), ' ' + part]);
}

/** Every row of the help (keys, then the legend) for a terminal `width` wide: two columns from 140 columns. */
function helpRows(width: number): React.ReactElement[] {
  const two = width >= 140;
  const colW = two ? Math.floor(width / 2) : width;
  const half = two ? Math.ceil(KEYMAP.length / 2) : KEYMAP.length;
  const left = KEYMAP.slice(0, half).flatMap((b) => keyLines(b, colW));
  const right = two ? KEYMAP.slice(half).flatMap((b) => keyLines(b, colW)) : [];
  const cell = (l: [string, string] | undefined, pad: boolean): React.ReactElement | null =>
    l ? (
      <>
        <C c="cyan">{l[0]}</C>
        {pad ? fit(l[1], Math.max(0, colW - l[0].length)) : l[1]}
      </>
    ) : pad ? (
      <>{' '.repeat(colW)}</>
    ) : null;
  const keyRows = Array.from({ length: Math.max(left.length, right.length) }, (_, i) => (
    <Text key={`k${i}`} wrap="truncate">
      {cell(left[i], two)}
      {two ? cell(right[i], false) : null}
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
        {truncate(`mntns keys (Esc)${where}`, width)}
      </Text>
      {shown}
    </Box>
  );
}

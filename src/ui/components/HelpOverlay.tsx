/** `?`: every key, generated from the one keymap table, plus the legend of markers and colours. */
import React from 'react';
import { Box, Text } from 'ink';
import { KEYMAP } from '../keys/keymap.js';
import { TAG_COLOUR } from '../../format/theme.js';
import { C } from '../theme.js';

export function HelpOverlay({ height, width }: { height: number; width: number }): React.ReactElement {
  const lines: React.ReactElement[] = [
    <Text key="t" bold>mntns — keys (Esc or ? to close)</Text>,
    ...KEYMAP.map((b) => (
      <Text key={b.command} wrap="truncate">
        <C c="cyan">{`  ${b.label.padEnd(8)}`}</C> {b.description}
      </Text>
    )),
    <Text key="s1"> </Text>,
    <Text key="f" bold>Namespace flags</Text>,
    <Text key="f1" wrap="truncate">  <C c="green" bold>I</C> initial (host) namespace   <C c="magenta">H</C> held without processes (bind mount or fd)</Text>,
    <Text key="f2" wrap="truncate">  <C c="blue">C</C> has chrooted processes      <C c="yellow" bold>!</C> shares a peer group with another namespace: mounts cross</Text>,
    <Text key="s2"> </Text>,
    <Text key="p" bold>Propagation</Text>,
    <Text key="p1" wrap="truncate">
      {'  '}<C c={TAG_COLOUR.shared}>shared:N</C> sends to and receives from peer group N   <C c={TAG_COLOUR.master}>master:N</C> receives from group N
    </Text>,
    <Text key="p2" wrap="truncate">
      {'  '}<C c={TAG_COLOUR.propagate_from}>propagate_from:N</C> nearest visible master   <C c={TAG_COLOUR.unbindable}>unbindable</C>   <C c={TAG_COLOUR.private}>private</C>   <C c="red">hidden</C> overmounted
    </Text>,
  ];
  return (
    <Box flexDirection="column" width={width} height={height}>
      {lines.slice(0, height)}
    </Box>
  );
}

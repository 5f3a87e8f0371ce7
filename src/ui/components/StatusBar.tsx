/** Two lines: counts, refresh time and errors; then key hints, the search prompt or a notice. */
import type React from 'react';
import { Box, Text } from 'ink';
import { DIALOG_KEYMAPS, KEYMAP, keyLabel } from '../keys/keymap.js';
import { sanitize } from '../../format/sanitize.js';
import { displayWidth, fit, truncate } from '../../format/width.js';
import { C } from '../theme.js';
import type { Mode } from '../view-state.js';

export interface StatusProps {
  width: number;
  info: string;
  errors: string;
  mode: Mode;
  searchInput: string;
  message: string | null;
}

const HINT = KEYMAP.filter((b) => b.hint)
  .map((b) => `${keyLabel(b.keys[0])}:${b.hint}`)
  .join('  ');
const SEARCH_HINT = DIALOG_KEYMAPS.search
  .filter((b) => b.command === 'submit' || b.command === 'cancel')
  .map((b) => `${keyLabel(b.keys[0])}: ${b.description}`)
  .join('  ');

export function StatusBar({ width, info, errors, mode, searchInput, message }: StatusProps): React.ReactElement {
  // Messages carry errno texts, child stderr and paths: one line, sanitised, before fitting.
  const errText = errors ? ` ${sanitize(errors)} ` : '';
  info = sanitize(info);
  message = message === null ? null : sanitize(message);
  let second: React.ReactElement;
  if (mode === 'search')
    second = (
      <Text wrap="truncate">
        <C c="cyan">/</C>
        {sanitize(searchInput)}
        <C inverse> </C>
        {message ? <C c={message.startsWith('no match') ? 'red' : 'green'}>{`  ${message}`}</C> : null}
        <C dim>{`  ${SEARCH_HINT}`}</C>
      </Text>
    );
  else if (message)
    second = (
      <Text wrap="truncate">
        <C c="yellow">{fit(message, width)}</C>
      </Text>
    );
  else
    second = (
      <Text wrap="truncate">
        <C dim>{fit(HINT, width)}</C>
      </Text>
    );
  return (
    <Box flexDirection="column" width={width} height={2}>
      <Text wrap="truncate">
        <C inverse>{fit(info, Math.max(0, width - displayWidth(errText)))}</C>
        {errText ? (
          <C c="red" inverse>
            {truncate(errText, width)}
          </C>
        ) : null}
      </Text>
      {second}
    </Box>
  );
}

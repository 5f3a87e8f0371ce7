/** A list pane: one header line (cyan while focused) over `height` rows. */
import type React from 'react';
import { Box, Text } from 'ink';
import { fit } from '../../format/width.js';
import { C } from '../theme.js';

/** What every windowed list pane gets: all its rows, the cursor, and the visible window. */
export interface WindowProps<R> {
  rows: R[];
  cursor: number;
  /** First visible row. */
  top: number;
  height: number;
  width: number;
  focused: boolean;
}

export function Pane(props: { width: number; height: number; header: string; focused: boolean; children: React.ReactNode }): React.ReactElement {
  return (
    <Box flexDirection="column" width={props.width} height={props.height + 1}>
      <Text wrap="truncate">
        <C bold c={props.focused ? 'cyan' : undefined}>
          {fit(props.header, props.width)}
        </C>
      </Text>
      {props.children}
    </Box>
  );
}

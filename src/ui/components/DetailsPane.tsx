/** The details of the selected mount, scrolled with the usual keys; Esc closes. */
import React from 'react';
import { Box, Text } from 'ink';
import type { Line } from '../details.js';
import { C, SegmentLine } from '../theme.js';

export function DetailsPane({ lines, top, height, width, title = 'Details' }: { lines: Line[]; top: number; height: number; width: number; title?: string }): React.ReactElement {
  const visible = lines.slice(top, top + height);
  const more = lines.length > top + height ? ` ↓ ${lines.length - top - height} more` : '';
  return (
    <Box flexDirection="column" width={width} height={height + 1}>
      <Text wrap="truncate"><C bold c="cyan">{`${title} (Esc to close)${more}`}</C></Text>
      {visible.map((l, i) => <SegmentLine key={top + i} line={l} />)}
    </Box>
  );
}

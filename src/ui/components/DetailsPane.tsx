/** The details of the selected mount, scrolled with the usual keys; Esc closes. */
import type React from 'react';
import type { Line } from '../details.js';
import { SegmentLine } from '../theme.js';
import { Pane } from './Pane.js';

export function DetailsPane({ lines, top, height, width, title = 'Details' }: { lines: Line[]; top: number; height: number; width: number; title?: string }): React.ReactElement {
  const visible = lines.slice(top, top + height);
  const more = lines.length > top + height ? ` ↓ ${lines.length - top - height} more` : '';
  return (
    <Pane width={width} height={height} header={`${title} (Esc to close)${more}`} focused>
      {visible.map((l, i) => (
        <SegmentLine key={top + i} line={l} />
      ))}
    </Pane>
  );
}

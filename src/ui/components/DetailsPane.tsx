/** The details of the selected mount, scrolled with the usual keys; Esc closes. */
import type React from 'react';
import type { Line } from '../details.js';
import { SegmentLine } from '../theme.js';
import { Pane } from './Pane.js';

/** `pick`: the selected line (one that leads somewhere, Enter follows it), drawn inverse with a `>`. */
export function DetailsPane({
  lines,
  top,
  height,
  width,
  title = 'Details',
  pick = -1,
}: {
  lines: Line[];
  top: number;
  height: number;
  width: number;
  title?: string;
  pick?: number;
}): React.ReactElement {
  const visible = lines.slice(top, top + height);
  const more = lines.length > top + height ? ` ↓ ${lines.length - top - height} more` : '';
  const leads = lines.some((l) => l.go) ? ' · ↑↓ Enter to follow' : '';
  return (
    <Pane width={width} height={height} header={`${title} (Esc to close)${leads}${more}`} focused>
      {visible.map((l, i) => (
        <SegmentLine key={top + i} line={l} picked={top + i === pick} />
      ))}
    </Pane>
  );
}

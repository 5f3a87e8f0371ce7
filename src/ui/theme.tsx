/** Colour on/off for the whole TUI (NO_COLOR, --no-color) and the segment renderer. */
import type React from 'react';
import { createContext, useContext } from 'react';
import { Text } from 'ink';
import type { Colour } from '../format/theme.js';
import { sanitize } from '../format/sanitize.js';
import type { Line } from './details.js';

export const ColourContext = createContext(true);
export const useColour = (): boolean => useContext(ColourContext);

/** A coloured span; with colour off it keeps bold/dim/inverse but drops the hue. Its text is sanitised. */
export function C(props: { c?: Colour; bold?: boolean; dim?: boolean; inverse?: boolean; children: React.ReactNode }): React.ReactElement {
  const on = useColour();
  return (
    <Text color={on ? props.c : undefined} bold={props.bold} dimColor={on ? props.dim : false} inverse={props.inverse}>
      {typeof props.children === 'string' ? sanitize(props.children) : props.children}
    </Text>
  );
}

/** One line of segments, cut to the pane width by Ink; `picked`: the selected line, `>` and inverse (NO_COLOR keeps both). */
export function SegmentLine({ line, picked = false }: { line: Line; picked?: boolean }): React.ReactElement {
  return (
    <Text wrap="truncate" inverse={picked}>
      {picked ? '>' : ''}
      {line.length === 0
        ? ' '
        : line.map((s, i) => (
            <C key={i} c={s.colour} bold={s.bold} dim={s.dim}>
              {s.text}
            </C>
          ))}
    </Text>
  );
}

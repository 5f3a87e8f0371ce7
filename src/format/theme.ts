/**
 * Colours by meaning, with NO_COLOR / --no-color honoured here (chalk inside Ink
 * ignores NO_COLOR, so every colour in mntns goes through this table).
 */
import type { PropagationTag } from './propagation.js';

export type Colour = 'green' | 'yellow' | 'cyan' | 'magenta' | 'red' | 'gray' | 'blue' | 'white';

/** Colour of each propagation tag: shared = sends, master = receives, unbindable = fenced. */
export const TAG_COLOUR: Record<PropagationTag['kind'], Colour> = {
  shared: 'yellow',
  master: 'cyan',
  propagate_from: 'blue',
  unbindable: 'magenta',
  private: 'green',
};

const SGR: Record<Colour, number> = { red: 31, green: 32, yellow: 33, blue: 34, magenta: 35, cyan: 36, white: 37, gray: 90 };

/** True when colour output is wanted: NO_COLOR (any non-empty value) turns it off. */
export function colourEnabled(env: NodeJS.ProcessEnv, flagNoColor: boolean): boolean {
  return !flagNoColor && !(env.NO_COLOR !== undefined && env.NO_COLOR !== '');
}

/** Wraps already-sanitised text in an SGR colour, or returns it as is. */
export function paint(text: string, colour: Colour | null, on: boolean): string {
  return on && colour ? `\x1b[${SGR[colour]}m${text}\x1b[39m` : text;
}

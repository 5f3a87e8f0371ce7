// Ink's measurements, kept from one frame to the next (bundled into the view by
// scripts/build-if-stale.mjs in place of Ink's own `./output.js` and of its
// `widest-line`). Ink 6.8 measures every line of every frame afresh: its Output
// caches the styled characters and widths of a line only for the frame it
// draws, and each text node's widest line not at all. Between two frames almost
// every line is the same, so a keypress in a 50,000-mount tree spent 80 % of
// its 17 ms there (node bench/tui.mjs; with the caches kept: 6 ms). The values
// are pure functions of the line's text; the caches are bounded.
import InkOutput from '../node_modules/ink/build/output.js';
import inkWidestLine from '../node_modules/widest-line/index.js';

/** Entries a cache holds before it starts afresh (a frame needs a few hundred). */
export const CACHE_LIMIT = 20_000;

const shared = new InkOutput({ width: 0, height: 0 }).caches;

export class Output extends InkOutput {
  constructor(options) {
    super(options);
    if (shared.styledChars.size > CACHE_LIMIT || shared.widths.size > CACHE_LIMIT || shared.blockWidths.size > CACHE_LIMIT) {
      shared.styledChars.clear();
      shared.widths.clear();
      shared.blockWidths.clear();
    }
    this.caches = shared;
  }
}

const widest = new Map();

export function widestLine(text) {
  let w = widest.get(text);
  if (w === undefined) {
    if (widest.size > CACHE_LIMIT) widest.clear();
    w = inkWidestLine(text);
    widest.set(text, w);
  }
  return w;
}

/** What the caches hold now (for the tests). */
export const cacheSizes = () => ({ styledChars: shared.styledChars.size, widths: shared.widths.size, widest: widest.size });

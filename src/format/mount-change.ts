/** What a `change` event changed, in findmnt's words: propagation old → new, and OLD-OPTIONS → options. */
import type { Mount } from '../model/types.js';
import type { ComparedField } from '../model/compare.js';
import { propagationText } from './propagation.js';
import { sanitize } from './sanitize.js';
import { sourceText } from './mount-columns.js';

const tags = (m: Mount): string => propagationText(m.propagation);

/** `shared:3 → private`, `options rw,relatime → ro,relatime`, both, or '' when neither moved (raw: sanitise to draw). */
export function changeWords(before: Mount, after: Mount): string {
  const parts: string[] = [];
  if (tags(before) !== tags(after)) parts.push(`${tags(before)} → ${tags(after)}`);
  if (before.options !== after.options) parts.push(`options ${before.options} → ${after.options}`);
  return parts.join(', ');
}

/** `/srv  tmpfs data[/sub]  rw  shared:5`: one mount on one line (diff, where, compare), sanitised; SOURCE with its fs root as findmnt writes it. */
export function mountSummary(m: Mount): string {
  return `${sanitize(m.target)}  ${sanitize(m.fstype)} ${sourceText(m)}  ${sanitize(m.options)}  ${propagationText(m.propagation)}`;
}

/** A compared field's value as text, sanitised (propagation as its tags). */
export function comparedText(m: Mount, f: ComparedField): string {
  return f === 'propagation' ? propagationText(m.propagation) : sanitize(m[f]);
}

/** What a `change` event changed, in findmnt's words: propagation old → new, and OLD-OPTIONS → options. */
import type { Mount } from '../model/types.js';
import { propagationText } from './propagation.js';

const tags = (m: Mount): string => propagationText(m.propagation);

/** `shared:3 → private`, `options rw,relatime → ro,relatime`, both, or '' when neither moved (raw: sanitise to draw). */
export function changeWords(before: Mount, after: Mount): string {
  const parts: string[] = [];
  if (tags(before) !== tags(after)) parts.push(`${tags(before)} → ${tags(after)}`);
  if (before.options !== after.options) parts.push(`options ${before.options} → ${after.options}`);
  return parts.join(', ');
}

/** Words for propagation, the way mountinfo and findmnt's PROPAGATION column say them. */
import type { Propagation } from '../model/types.js';

export type PropagationTag = { kind: 'shared' | 'master' | 'propagate_from' | 'unbindable' | 'private'; text: string };

/** The tags of a mount: `shared:N`, `master:N`, `propagate_from:N`, `unbindable`, or `private`. */
export function propagationTags(p: Propagation): PropagationTag[] {
  const tags: PropagationTag[] = [];
  if (p.shared !== null) tags.push({ kind: 'shared', text: `shared:${p.shared}` });
  if (p.master !== null) tags.push({ kind: 'master', text: `master:${p.master}` });
  if (p.propagateFrom !== null) tags.push({ kind: 'propagate_from', text: `propagate_from:${p.propagateFrom}` });
  if (p.unbindable) tags.push({ kind: 'unbindable', text: 'unbindable' });
  if (tags.length === 0) tags.push({ kind: 'private', text: 'private' });
  return tags;
}

/** The tags as one string, `shared:3 master:1` or `private`: how messages and `watch` lines say it. */
export const propagationText = (p: Propagation): string =>
  propagationTags(p)
    .map((t) => t.text)
    .join(' ');

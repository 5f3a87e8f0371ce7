/**
 * `watch`'s filters (`--ns`, `--type`, `--path`): which events go out. The
 * watcher follows every namespace regardless (a mount in one arrives in its
 * peers), only the output is narrowed.
 */
import type { WatchEvent } from '../watch/events.js';

export const EVENT_TYPES: readonly WatchEvent['type'][] = ['mount', 'umount', 'change', 'namespace-added', 'namespace-removed', 'process-added', 'process-removed'];

export interface EventFilter {
  /** Only events of this namespace. */
  ns?: number;
  /** Only these types. */
  types?: ReadonlySet<WatchEvent['type']>;
  /** Only mount events at this path or below it, by whole path components (`/srv` is not `/srv2`). */
  path?: string;
}

/** The predicate for `filter`; every event passes an empty one. */
export function eventFilter(filter: EventFilter): (e: WatchEvent) => boolean {
  const { ns, types } = filter;
  const path = filter.path === undefined ? undefined : filter.path.replace(/\/+$/, '') || '/';
  const under = (target: string): boolean => path === '/' || target === path || target.startsWith(`${path}/`);
  return (e) => (ns === undefined || e.ns === ns) && (types === undefined || types.has(e.type)) && (path === undefined || ('mount' in e && under(e.mount.target)));
}

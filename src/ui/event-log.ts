/**
 * The event log's lines: events of one batch that are the same mount arriving
 * (or leaving, or changing) in several namespaces at once — propagation at work —
 * become one line that names all of them.
 */
import type { WatchEvent } from '../watch/events.js';
import { changeWords } from '../format/mount-change.js';

export interface LogEntry {
  time: string;
  type: WatchEvent['type'];
  namespaces: number[];
  /** Target path (mount events) or `pid comm` (process events); raw, sanitise to draw. */
  subject: string;
  detail: string;
}

function key(e: WatchEvent): string {
  if ('mount' in e) return `${e.time}|${e.type}|${e.mount.major}:${e.mount.minor}|${e.mount.root}|${e.mount.target}`;
  return `${e.time}|${e.type}|${e.ns}|${'pid' in e ? e.pid : ''}`;
}

/** Groups the last `max` entries, newest last. */
export function logEntries(events: WatchEvent[], max: number): LogEntry[] {
  const out: LogEntry[] = [];
  const byKey = new Map<string, LogEntry>();
  // Walk from the newest back until `max` entries exist: the log can hold thousands.
  for (let i = events.length - 1; i >= 0 && (out.length < max || byKey.has(key(events[i]))); i--) {
    const e = events[i];
    const k = key(e);
    const found = byKey.get(k);
    if (found) {
      if (!found.namespaces.includes(e.ns)) found.namespaces.unshift(e.ns);
      continue;
    }
    const entry: LogEntry = {
      time: e.time,
      type: e.type,
      namespaces: [e.ns],
      subject: 'mount' in e ? e.mount.target : 'pid' in e ? `${e.pid} ${e.comm ?? ''}` : '',
      // A change says what changed; a mount or umount, what it is.
      detail: e.type === 'change' ? changeWords(e.before, e.mount) || `${e.mount.fstype} ${e.mount.source}` : 'mount' in e ? `${e.mount.fstype} ${e.mount.source}` : '',
    };
    byKey.set(k, entry);
    out.push(entry);
  }
  return out.reverse();
}

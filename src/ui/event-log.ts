/**
 * The event log's lines: events that are the same mount arriving (or leaving,
 * or changing) in several namespaces within a second — propagation at work —
 * become one line that names all of them. Not only one batch: a namespace's
 * copy may be read from its mount events, another's by a whole read a moment later.
 */
import type { WatchEvent } from '../watch/events.js';
import { changeWords } from '../format/mount-change.js';
import { whoWords } from '../format/describe.js';
import { smartcase } from './search.js';

export interface LogEntry {
  time: string;
  type: WatchEvent['type'];
  namespaces: number[];
  /** Target path (mount events) or `pid comm` (process events); raw, sanitise to draw. */
  subject: string;
  detail: string;
  /** Who made the mount or umount (`by mount (pid 4242) ← bash`), '' when not known; raw, sanitise to draw. */
  who: string;
}

const whoOf = (e: WatchEvent): string => (e.type === 'mount' || e.type === 'umount' ? whoWords(e.by, e.from) : '');

function key(e: WatchEvent): string {
  if ('mount' in e) return `${e.type}|${e.mount.major}:${e.mount.minor}|${e.mount.root}|${e.mount.target}`;
  return `${e.time}|${e.type}|${e.ns}|${'pid' in e ? e.pid : ''}`;
}

/** Copies of one change are this close in time (ms). */
const TOGETHER_MS = 1000;

/**
 * The entries that match `filter` (smartcase, every word somewhere in the line:
 * its type, namespaces as labelled, path or process, detail, who), newest last.
 */
export function filterEntries(entries: LogEntry[], filter: string, label: (inode: number) => string): LogEntry[] {
  const words = filter.split(/\s+/).filter(Boolean).map(smartcase);
  if (words.length === 0) return entries;
  return entries.filter((e) => {
    const line = `${e.type} ${e.namespaces.map(label).join(' ')} ${e.subject} ${e.detail} ${e.who}`;
    return words.every((w) => w(line));
  });
}

/** Groups the last `max` entries, newest last. */
export function logEntries(events: WatchEvent[], max: number): LogEntry[] {
  const out: LogEntry[] = [];
  const byKey = new Map<string, { entry: LogEntry; at: number }>();
  // Walk from the newest back until `max` entries exist: the log can hold thousands.
  for (let i = events.length - 1; i >= 0; i--) {
    const e = events[i];
    const k = key(e);
    const at = Date.parse(e.time);
    const near = byKey.get(k);
    const found = near && (near.entry.time === e.time || Math.abs(near.at - at) <= TOGETHER_MS) ? near.entry : undefined;
    if (found) {
      if (!found.namespaces.includes(e.ns)) found.namespaces.unshift(e.ns);
      // The copies of one mount: who made it is told by the one made where the mounter is.
      if (e.type === 'mount' && e.by && e.from === undefined) found.who = whoOf(e);
      else found.who ||= whoOf(e);
      continue;
    }
    if (out.length >= max) break;
    const entry: LogEntry = {
      time: e.time,
      type: e.type,
      namespaces: [e.ns],
      subject: 'mount' in e ? e.mount.target : 'pid' in e ? `${e.pid} ${e.comm ?? ''}` : '',
      // A change says what changed; a mount or umount, what it is.
      detail: e.type === 'change' ? changeWords(e.before, e.mount) || `${e.mount.fstype} ${e.mount.source}` : 'mount' in e ? `${e.mount.fstype} ${e.mount.source}` : '',
      who: whoOf(e),
    };
    byKey.set(k, { entry, at });
    out.push(entry);
  }
  return out.reverse();
}

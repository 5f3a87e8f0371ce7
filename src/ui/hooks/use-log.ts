/**
 * The event log pane's lines: the journal (as it stood when paused), process
 * events only when asked for, grouped (one line per mount and its copies),
 * filtered, and the window that ends `logBack` lines above the newest.
 */
import { useMemo, useRef } from 'react';
import type { WatchEvent } from '../../watch/events.js';
import { filterEntries, logEntries, type LogEntry } from '../event-log.js';
import type { ViewState } from '../view-cursors.js';

export interface LogView {
  /** The lines to draw, oldest first. */
  shown: LogEntry[];
  /** Lines after the filter (what j/k move through). */
  total: number;
  /** Events that came while paused. */
  waiting: number;
}

export function useLog(events: WatchEvent[], view: ViewState, height: number, label: (inode: number) => string): LogView {
  // Paused: the journal as it was (the store replaces its array on every batch, never mutates it).
  const frozen = useRef<WatchEvent[] | null>(null);
  if (!view.logPaused) frozen.current = null;
  else frozen.current ??= events;
  const source = frozen.current ?? events;
  // Hidden, it costs nothing: grouping the whole journal on every batch of a storm
  // (10 a second, 10,000 events) only while someone looks at it.
  const all = useMemo(() => (view.showLog ? logEntries(view.logProcesses ? source : source.filter((e) => !e.type.startsWith('process-')), Infinity) : []), [source, view.logProcesses, view.showLog]);
  const filtered = useMemo(() => filterEntries(all, view.logFilter, label), [all, view.logFilter, label]);
  const end = Math.max(0, filtered.length - Math.min(view.logBack, Math.max(0, filtered.length - 1)));
  return { shown: filtered.slice(Math.max(0, end - height), end), total: filtered.length, waiting: frozen.current ? Math.max(0, events.length - frozen.current.length) : 0 };
}

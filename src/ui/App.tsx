/**
 * The wiring file: subscribes to the store, derives rows, routes keys through
 * the one keymap to the view reducer, and lays out the panes. Everything it
 * draws with lives in components/; everything it decides lives in view-state.ts.
 */
import React, { useEffect, useMemo, useReducer, useRef, useSyncExternalStore } from 'react';
import { Box, Text, useApp } from 'ink';
import type { Store } from '../store/store.js';
import type { UnsharePropagation } from '../actions/actions.js';
import type { ShellLaunch } from '../sys/enter-shell.js';
import { flattenTree } from '../format/tree-lines.js';
import { displayWidth, fit } from '../format/width.js';
import { containerLabel, summariseErrors } from '../format/describe.js';
import { PROPAGATION_COMMANDS, commandFor } from './keys/keymap.js';
import type { KeySource } from './keys/key-source.js';
import { useKeys } from './hooks/use-keys.js';
import { indexSnapshot, madeByMntns, namespaceRows, treeOf } from './view-model.js';
import { initialView, mountIndex, nsIndex, reduce, scrollTop, type Action, type Ctx, type PendingAction, type ViewState } from './view-state.js';
import type { MountTree } from '../model/mount-tree.js';
import type { MountNamespace, Snapshot } from '../model/types.js';
import type { TreeRow } from '../format/tree-lines.js';
import type { NamespaceRow, SnapshotIndex } from './view-model.js';
import { findingLines, mountDetails, nsLabel } from './details.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { HIGHLIGHT_MS, useFadeClock } from './hooks/use-fade-clock.js';
import { NamespacePane } from './components/NamespacePane.js';
import { MountPane } from './components/MountPane.js';
import { DetailsPane } from './components/DetailsPane.js';
import { HelpOverlay, helpLength } from './components/HelpOverlay.js';
import { StatusBar } from './components/StatusBar.js';
import { EventLogPane } from './components/EventLogPane.js';
import { logEntries } from './event-log.js';
import { C } from './theme.js';
import { ConfirmDialog } from './components/ConfirmDialog.js';
import { EnterDialog, QuitDialog, UnshareDialog } from './components/UnshareDialog.js';
import { propagationTags } from '../format/propagation.js';
import { identityChanges } from '../model/diff.js';
import { sanitize } from '../format/sanitize.js';

export interface AppProps {
  store: Store;
  /** Why every action refuses (--readonly, not root); unset when they work. */
  actionsOff?: string | null;
  /** Gives the terminal to `argv` (a shell in a namespace) until it exits: its status, or an error. */
  runInTerminal?: (launch: ShellLaunch, banner: string) => Promise<number | string>;
  /** The keys, one press at a time (the terminal, or a feed in tests). */
  keys: KeySource;
  /** Ctrl-Z: give the terminal back to the shell until `fg`; why not, when it can't. */
  suspend?: () => string | null;
  select?: { pid?: number; ns?: number };
  banner?: string;
  user: (uid: number) => string;
  /** Called on the way out with what to print once the screen is back (the namespaces kept). */
  onQuit: (farewell?: string) => void;
}

/** Smallest terminal the layout works in; below it the app says so instead of garbling. */
export const MIN_COLUMNS = 40;
export const MIN_ROWS = 8;
/** Below this width only the focused pane is shown. */
const TWO_PANES = 80;

const EMPTY_FOLDS: ReadonlySet<number> = new Set();
const EMPTY_MADE: ReadonlyMap<number, number> = new Map();

/**
 * Whether Enter in the e dialog enters as the namespace's processes run: for a
 * container, or processes in another user namespace, whose binaries must not
 * run as this host's root unless the user says so (h).
 */
function enterAsItRunsByDefault(ns: MountNamespace, snap: Snapshot | null): boolean {
  const hostUserns = snap?.namespaces.find((n) => n.initial)?.processes.find((p) => p.userns !== null)?.userns ?? null;
  return ns.processes.some((p) => p.container !== null || (p.userns !== null && hostUserns !== null && p.userns !== hostUserns));
}

/** Text without control characters (C0, DEL, C1): what may go into a prompt. */
const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');

/** Single-entry memo: recomputes only when an input changes by identity. */
function memo1<A extends unknown[], R>(fn: (...a: A) => R): (...a: A) => R {
  let last: { args: A; value: R } | null = null;
  return (...args: A) => {
    if (last && last.args.length === args.length && last.args.every((x, i) => x === args[i])) return last.value;
    last = { args, value: fn(...args) };
    return last.value;
  };
}

/**
 * Everything the screen shows, derived from the snapshot and the view state.
 * Key handlers call it too, with the newest state, so a burst of keys never acts
 * on rows from a stale render.
 */
function useDerive(): (snap: Snapshot | null, view: ViewState, listHeight: number) => Derived {
  return useMemo(() => {
    const index = memo1((snap: Snapshot | null) => (snap ? indexSnapshot(snap) : null));
    const nsRowsOf = memo1((snap: Snapshot | null, unfolded: ReadonlySet<number>) => (snap ? namespaceRows(snap, unfolded) : []));
    const rowsOf = memo1((tree: MountTree | null, folds: ReadonlySet<number>) => (tree ? flattenTree(tree, folds) : []));
    return (snap, view, listHeight) => {
      const idx = index(snap);
      const nsRows = nsRowsOf(snap, view.unfoldedNs);
      const nsCursor = nsIndex(view, nsRows);
      const selectedNs = nsRows[nsCursor]?.ns ?? null;
      const inode = selectedNs?.inode ?? null;
      const tree = idx && inode !== null ? treeOf(idx, inode) : null;
      const mountRows = rowsOf(tree, (inode !== null && view.folded.get(inode)) || EMPTY_FOLDS);
      const mCursor = mountIndex(view, mountRows, inode);
      const ctx: Ctx = { snapshot: snap, nsRows, mountRows, tree, inode, listHeight, detailsLength: 0 };
      return { index: idx, nsRows, nsCursor, selectedNs, tree, mountRows, mCursor, ctx };
    };
  }, []);
}

interface Derived {
  index: SnapshotIndex | null;
  nsRows: NamespaceRow[];
  nsCursor: number;
  selectedNs: MountNamespace | null;
  tree: MountTree | null;
  mountRows: TreeRow[];
  mCursor: number;
  ctx: Ctx;
}

export function App({ store, keys, suspend, select, banner, user, onQuit, actionsOff, runInTerminal }: AppProps): React.ReactElement {
  const state = useSyncExternalStore(store.subscribe, store.getState);
  const { columns, rows } = useTerminalSize();
  // View state lives in a ref so key handlers always act on the newest state;
  // the counter only asks React to draw it.
  const viewRef = useRef<ViewState>(initialView);
  const [, redraw] = useReducer((n: number) => n + 1, 0);
  const dispatch = (a: Action): void => {
    const next = reduce(viewRef.current, a);
    if (next !== viewRef.current) {
      viewRef.current = next;
      redraw();
    }
  };
  const view = viewRef.current;
  /** The never-reused id of each dialog's mount, taken when the dialog opened. */
  const uniqueOf = useRef(new WeakMap<PendingAction, string | null>());
  const { exit } = useApp();
  const snap = state.snapshot;

  // Layout: title, pane header + list, two status lines; the frame is rows - 1
  // tall because Ink 6.8 clears the whole screen on every frame at full height.
  const height = Math.max(1, rows - 1);
  const logHeight = view.showLog ? Math.max(3, Math.min(12, Math.floor(height / 3))) : 0;
  const listHeight = Math.max(1, height - 4 - logHeight);
  const twoPanes = columns >= TWO_PANES;
  const leftW = twoPanes ? Math.min(60, Math.max(34, Math.floor(columns * 0.38))) : columns;
  const rightW = twoPanes ? columns - leftW - 1 : columns;

  const now = useFadeClock(state.changedAt);
  const changed = (key: string): boolean => (state.changedAt.get(key) ?? 0) + HIGHLIGHT_MS > now;
  const derive = useDerive();
  const { index, nsRows, nsCursor, selectedNs, mountRows, mCursor } = derive(snap, view, listHeight);
  const selectedMount = mountRows[mCursor]?.mount ?? null;
  const details = useMemo(() => {
    if (view.mode === 'details' && index && selectedNs && selectedMount) return mountDetails(index, selectedNs, selectedMount);
    if (view.mode === 'findings' && index && selectedNs) return findingLines(selectedNs, nsLabel(index, selectedNs.inode), rightW);
    return [];
  }, [view.mode, index, selectedNs, selectedMount, rightW]);
  // Mounts a warning is about get a "!" in the tree.
  const flagged = useMemo(
    () => new Set((selectedNs?.findings ?? []).filter((f) => f.severity === 'warning').flatMap((f) => f.mounts ?? [])),
    [selectedNs],
  );
  const ctxNow = (): Ctx => {
    const d = derive(store.getState().snapshot, viewRef.current, listHeight);
    const detailsLength = viewRef.current.mode === 'help' ? helpLength(columns) : details.length;
    return { ...d.ctx, detailsLength, actionsOff: actionsOff ?? (store.actions ? null : 'actions are off') };
  };

  // Select the namespace asked for on the command line, once data is there.
  const selected = useRef(false);
  useEffect(() => {
    if (!snap || selected.current) return;
    selected.current = true;
    if (select?.pid !== undefined || select?.ns !== undefined) dispatch({ type: 'select', pid: select.pid, inode: select.ns, ctx: ctxNow() });
  }, [snap]);

  useKeys(keys, (input, key, press) => {
    const mode = viewRef.current.mode;
    if (key.ctrl && input === 'z') return suspendOr();
    // A paste is text for the search prompt, never a burst of commands.
    if (press.paste) {
      if (mode === 'search') dispatch({ type: 'searchType', text: printable(input) });
      return;
    }
    if (mode === 'unshare') {
      const choice = key.return ? 'private' : ({ p: 'private', v: 'slave', s: 'shared', u: 'unchanged' } as const)[input as 'p'];
      if (choice) return void unshare(choice);
      if (key.escape || input === 'n' || input === 'q') dispatch({ type: 'command', command: 'back', ctx: ctxNow() });
      return;
    }
    if (mode === 'enter') {
      const ns = derive(store.getState().snapshot, viewRef.current, listHeight).selectedNs;
      const choice = input === 'a' ? true : input === 'h' ? false : key.return ? (ns ? enterAsItRunsByDefault(ns, store.getState().snapshot) : true) : null;
      if (choice !== null) {
        dispatch({ type: 'command', command: 'back', ctx: ctxNow() });
        return void enter(choice);
      }
      if (key.escape || input === 'n' || input === 'q') dispatch({ type: 'command', command: 'back', ctx: ctxNow() });
      return;
    }
    if (mode === 'quit') {
      if (input === 'k' || input === 'K') return finish(false);
      if (key.return || input === 'e' || input === 'y' || (key.ctrl && input === 'c')) return finish(true);
      if (key.escape || input === 'n') dispatch({ type: 'command', command: 'back', ctx: ctxNow() });
      return;
    }
    if (viewRef.current.mode === 'confirm') {
      if (key.ctrl && input === 'c') return quit();
      if (input === 'y' || input === 'Y') return void confirm();
      if (input === 'n' || input === 'N' || key.escape) dispatch({ type: 'command', command: 'back', ctx: ctxNow() });
      return;
    }
    if (viewRef.current.mode === 'search') {
      if (key.ctrl && input === 'c') return quit();
      if (key.escape) return dispatch({ type: 'command', command: 'back', ctx: ctxNow() });
      if (key.return) return dispatch({ type: 'searchSubmit', ctx: ctxNow() });
      if (key.backspace || key.delete) return dispatch({ type: 'searchBackspace' });
      // Only printable text goes into the query: no control characters, no escape sequences.
      if (input && !key.ctrl && !key.meta && printable(input) === input) dispatch({ type: 'searchType', text: input });
      return;
    }
    const command = commandFor(input, key);
    if (!command) return;
    if (command in PROPAGATION_COMMANDS) {
      // The dialog opens: note the mount's never-reused id now, so y acts on it or on nothing.
      dispatch({ type: 'command', command, ctx: ctxNow() });
      const p = viewRef.current.pending;
      const ns = p && store.getState().snapshot?.namespaces.find((n) => n.inode === p.inode);
      if (p && ns && store.actions && !uniqueOf.current.has(p)) uniqueOf.current.set(p, store.actions.pin(ns, p.shown));
      return;
    }
    if (command === 'quit') return quit();
    if (command === 'suspend') return suspendOr();
    if (command === 'end') return endHolder();
    if (command === 'rediscover') {
      void store.rediscover();
      return;
    }
    dispatch({ type: 'command', command, ctx: ctxNow() });
  });

  function suspendOr(): void {
    const why = suspend ? suspend() : 'suspend is not available here';
    if (why) dispatch({ type: 'message', text: why });
  }

  /** y: run the pending propagation change, then show what the kernel now says. */
  async function confirm(): Promise<void> {
    const p = viewRef.current.pending;
    dispatch({ type: 'command', command: 'back', ctx: ctxNow() });
    const snapNow = store.getState().snapshot;
    const ns = snapNow?.namespaces.find((n) => n.inode === p?.inode);
    const current = ns?.mounts.find((x) => x.id === p?.mountId);
    if (!p || !ns || !current || !store.actions) return dispatch({ type: 'message', text: 'that mount is gone; nothing changed' });
    // Ids are reused: the mount with that id now must be the one the dialog showed.
    const changed = identityChanges(p.shown, current);
    if (changed.length) {
      return dispatch({ type: 'message', text: `mount ${p.shown.id} is not the one shown any more (${changed.join(', ')} changed: now ${sanitize(current.target)}); nothing changed` });
    }
    const m = p.shown;
    dispatch({ type: 'message', text: `changing ${sanitize(m.target)}…` });
    const r = await store.actions.setPropagation(ns, m, p.kind, p.recursive, uniqueOf.current.get(p));
    const where = `mnt:[${ns.inode}] ${sanitize(m.target)}`;
    if (!r.ok) return dispatch({ type: 'message', text: `${where}: failed, ${r.message}` });
    const was = propagationTags(m.propagation).map((t) => t.text).join(' ');
    const now = r.after ? propagationTags(r.after.propagation).map((t) => t.text).join(' ') : 'gone';
    dispatch({ type: 'message', text: `${where}: ${was} → ${now}` });
  }

  /** e, then a / h: a shell inside the selected namespace; the screen comes back as it was, re-read. */
  async function enter(asItRuns: boolean): Promise<void> {
    const ns = derive(store.getState().snapshot, viewRef.current, listHeight).selectedNs;
    if (!ns) return;
    if (actionsOff || !store.actions) return dispatch({ type: 'message', text: actionsOff ?? 'actions are off' });
    const how = store.actions.enterHow(ns, asItRuns);
    if ('error' in how) return dispatch({ type: 'message', text: how.error });
    if (!runInTerminal) return dispatch({ type: 'message', text: 'no terminal to hand over' });
    const label = index ? nsLabel(index, ns.inode) : `mnt:[${ns.inode}]`;
    // Let Ink finish its frame before the terminal changes hands.
    await new Promise((r) => setTimeout(r, 50));
    const status = await runInTerminal(how.launch, sanitize(`mntns: a shell in ${label} ${how.as} — exit it to come back`));
    store.actions.reread();
    redraw();
    dispatch({ type: 'message', text: typeof status === 'string' ? `could not enter ${label}: ${status}` : `back from ${label} (shell exited ${status})` });
  }

  /** u: a copy of the selected namespace with the chosen propagation, held by a process mntns owns. */
  async function unshare(propagation: UnsharePropagation): Promise<void> {
    dispatch({ type: 'command', command: 'back', ctx: ctxNow() });
    const ns = derive(store.getState().snapshot, viewRef.current, listHeight).selectedNs;
    if (!ns || !store.actions) return;
    dispatch({ type: 'message', text: `unsharing from mnt:[${ns.inode}] (${propagation})…` });
    const r = await store.actions.unshare(ns, propagation);
    if (!r.ok) return dispatch({ type: 'message', text: r.message });
    await store.rediscover();
    dispatch({ type: 'select', inode: r.inode, ctx: ctxNow() });
    dispatch({ type: 'message', text: `made mnt:[${r.inode}] (${propagation} copy of mnt:[${ns.inode}]), held by mntns (pid ${r.pid}); K ends it` });
  }

  /** K: end a holder mntns made (never anything else). */
  function endHolder(): void {
    const ns = derive(store.getState().snapshot, viewRef.current, listHeight).selectedNs;
    if (!ns || !store.actions) return;
    if (!store.actions.end(ns.inode)) return dispatch({ type: 'message', text: `mnt:[${ns.inode}] was not made by mntns: K only ends mntns's own holders` });
    dispatch({ type: 'message', text: `ended the holder of mnt:[${ns.inode}]` });
  }

  function quit(): void {
    // Namespaces mntns made: ask whether to keep them (the default ends them).
    if (store.actions && store.actions.made().size > 0 && viewRef.current.mode !== 'quit') {
      viewRef.current = { ...viewRef.current, mode: 'quit' };
      redraw();
      return;
    }
    finish(true);
  }

  function finish(endMade: boolean): void {
    let farewell: string | undefined;
    if (store.actions && endMade) store.actions.endAll();
    else if (store.actions) {
      const kept = store.actions.keepAll();
      if (kept) farewell = `mntns: kept ${kept.inodes.map((i) => `mnt:[${i}]`).join(', ')}, held by pid ${kept.pid ?? '?'} (${kept.name}); kill ${kept.pid ?? 'it'} to end them`;
    }
    onQuit(farewell);
    exit();
  }

  if (columns < MIN_COLUMNS || rows < MIN_ROWS) {
    return (
      <Box height={height} width={columns}>
        <Text wrap="truncate">{`terminal too small: ${columns}×${rows}, mntns needs ${MIN_COLUMNS}×${MIN_ROWS}`}</Text>
      </Box>
    );
  }

  const procCount = snap ? snap.namespaces.reduce((n, ns) => n + ns.processes.length, 0) : 0;
  const title = `mntns  ${snap ? `${snap.namespaces.length} namespaces · ${procCount} processes` : 'reading /proc…'}`;
  const clock = state.lastRefresh ? state.lastRefresh.toTimeString().slice(0, 8) : '--:--:--';
  const info = [
    selectedNs && index ? [nsLabel(index, selectedNs.inode), containerLabel(selectedNs), `${selectedNs.mounts.length} mounts`].filter(Boolean).join(' · ') : '',
    `refreshed ${clock}${state.lastDurationMs !== null ? ` (${Math.round(state.lastDurationMs)} ms)` : ''}${state.loading ? ' …' : ''}`,
  ].filter(Boolean).join(' · ');
  const errors = [state.error ? `refresh failed: ${state.error}` : '', snap && snap.errors.length ? summariseErrors(snap) : '']
    .filter(Boolean)
    .join(' · ');

  const q = view.query;
  const needle = q && q.pane === 'mounts' ? q.text : null;
  const isMatch = (t: string): boolean => (needle ? (needle === needle.toLowerCase() ? t.toLowerCase().includes(needle) : t.includes(needle)) : false);

  const nsTop = scrollTop(view.nsTop, nsCursor, listHeight, nsRows.length);
  const mTop = scrollTop(view.mountTop, mCursor, listHeight, mountRows.length);
  const left = index ? (
    <NamespacePane rows={nsRows} cursor={nsCursor} top={nsTop} height={listHeight} width={leftW} focused={view.pane === 'namespaces'} user={user} changed={changed} made={madeByMntns(snap, store.actions?.made() ?? EMPTY_MADE)} reading={state.reading} />
  ) : (
    <Box width={leftW} height={listHeight + 1}><Text>{state.error ? `cannot read: ${state.error}` : 'reading /proc…'}</Text></Box>
  );
  const pendingNs = view.pending ? snap?.namespaces.find((n) => n.inode === view.pending!.inode) ?? null : null;
  const right =
    view.mode === 'unshare' && selectedNs ? (
      <UnshareDialog label={index ? nsLabel(index, selectedNs.inode) : `mnt:[${selectedNs.inode}]`} height={listHeight + 1} width={rightW} />
    ) : view.mode === 'enter' && selectedNs ? (
      <EnterDialog label={index ? nsLabel(index, selectedNs.inode) : `mnt:[${selectedNs.inode}]`} asItRunsByDefault={enterAsItRunsByDefault(selectedNs, snap)} height={listHeight + 1} width={rightW} />
    ) : view.mode === 'quit' ? (
      <QuitDialog count={store.actions?.made().size ?? 0} height={listHeight + 1} width={rightW} />
    ) : view.mode === 'confirm' && view.pending ? (
      <ConfirmDialog
        pending={view.pending}
        ns={pendingNs}
        mount={view.pending.shown}
        label={index ? nsLabel(index, view.pending.inode) : `mnt:[${view.pending.inode}]`}
        height={listHeight + 1}
        width={rightW}
      />
    ) : view.mode === 'details' || view.mode === 'findings' ? (
      <DetailsPane
        title={view.mode === 'findings' ? 'Findings' : 'Details'}
        lines={details}
        top={Math.min(view.detailsTop, Math.max(0, details.length - listHeight))}
        height={listHeight}
        width={rightW}
      />
    ) : (
      <MountPane
        rows={mountRows}
        cursor={mCursor}
        top={mTop}
        height={listHeight}
        width={rightW}
        focused={view.pane === 'mounts'}
        title={selectedNs ? (selectedNs.mounts.length ? '' : 'mounts not readable (no process to read through)') : 'no namespace selected'}
        isMatch={isMatch}
        changed={(id) => selectedNs !== null && changed(`m:${selectedNs.inode}:${id}`)}
        flagged={flagged}
      />
    );
  const showRight = view.pane === 'mounts' || view.mode !== 'normal';

  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Text wrap="truncate">
        <C bold c="cyan">{fit(title, Math.max(0, columns - displayWidth(banner ?? '')))}</C>
        {banner ? <C bold c="magenta" inverse>{banner}</C> : null}
      </Text>
      {view.mode === 'help' ? (
        <HelpOverlay height={listHeight + 1} width={columns} top={view.detailsTop} />
      ) : twoPanes ? (
        <Box flexDirection="row" height={listHeight + 1}>
          {left}
          <Box width={rightW + 1} borderStyle="single" borderTop={false} borderBottom={false} borderRight={false} borderDimColor>
            {right}
          </Box>
        </Box>
      ) : showRight ? right : left}
      {logHeight ? <EventLogPane entries={logEntries(state.events, logHeight - 1)} height={logHeight} width={columns} label={(i) => (index ? nsLabel(index, i) : `mnt:[${i}]`)} /> : null}
      <StatusBar width={columns} info={info} errors={errors} mode={view.mode} searchInput={view.searchInput} message={view.message ?? state.notice} />
    </Box>
  );
}

/**
 * The wiring file: subscribes to the store, derives rows, routes keys through
 * the one keymap to the view reducer, and lays out the panes. Everything it
 * draws with lives in components/; everything it decides lives in view-state.ts.
 */
import type React from 'react';
import { useEffect, useMemo, useReducer, useRef } from 'react';
import { Box, Text, useApp } from 'ink';
import type { Store } from '../store/store.js';
import type { ShellLaunch } from '../sys/enter-shell.js';
import { displayWidth, fit } from '../format/width.js';
import { containerLabel, summariseErrors } from '../format/describe.js';
import { DIALOG_KEYMAPS, PROPAGATION_COMMANDS, commandFor, isDialog, type DialogCommand } from './keys/keymap.js';
import { printable, smartcase } from './search.js';
import { useActionHandlers } from './hooks/use-action-handlers.js';
import type { KeySource } from './keys/key-source.js';
import { useKeys } from './hooks/use-keys.js';
import { enterAsItRunsByDefault, madeByMntns } from './view-model.js';
import { useDerive } from './hooks/use-derive.js';
import { useStoreState } from './hooks/use-store-state.js';
import { initialView, reduce, scrollTop, type Action, type Area, type Ctx, type Mode, type Pane, type ViewState } from './view-state.js';
import { wheel, type MouseEvent } from './keys/parse-keys.js';
import { LINE_MODES } from './view-cursors.js';
import { mapLines } from './map-lines.js';
import { changeEffect } from './change-effect.js';
import { compareLines, whereLines } from './across-lines.js';
import { sanitize } from '../format/sanitize.js';
import { copyWhat } from './copy.js';
import type { WindowProps } from './components/Pane.js';
import { findingLines, labelIn, mountDetails, wrapLines, type Line } from './details.js';
import { changeLines } from './changes.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { HIGHLIGHT_MS, useFadeClock } from './hooks/use-fade-clock.js';
import { NamespacePane } from './components/NamespacePane.js';
import { MountPane, targetsById, wideColumns } from './components/MountPane.js';
import { DetailsPane } from './components/DetailsPane.js';
import { HelpOverlay, helpLength } from './components/HelpOverlay.js';
import { StatusBar } from './components/StatusBar.js';
import { EventLogPane } from './components/EventLogPane.js';
import { useLog } from './hooks/use-log.js';
import { C } from './theme.js';
import { ConfirmDialog } from './components/ConfirmDialog.js';
import { EnterDialog, QuitDialog, UnshareDialog } from './components/UnshareDialog.js';

export interface AppProps {
  store: Store;
  /** Why every action refuses (--readonly, not root); unset when they work. */
  actionsOff?: string | null;
  /** Gives the terminal to `argv` (a shell in a namespace) until it exits: its status, or an error. */
  runInTerminal?: (launch: ShellLaunch, banner: string) => Promise<number | string>;
  /** The keys, one press at a time (the terminal, or a feed in tests). */
  keys: KeySource;
  /** `y`: puts these bytes on the clipboard (OSC 52); absent unless --osc52 asked for it. */
  copy?: (bytes: Uint8Array) => boolean;
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
// Two squeezed panes read worse than one (a UX review at 80 and 100 columns).
const TWO_PANES = 100;

const EMPTY_MADE: ReadonlyMap<number, number> = new Map();
const PANE_TITLES: Partial<Record<Mode, string>> = { details: 'Details', findings: 'Findings', changes: 'Changes', map: 'Propagation map', compare: 'Compare', where: 'Where' };

export function App({ store, keys, suspend, select, banner, user, onQuit, actionsOff, runInTerminal, copy }: AppProps): React.ReactElement {
  const state = useStoreState(store);
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
  const { exit } = useApp();
  const snap = state.snapshot;

  // Layout: title, pane header + list, two status lines; the frame is rows - 1
  // tall because Ink 6.8 clears the whole screen on every frame at full height
  // (vadimdemedes/ink#450; Ink 7 clears only on overflow, see ink#971).
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
    if (view.mode === 'details' && index && selectedNs && selectedMount) return mountDetails(index, selectedNs, selectedMount, state.appeared.get(`${selectedNs.inode}:${selectedMount.id}`));
    if (view.mode === 'changes' && index && snap && state.mark) return changeLines(state.mark, snap, index, (inode, id) => state.appeared.get(`${inode}:${id}`));
    // A preview's namespace has no table yet: say so, not "no findings".
    if (view.mode === 'findings' && selectedNs && selectedNs.mounts.length === 0 && state.reading.has(selectedNs.inode))
      return [[{ text: 'Its mount table is still being read: the findings come with it.', dim: true }]] as Line[];
    if (view.mode === 'findings' && index && selectedNs) return findingLines(selectedNs, labelIn(index, selectedNs.inode), rightW, (id) => state.appeared.get(`${selectedNs.inode}:${id}`));
    if (view.mode === 'map' && index && view.mapCentre !== null) return mapLines(index, view.mapCentre, view.open, rightW);
    if (view.mode === 'compare' && index && view.compareA !== null && view.compareB !== null) return compareLines(index, view.compareA, view.compareB);
    if (view.mode === 'where' && index && view.where) {
      const w = view.where;
      return whereLines(index, { kind: 'device', major: w.major, minor: w.minor, text: `${w.major}:${w.minor}` }, `(the filesystem of ${sanitize(w.target)})`);
    }
    return [];
  }, [view.mode, index, selectedNs, selectedMount, rightW, state.appeared, state.mark, snap, view.mapCentre, view.open, view.compareA, view.compareB, view.where, state.reading]);
  // Long lines wrap by display width (a path, a list of namespaces) rather than being cut;
  // the map keeps its drawing one row per line, the findings wrap themselves.
  const shown = useMemo(() => (view.mode === 'map' || view.mode === 'findings' ? details : wrapLines(details, Math.max(20, rightW - 2))), [details, view.mode, rightW]);
  const gos = useMemo(() => shown.map((l) => l.go), [shown]);
  const labelOf = useMemo(() => (inode: number) => labelIn(index, inode), [index]);
  const log = useLog(state.events, view, Math.max(0, logHeight - 1), labelOf);
  const logLength = useRef(0);
  logLength.current = log.total;
  const gosRef = useRef(gos);
  gosRef.current = gos;
  // The tree's names relative to their parents (t), and its whole lines (Shift+→): measured only when asked for.
  const targets = useMemo(() => (view.relative ? targetsById(mountRows) : null), [view.relative, mountRows]);
  const wideCols = useMemo(() => (view.wide !== null ? wideColumns(mountRows, targets) : null), [view.wide !== null, mountRows, targets]);
  const wideRoom = useRef(0);
  wideRoom.current = wideCols ? Math.max(0, wideCols.line - rightW) : 0;
  // Mounts a warning is about get a "!" in the tree.
  const flagged = useMemo(() => new Set((selectedNs?.findings ?? []).filter((f) => f.severity === 'warning').flatMap((f) => f.mounts ?? [])), [selectedNs]);
  const ctxNow = (): Ctx => {
    const d = derive(store.getState().snapshot, viewRef.current, listHeight);
    const detailsLength = viewRef.current.mode === 'help' ? helpLength(columns) : shown.length;
    return {
      ...d.ctx,
      detailsLength,
      gos: gosRef.current,
      actionsOff: actionsOff ?? (store.actions ? null : 'actions are off'),
      made: store.actions?.made().size ?? 0,
      logLength: logLength.current,
      wideRoom: wideRoom.current,
    };
  };

  // Select the namespace asked for on the command line, once data is there.
  const selected = useRef(false);
  useEffect(() => {
    if (!snap || selected.current) return;
    selected.current = true;
    if (select?.pid !== undefined || select?.ns !== undefined) dispatch({ type: 'select', pid: select.pid, inode: select.ns, ctx: ctxNow() });
  }, [snap]);

  const act = useActionHandlers({
    store,
    dispatch,
    view: () => viewRef.current,
    ctx: ctxNow,
    selectedNs: () => derive(store.getState().snapshot, viewRef.current, listHeight).selectedNs,
    label: (inode) => labelIn(index, inode),
    runInTerminal,
    suspend,
    redraw,
    onQuit,
    exit,
  });

  /** What each dialog's (and the search prompt's) commands do. */
  const dialogCommand = (c: DialogCommand): void => {
    switch (c) {
      case 'copyPrivate':
        return void act.unshare('private');
      case 'copySlave':
        return void act.unshare('slave');
      case 'copyShared':
        return void act.unshare('shared');
      case 'copyUnchanged':
        return void act.unshare('unchanged');
      case 'asItRuns':
        return void act.enter(true);
      case 'asHost':
        return void act.enter(false);
      case 'enterDefault': {
        const ns = derive(store.getState().snapshot, viewRef.current, listHeight).selectedNs;
        return void act.enter(ns ? enterAsItRunsByDefault(ns, store.getState().snapshot) : true);
      }
      case 'endMade':
        return act.finish(true);
      case 'keepMade':
        return act.finish(false);
      case 'yes':
        return void act.confirm();
      case 'submit':
        return dispatch({ type: 'searchSubmit', ctx: ctxNow() });
      case 'erase':
        return dispatch({ type: 'searchBackspace', ctx: ctxNow() });
      case 'cancel':
        return dispatch({ type: 'command', command: 'back', ctx: ctxNow() });
      case 'quit':
        return act.quit();
    }
  };

  /** Where things are on the screen, as last drawn: for the mouse. */
  const layout = useRef({ listHeight, logHeight, twoPanes, leftW, nsTop: 0, mTop: 0, linesTop: 0 });

  /** The wheel and clicks: by the cell, which pane and which row (rows 1-based: the title, a pane's header, its rows). */
  const mouse = (m: MouseEvent): void => {
    const v = viewRef.current;
    const L = layout.current;
    const row = m.y - 3; // 0: a pane's first row
    const inLog = L.logHeight > 0 && m.y >= 3 + L.listHeight && m.y < 3 + L.listHeight + L.logHeight;
    const rightShown = L.twoPanes ? m.x > L.leftW + 1 : v.pane !== 'namespaces' || v.mode !== 'normal';
    const area: Area = inLog ? 'log' : v.mode === 'help' || (LINE_MODES.has(v.mode) && rightShown) ? 'lines' : rightShown ? 'mounts' : 'namespaces';
    const notch = wheel(m);
    if (notch) return dispatch({ type: 'wheel', area, delta: notch, ctx: ctxNow() });
    // A press acts; its release, motion and the other buttons do nothing.
    if (m.release || m.button !== 0 || isDialog(v.mode) || (!inLog && (row < 0 || row >= L.listHeight))) return;
    const top = area === 'namespaces' ? L.nsTop : area === 'mounts' ? L.mTop : L.linesTop;
    dispatch({ type: 'click', area, index: top + row, top, ctx: ctxNow() });
  };

  useKeys(keys, (input, key, press) => {
    if (press.mouse) return mouse(press.mouse);
    const mode = viewRef.current.mode;
    if (commandFor(input, key) === 'suspend') return act.suspend();
    // A paste is text for the search prompt, never a burst of commands.
    if (press.paste) {
      if (mode === 'search') dispatch({ type: 'searchType', text: printable(input), ctx: ctxNow() });
      return;
    }
    if (isDialog(mode)) {
      const c = commandFor(input, key, DIALOG_KEYMAPS[mode]);
      if (c) return dialogCommand(c);
      // Only printable text goes into the query: no control characters, no escape sequences.
      if (mode === 'search' && input && !key.ctrl && !key.meta && printable(input) === input) dispatch({ type: 'searchType', text: input, ctx: ctxNow() });
      return;
    }
    const command = commandFor(input, key);
    if (!command) {
      // A key that does nothing says so (a typo, or a habit from another tool); escape sequences stay quiet.
      if (input.length === 1 && printable(input) === input && input !== ' ' && !key.ctrl && !key.meta) dispatch({ type: 'message', text: `${input}: no such key here — ? lists them` });
      return;
    }
    if (command === 'quit') return act.quit();
    if (command === 'end') return act.endHolder();
    if (command === 'rediscover') return void store.rediscover();
    if (command === 'saveLog') return act.saveLog();
    if (command === 'copy') return dispatch({ type: 'message', text: copyWhat(derive(store.getState().snapshot, viewRef.current, listHeight), viewRef.current, copy) });
    if (command === 'mark')
      return dispatch({ type: 'message', text: store.setMark() ? `mark set at ${new Date().toTimeString().slice(0, 8)}: c shows what changes from here` : 'nothing to mark yet' });
    dispatch({ type: 'command', command, ctx: ctxNow() });
    if (command in PROPAGATION_COMMANDS) act.pinPending();
  });

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
    selectedNs && index ? [labelIn(index, selectedNs.inode), containerLabel(selectedNs), `${selectedNs.mounts.length} mounts`].filter(Boolean).join(' · ') : '',
    view.compareA !== null ? `d: compare with A ${labelIn(index, view.compareA)}` : '',
    `refreshed ${clock}${state.lastDurationMs !== null ? ` (${Math.round(state.lastDurationMs)} ms)` : ''}${state.loading ? ' …' : ''}`,
  ]
    .filter(Boolean)
    .join(' · ');
  const errors = [state.error ? `refresh failed: ${state.error}` : '', snap && snap.errors.length ? summariseErrors(snap) : ''].filter(Boolean).join(' · ');

  // Matches are marked as the query is typed, and stay marked after Enter.
  const q = view.mode === 'search' && view.pane !== 'log' ? { pane: view.pane, text: view.searchInput } : view.query;
  const isMatch = q && q.pane === 'mounts' && q.text ? smartcase(q.text) : () => false;

  /** What both list panes take: their rows, cursor, first row, size and focus. */
  const windowOf = <R,>(rows: R[], cursor: number, top: number, width: number, pane: Pane): WindowProps<R> => ({ rows, cursor, top, height: listHeight, width, focused: view.pane === pane });
  const nsTop = scrollTop(view.nsTop, nsCursor, listHeight, nsRows.length);
  const mTop = scrollTop(view.mountTop, mCursor, listHeight, mountRows.length);
  const linesTop = Math.min(view.detailsTop, Math.max(0, shown.length - listHeight));
  layout.current = { listHeight, logHeight, twoPanes, leftW, nsTop, mTop, linesTop };
  const left = index ? (
    <NamespacePane
      {...windowOf(nsRows, nsCursor, nsTop, leftW, 'namespaces')}
      user={user}
      changed={changed}
      made={madeByMntns(snap, store.actions?.made() ?? EMPTY_MADE)}
      reading={state.reading}
      listing={view.listing}
    />
  ) : (
    <Box width={leftW} height={listHeight + 1}>
      <Text>{state.error ? `cannot read: ${state.error}` : 'reading /proc…'}</Text>
    </Box>
  );
  const pendingNs = view.pending ? (snap?.namespaces.find((n) => n.inode === view.pending!.inode) ?? null) : null;
  const right =
    view.mode === 'unshare' && selectedNs ? (
      <UnshareDialog label={labelIn(index, selectedNs.inode)} height={listHeight + 1} width={rightW} />
    ) : view.mode === 'enter' && selectedNs ? (
      <EnterDialog label={labelIn(index, selectedNs.inode)} asItRunsByDefault={enterAsItRunsByDefault(selectedNs, snap)} height={listHeight + 1} width={rightW} />
    ) : view.mode === 'quit' ? (
      <QuitDialog count={store.actions?.made().size ?? 0} height={listHeight + 1} width={rightW} />
    ) : view.mode === 'confirm' && view.pending ? (
      <ConfirmDialog
        pending={view.pending}
        ns={pendingNs}
        mount={view.pending.shown}
        label={labelIn(index, view.pending.inode)}
        height={listHeight + 1}
        width={rightW}
        effect={index && pendingNs ? changeEffect(index, pendingNs, view.pending.shown, view.pending) : null}
      />
    ) : view.mode !== 'help' && LINE_MODES.has(view.mode) ? (
      <DetailsPane title={PANE_TITLES[view.mode] ?? 'Details'} lines={shown} top={linesTop} height={listHeight} width={rightW} pick={view.pick} />
    ) : (
      <MountPane
        {...windowOf(mountRows, mCursor, mTop, rightW, 'mounts')}
        title={
          selectedNs ? (selectedNs.mounts.length ? '' : state.reading.has(selectedNs.inode) ? 'reading its mount table…' : 'mounts not readable (no process to read through)') : 'no namespace selected'
        }
        isMatch={isMatch}
        changed={(id) => selectedNs !== null && changed(`m:${selectedNs.inode}:${id}`)}
        flagged={flagged}
        targets={targets}
        wide={wideCols && view.wide !== null ? { cols: wideCols, shift: Math.min(view.wide, wideRoom.current) } : null}
      />
    );
  const showRight = view.pane === 'mounts' || view.mode !== 'normal';

  return (
    <Box flexDirection="column" width={columns} height={height}>
      <Text wrap="truncate">
        <C bold c="cyan">
          {fit(title, Math.max(0, columns - displayWidth(banner ?? '')))}
        </C>
        {banner ? (
          <C bold c="magenta" inverse>
            {banner}
          </C>
        ) : null}
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
      ) : showRight ? (
        right
      ) : (
        left
      )}
      {logHeight ? <EventLogPane log={log} view={view} focused={view.pane === 'log'} height={logHeight} width={columns} label={labelOf} /> : null}
      <StatusBar width={columns} info={info} errors={errors} mode={view.mode} searchInput={view.searchInput} message={view.message ?? state.notice} />
    </Box>
  );
}

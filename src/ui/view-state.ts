/**
 * What the user is looking at: focused pane, cursors, folds, search, overlays.
 * A pure reducer: every action carries the rows it acts on, so it is unit-tested
 * without Ink. Cursors are kept by key (namespace inode, pid, mount id), never by
 * index, so the selection stays put when a refresh adds or removes rows.
 */
import { NS_ORDERS, namespaceRows } from './view-model.js';
import { PROPAGATION_COMMANDS, type Command } from './keys/keymap.js';
import { countMatches, find } from './search.js';
import { LINE_MODES, clamp, type Area, mountIndex, nsIndex, scrollTop, setFolded, toggle, withMountCursor, withNsCursor, type Action, type Ctx, type Mode, type ViewState } from './view-cursors.js';
import type { Go } from './details.js';

export { initialView, mountIndex, nsIndex, scrollTop } from './view-cursors.js';
export type { Action, Area, Ctx, Mode, Pane, PendingAction, ViewState } from './view-cursors.js';

function move(s: ViewState, ctx: Ctx, delta: number | 'top' | 'bottom'): ViewState {
  if (s.mode === 'normal' && s.pane === 'log') {
    // Up is older: further back from the newest line.
    const max = Math.max(0, (ctx.logLength ?? 0) - 1);
    return { ...s, logBack: delta === 'top' ? max : delta === 'bottom' ? 0 : clamp(s.logBack - delta, 0, max) };
  }
  if (LINE_MODES.has(s.mode)) return moveInLines(s, ctx, delta);
  if (s.pane === 'namespaces') {
    const i = nsIndex(s, ctx.nsRows);
    const to = delta === 'top' ? 0 : delta === 'bottom' ? ctx.nsRows.length - 1 : i + delta;
    return withNsCursor(s, ctx.nsRows, to, ctx.listHeight);
  }
  const i = mountIndex(s, ctx.mountRows, ctx.inode);
  const to = delta === 'top' ? 0 : delta === 'bottom' ? ctx.mountRows.length - 1 : i + delta;
  return withMountCursor(s, ctx, to);
}

/**
 * The movement keys over the right pane's lines: ↑/↓ go to the previous/next
 * line that leads somewhere (scrolling as little as it takes), and scroll a
 * line when there is none that way; pages, g and G scroll.
 */
function moveInLines(s: ViewState, ctx: Ctx, delta: number | 'top' | 'bottom'): ViewState {
  const max = Math.max(0, ctx.detailsLength - ctx.listHeight);
  const gos = ctx.gos ?? [];
  if ((delta === 1 || delta === -1) && s.mode !== 'help') {
    let i = s.pick < 0 ? (delta === 1 ? s.detailsTop - 1 : s.detailsTop + ctx.listHeight) : s.pick;
    do i += delta;
    while (i >= 0 && i < gos.length && !gos[i]);
    if (i >= 0 && i < gos.length) return { ...s, pick: i, detailsTop: clamp(scrollTop(s.detailsTop, i, ctx.listHeight, ctx.detailsLength), 0, max) };
  }
  const top = delta === 'top' ? 0 : delta === 'bottom' ? max : clamp(s.detailsTop + delta, 0, max);
  // A pick scrolled out of sight is let go.
  const pick = s.pick >= top && s.pick < top + ctx.listHeight ? s.pick : -1;
  return { ...s, detailsTop: top, pick };
}

/** Opens a line mode afresh: at its top, nothing picked, nothing opened. */
const openLines = (s: ViewState, mode: Mode, extra: Partial<ViewState> = {}): ViewState => ({ ...s, mode, detailsTop: 0, pick: -1, open: new Set(), message: null, ...extra });

/** Enter on a line that leads somewhere: to a mount (the tree, with it selected), open a row, or centre the map. */
function follow(s: ViewState, ctx: Ctx, go: Go): ViewState {
  if (go.ns !== undefined && go.mount !== undefined) {
    if (!ctx.snapshot?.namespaces.some((n) => n.inode === go.ns)) return { ...s, message: `mnt:[${go.ns}] is gone` };
    const mountCursor = new Map(s.mountCursor);
    mountCursor.set(go.ns, go.mount);
    // Its ancestors unfolded, so the cursor can stand on it.
    const folded = new Map(s.folded);
    folded.delete(go.ns);
    return { ...s, mode: 'normal', pane: 'mounts', nsKey: `ns:${go.ns}`, mountCursor, folded, mountTop: 0, pick: -1, message: null };
  }
  if (go.open !== undefined) return { ...s, open: toggle(s.open, go.open) };
  if (go.ns !== undefined) return centreMap(s, go.ns);
  return s;
}

function centreMap(s: ViewState, inode: number): ViewState {
  if (s.mapCentre === inode) return s;
  return openLines(s, 'map', { mapCentre: inode, mapBack: s.mapCentre === null ? [] : [...s.mapBack, s.mapCentre] });
}

function foldCommand(s: ViewState, ctx: Ctx, how: 'toggle' | 'fold' | 'unfold'): ViewState {
  if (s.pane === 'namespaces') {
    const row = ctx.nsRows[nsIndex(s, ctx.nsRows)];
    if (!row) return s;
    if (row.kind === 'proc') {
      if (how === 'unfold') return s;
      // Folding from a process row closes its namespace and lands on it.
      const rows = ctx.nsRows.filter((r) => r.kind === 'ns' || r.ns !== row.ns);
      const next = { ...s, unfoldedNs: toggle(s.unfoldedNs, row.ns.inode, false) };
      return withNsCursor(
        next,
        rows,
        rows.findIndex((r) => r.key === `ns:${row.ns.inode}`),
        ctx.listHeight,
      );
    }
    const open = how === 'toggle' ? !row.unfolded : how === 'unfold';
    const next = { ...s, unfoldedNs: toggle(s.unfoldedNs, row.ns.inode, open), nsKey: row.key };
    if (!open) return next;
    // Unfolding the last rows of the window: scroll so the processes show (as
    // many as fit below the namespace, which stays on screen).
    const i = nsIndex(s, ctx.nsRows);
    const last = i + Math.min(row.ns.processes.length, Math.max(0, ctx.listHeight - 1));
    return { ...next, nsTop: scrollTop(scrollTop(s.nsTop, last, ctx.listHeight, ctx.nsRows.length + row.ns.processes.length), i, ctx.listHeight, ctx.nsRows.length + row.ns.processes.length) };
  }
  if (ctx.inode === null) return s;
  const i = mountIndex(s, ctx.mountRows, ctx.inode);
  const row = ctx.mountRows[i];
  if (!row) return s;
  const folded = s.folded.get(ctx.inode) ?? new Set<number>();
  if (how === 'fold' && (!row.hasChildren || row.folded)) {
    // Nothing to fold here: go to the parent, as tree views do.
    for (let j = i - 1; j >= 0; j--) if (ctx.mountRows[j].depth < row.depth) return withMountCursor(s, ctx, j);
    return s;
  }
  if (!row.hasChildren) return s;
  const fold = how === 'toggle' ? !row.folded : how === 'fold';
  return setFolded(s, ctx.inode, toggle(folded, row.mount.id, fold));
}

export function reduce(s: ViewState, a: Action): ViewState {
  switch (a.type) {
    case 'message':
      return { ...s, message: a.text };
    case 'searchType':
      return asYouType(logFiltered({ ...s, searchInput: s.searchInput + a.text }), a.ctx);
    case 'searchBackspace':
      return asYouType(logFiltered({ ...s, searchInput: [...s.searchInput].slice(0, -1).join('') }), a.ctx);
    case 'searchSubmit': {
      // The log's filter is what was typed (as it was typed); Enter on nothing clears it.
      if (s.pane === 'log') return { ...s, mode: 'normal', logFilter: s.searchInput };
      const next = { ...s, mode: 'normal' as Mode, searchFrom: null, query: s.searchInput ? { pane: s.pane, text: s.searchInput } : s.query };
      if (!s.searchInput) return next;
      // Typed as it went, the cursor is on the first match already: Enter keeps it there.
      // Else like less and vim: the search starts after the cursor and wraps.
      return find(next, a.ctx, 1, !s.searchFrom);
    }
    case 'select': {
      const { ctx } = a;
      if (!ctx.snapshot) return s;
      let inode = a.inode;
      if (a.pid !== undefined) inode = ctx.snapshot.namespaces.find((n) => n.processes.some((p) => p.pid === a.pid))?.inode;
      if (inode === undefined) return { ...s, message: a.pid !== undefined ? `no process ${a.pid}` : `no namespace ${a.inode}` };
      const rows = namespaceRows(ctx.snapshot, s.unfoldedNs, s.listing);
      return withNsCursor(
        s,
        rows,
        rows.findIndex((r) => r.key === `ns:${inode}`),
        ctx.listHeight,
      );
    }
    case 'command':
      return command(s, a.command, a.ctx);
    case 'wheel':
      return wheel(s, a.area, a.delta, a.ctx);
    case 'click':
      return click(s, a.area, a.index, a.top, a.ctx);
  }
}

/** Rows the wheel moves per notch (htop, less: three). */
export const WHEEL_ROWS = 3;

/** The wheel moves the cursor of the pane under it (and focuses it), or scrolls the lines or the help. */
function wheel(s: ViewState, area: Area, delta: number, ctx: Ctx): ViewState {
  const rows = delta * WHEEL_ROWS;
  if (area === 'lines') return LINE_MODES.has(s.mode) ? move(s, ctx, rows) : s;
  if (s.mode !== 'normal') return s;
  return move({ ...s, pane: area }, ctx, rows);
}

/**
 * A click selects the row under it and focuses its pane; a click on the row
 * already selected is Enter (a namespace's mounts, a mount's details, a line
 * followed). Dialogs and the prompt take no clicks: they ask for keys.
 */
function click(s: ViewState, area: Area, index: number, top: number, ctx: Ctx): ViewState {
  if (area === 'lines') {
    if (!LINE_MODES.has(s.mode) || s.mode === 'help' || !ctx.gos?.[index]) return s;
    return s.pick === index ? command(s, 'details', ctx) : { ...s, pick: index };
  }
  if (area === 'log') return s.mode === 'normal' && s.showLog ? { ...s, pane: 'log' } : s;
  // From the lines (details, findings, …) a click on the left goes back to the lists.
  const from = LINE_MODES.has(s.mode) && s.mode !== 'help' && area === 'namespaces' ? { ...s, mode: 'normal' as Mode } : s;
  if (from.mode !== 'normal') return s;
  if (area === 'namespaces') {
    if (index >= ctx.nsRows.length) return { ...from, pane: area };
    if (from.pane === area && ctx.nsRows[nsIndex(from, ctx.nsRows)]?.key === ctx.nsRows[index].key) return command(from, 'details', ctx);
    return withNsCursor({ ...from, pane: area, nsTop: top }, ctx.nsRows, index, ctx.listHeight);
  }
  if (index >= ctx.mountRows.length) return { ...from, pane: area };
  if (from.pane === area && mountIndex(from, ctx.mountRows, ctx.inode) === index) return command(from, 'details', ctx);
  return withMountCursor({ ...from, pane: area, mountTop: top }, ctx, index);
}

/**
 * In the tree and the namespace list, the cursor goes to the first match as
 * the query is typed (from where the search began), and the prompt counts the
 * matches or says there is none; Enter keeps it, Esc goes back.
 */
function asYouType(s: ViewState, ctx: Ctx | undefined): ViewState {
  if (!ctx || s.pane === 'log' || s.mode !== 'search') return s;
  const n = countMatches(s.pane, s.searchInput, ctx, s);
  const origin = s.searchFrom ?? { nsKey: s.nsKey, mountCursor: s.mountCursor };
  const from = { ...s, nsKey: origin.nsKey, mountCursor: origin.mountCursor, searchFrom: origin };
  const message = s.searchInput === '' ? null : n === 0 ? `no match for "${s.searchInput}"` : `${n} match${n === 1 ? '' : 'es'}`;
  if (n === 0 || s.searchInput === '') return { ...from, message };
  return { ...find({ ...from, query: { pane: s.pane, text: s.searchInput } }, ctx, 1, true), mode: 'search', message, searchFrom: origin };
}

/** In the log pane, the search prompt is its filter, applied as it is typed. */
const logFiltered = (s: ViewState): ViewState => (s.pane === 'log' && s.mode === 'search' ? { ...s, logFilter: s.searchInput, logBack: 0 } : s);

/** Columns Shift+←/→ scroll the wide mount tree by. */
export const SCROLL_STEP = 20;

function command(s: ViewState, c: Command, ctx: Ctx): ViewState {
  const page = Math.max(1, ctx.listHeight - 1);
  switch (c) {
    case 'up':
      return move(s, ctx, -1);
    case 'down':
      return move(s, ctx, 1);
    case 'pageUp':
      return move(s, ctx, -page);
    case 'pageDown':
      return move(s, ctx, page);
    case 'top':
      return move(s, ctx, 'top');
    case 'bottom':
      return move(s, ctx, 'bottom');
    case 'switchPane':
      return s.mode === 'normal' ? { ...s, pane: s.pane === 'namespaces' ? 'mounts' : s.pane === 'mounts' && s.showLog ? 'log' : 'namespaces', message: null } : s;
    case 'toggleFold':
      if (s.mode === 'normal' && s.pane === 'log') return { ...s, logPaused: !s.logPaused };
      return s.mode === 'normal' ? foldCommand(s, ctx, 'toggle') : s;
    case 'fold':
      if (s.mode === 'map' && s.mapBack.length) return { ...openLines(s, 'map'), mapCentre: s.mapBack[s.mapBack.length - 1], mapBack: s.mapBack.slice(0, -1) };
      return s.mode === 'normal' ? foldCommand(s, ctx, 'fold') : s;
    case 'unfold': {
      const ns = s.mode === 'map' && s.pick >= 0 ? ctx.gos?.[s.pick]?.ns : undefined;
      if (ns !== undefined) return centreMap(s, ns);
      return s.mode === 'normal' ? foldCommand(s, ctx, 'unfold') : s;
    }
    case 'scrollRight': {
      if (s.mode !== 'normal') return s;
      if (s.wide === null) return { ...s, wide: 0, message: 'wide: whole lines, nothing elided (Shift+→ scrolls right, Shift+← back)' };
      const wide = Math.min(s.wide + SCROLL_STEP, Math.max(0, ctx.wideRoom ?? 0));
      return { ...s, wide, message: wide === s.wide ? 'the widest line ends here' : `wide: from column ${wide + 1}` };
    }
    case 'scrollLeft':
      if (s.mode !== 'normal' || s.wide === null) return s;
      if (s.wide === 0) return { ...s, wide: null, message: 'lines fitted to the pane (paths elided in the middle)' };
      return { ...s, wide: Math.max(0, s.wide - SCROLL_STEP), message: `wide: from column ${Math.max(0, s.wide - SCROLL_STEP) + 1}` };
    case 'relativeNames':
      if (s.mode !== 'normal') return s;
      return { ...s, relative: !s.relative, message: s.relative ? 'full paths' : 'each target relative to its parent mount (t again: full paths)' };
    case 'details': {
      const go = s.pick >= 0 && LINE_MODES.has(s.mode) ? ctx.gos?.[s.pick] : undefined;
      if (go) return follow(s, ctx, go);
      if (s.mode !== 'normal') return s;
      if (s.pane === 'namespaces') return { ...s, pane: 'mounts' };
      return ctx.mountRows.length ? openLines(s, 'details') : s;
    }
    case 'sortNext':
    case 'sortPrev': {
      const i = NS_ORDERS.indexOf(s.listing.order);
      const order = NS_ORDERS[(i + (c === 'sortNext' ? 1 : NS_ORDERS.length - 1)) % NS_ORDERS.length];
      return { ...s, listing: { ...s.listing, order }, message: `namespaces by ${order}${order === 'inode' || order === 'name' ? '' : ', most first'}` };
    }
    case 'warningsOnly': {
      const warningsOnly = !s.listing.warningsOnly;
      return { ...s, listing: { ...s.listing, warningsOnly }, message: warningsOnly ? 'only namespaces with warnings (! again: all)' : 'all namespaces' };
    }
    case 'map':
      if (s.mode === 'map') return { ...s, mode: 'normal' };
      if (ctx.inode === null || (s.mode !== 'normal' && !LINE_MODES.has(s.mode))) return s;
      return openLines(s, 'map', { mapCentre: ctx.inode, mapBack: [] });
    case 'compare': {
      if (s.mode !== 'normal' && !LINE_MODES.has(s.mode)) return s;
      if (ctx.inode === null) return s;
      if (s.compareA === null || s.compareA === ctx.inode) {
        const marking = s.compareA === null;
        return { ...s, mode: 'normal', compareA: marking ? ctx.inode : null, message: marking ? `A is mnt:[${ctx.inode}]: select another namespace and press d to compare` : 'compare mark cleared' };
      }
      return openLines(s, 'compare', { compareB: ctx.inode });
    }
    case 'where': {
      if (s.mode !== 'normal' && s.mode !== 'details') return s;
      const row = ctx.mountRows[mountIndex(s, ctx.mountRows, ctx.inode)];
      if (!row || (s.pane !== 'mounts' && s.mode !== 'details')) return { ...s, message: 'W finds the selected mount everywhere: Tab to the mount pane first' };
      return openLines(s, 'where', { where: { major: row.mount.major, minor: row.mount.minor, target: row.mount.target } });
    }
    case 'back':
      if (s.mode === 'confirm' && s.pending?.from) return { ...s, mode: s.pending.from, pending: null };
      // Esc from the prompt puts the cursor back where the search began.
      if (s.mode === 'search' && s.searchFrom) return { ...s, mode: 'normal', searchInput: '', nsKey: s.searchFrom.nsKey, mountCursor: s.searchFrom.mountCursor, searchFrom: null, message: null };
      if (s.mode !== 'normal') return { ...s, mode: 'normal', searchInput: '', pending: null };
      if (s.pane !== 'namespaces') return { ...s, pane: 'namespaces' };
      return { ...s, message: null };
    case 'search':
      // In the log, the filter being edited starts from the one in use.
      return { ...s, mode: 'search', searchInput: s.pane === 'log' ? s.logFilter : '' };
    case 'next':
      return find(s, ctx, 1, true);
    case 'prev':
      return find(s, ctx, -1, true);
    case 'help':
      return s.mode === 'help' ? { ...s, mode: 'normal' } : openLines(s, 'help');
    case 'logProcesses':
      return { ...s, logProcesses: !s.logProcesses, showLog: true };
    case 'log':
      return s.showLog ? { ...s, showLog: false, pane: s.pane === 'log' ? 'namespaces' : s.pane } : { ...s, showLog: true };
    case 'saveLog':
    case 'copy':
      return s; // side effects: handled by the app
    case 'changes':
      return s.mode === 'changes' ? { ...s, mode: 'normal' } : s.mode === 'normal' || LINE_MODES.has(s.mode) ? openLines(s, 'changes') : s;
    case 'mark':
      return s; // side effect: handled by the app
    case 'findings':
      return s.mode === 'findings' ? { ...s, mode: 'normal' } : s.mode === 'normal' || LINE_MODES.has(s.mode) ? openLines(s, 'findings') : s;
    case 'private':
    case 'rprivate':
    case 'shared':
    case 'rshared':
    case 'slave':
    case 'rslave':
    case 'unbindable':
    case 'runbindable': {
      // In the findings (and the other lists of mounts), the keys act on the mount of the picked line.
      if (LINE_MODES.has(s.mode) && s.mode !== 'details' && s.mode !== 'help') {
        if (ctx.actionsOff) return { ...s, message: ctx.actionsOff };
        const go = s.pick >= 0 ? ctx.gos?.[s.pick] : undefined;
        const ns = go?.mount !== undefined ? ctx.snapshot?.namespaces.find((n) => n.inode === go.ns) : undefined;
        const mount = ns?.mounts.find((m) => m.id === go!.mount);
        if (!ns || !mount) return { ...s, message: `${c === 'private' || c === 'rprivate' ? 'p/P' : 'the propagation keys'} act on the mount of the picked line: ↑/↓ to one first` };
        return { ...s, mode: 'confirm', pending: { inode: ns.inode, mountId: mount.id, shown: mount, ...PROPAGATION_COMMANDS[c], from: s.mode } };
      }
      if (s.mode !== 'normal' && s.mode !== 'details') return s;
      if (ctx.actionsOff) return { ...s, message: ctx.actionsOff };
      const row = ctx.mountRows[mountIndex(s, ctx.mountRows, ctx.inode)];
      if (ctx.inode === null || !row) return { ...s, message: 'select a mount first (Tab to the mount pane)' };
      if (s.pane !== 'mounts' && s.mode !== 'details') return { ...s, message: 'propagation keys act on the selected mount: Tab to the mount pane' };
      return { ...s, mode: 'confirm', pending: { inode: ctx.inode, mountId: row.mount.id, shown: row.mount, ...PROPAGATION_COMMANDS[c] } };
    }
    case 'enter':
      if (s.mode !== 'normal' && s.mode !== 'details') return s;
      if (ctx.actionsOff) return { ...s, message: ctx.actionsOff };
      return ctx.inode === null ? s : { ...s, mode: 'enter' };
    case 'unshare':
      if (s.mode !== 'normal') return s;
      if (ctx.actionsOff) return { ...s, message: ctx.actionsOff };
      return ctx.inode === null ? s : { ...s, mode: 'unshare' };
    case 'quit':
      // Namespaces mntns made: ask whether to keep them (the default ends them).
      return (ctx.made ?? 0) > 0 && s.mode !== 'quit' ? { ...s, mode: 'quit' } : s;
    case 'rediscover':
    case 'end':
    case 'suspend':
      return s; // side effects: handled by the app
  }
}

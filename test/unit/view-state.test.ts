import { describe, expect, it } from 'vitest';
import type { Key } from '../../src/ui/keys/parse-keys.js';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import { buildMountTree } from '../../src/model/mount-tree.js';
import { flattenTree } from '../../src/format/tree-lines.js';
import type { MountNamespace, Process, Snapshot } from '../../src/model/types.js';
import { namespaceRows } from '../../src/ui/view-model.js';
import { initialView, mountIndex, nsIndex, reduce, scrollTop, type Ctx, type ViewState } from '../../src/ui/view-state.js';
import { commandFor, KEYMAP, type Command } from '../../src/ui/keys/keymap.js';
import { aProcess } from '../helpers/model.js';

const proc = (pid: number, mntns: number, comm: string): Process => aProcess(pid, mntns, [comm]);
const mounts = parseMountinfo(
  ['1 0 8:1 / / rw - ext4 /dev/a rw', '2 1 0:2 / /srv rw shared:4 - tmpfs t rw', '3 2 0:3 / /srv/a rw - tmpfs t rw', '4 2 0:4 / /srv/b rw - tmpfs t rw', '5 1 0:5 / /var rw - tmpfs t rw'].join('\n'),
).mounts;
const ns = (inode: number, procs: Process[]): MountNamespace => ({
  inode,
  initial: inode === 10,
  readVia: procs[0]?.pid ?? null,
  processes: procs,
  holders: [],
  mounts,
  findings: [],
  mountErrors: [],
});
const snap: Snapshot = {
  version: 1,
  time: '',
  peerGroups: [],
  errors: [],
  namespaces: [ns(10, [proc(1, 10, 'init'), proc(7, 10, 'sshd')]), ns(20, [proc(30, 20, 'nginx')]), ns(30, [proc(40, 30, 'redis')])],
};
const tree = buildMountTree(mounts);

function ctx(view: ViewState, height = 3): Ctx {
  const nsRows = namespaceRows(snap, view.unfoldedNs);
  const inode = nsRows[nsIndex(view, nsRows)].ns.inode;
  return { snapshot: snap, nsRows, mountRows: flattenTree(tree, view.folded.get(inode) ?? new Set()), tree, inode, listHeight: height, detailsLength: 0 };
}
const run = (view: ViewState, ...commands: Parameters<typeof reduce>[1][] | any[]) =>
  commands.reduce((v: ViewState, c: any) => reduce(v, typeof c === 'string' ? { type: 'command', command: c, ctx: ctx(v) } : c), view);
const cursorNs = (v: ViewState) => {
  const rows = namespaceRows(snap, v.unfoldedNs);
  return rows[nsIndex(v, rows)].key;
};
const cursorMount = (v: ViewState) => {
  const c = ctx(v);
  return c.mountRows[mountIndex(v, c.mountRows, c.inode)].mount.target;
};

describe('view reducer', () => {
  it('moves through namespaces and clamps at both ends', () => {
    expect(cursorNs(run(initialView, 'down', 'down', 'down', 'down'))).toBe('ns:30');
    expect(cursorNs(run(initialView, 'bottom', 'up'))).toBe('ns:20');
    expect(cursorNs(run(initialView, 'up'))).toBe('ns:10');
  });
  it('unfolds a namespace to its processes, and folding from a process lands on the namespace', () => {
    const v = run(initialView, 'toggleFold', 'down', 'down');
    expect(cursorNs(v)).toBe('p:10:7');
    const back = run(v, 'fold');
    expect(cursorNs(back)).toBe('ns:10');
    expect(back.unfoldedNs.has(10)).toBe(false);
  });
  it('unfolding the last row of the window scrolls its processes into view, the namespace kept on screen', () => {
    const v = run(initialView, 'bottom');
    expect(v.nsTop).toBe(0); // rows 10, 20, 30 fill the 3-row window
    const open = run(v, 'toggleFold');
    expect(open.nsTop).toBe(1); // 20, 30, redis
    expect(cursorNs(open)).toBe('ns:30');
    // A namespace with more processes than fit: it stays the top row.
    const first = run(initialView, 'toggleFold');
    expect(first.nsTop).toBe(0);
  });
  it('keeps a mount cursor per namespace and folds subtrees', () => {
    let v = run(initialView, 'switchPane', 'down');
    expect(cursorMount(v)).toBe('/srv');
    v = run(v, 'toggleFold', 'down');
    expect(cursorMount(v)).toBe('/var');
    v = run(v, 'up', 'unfold', 'down');
    expect(cursorMount(v)).toBe('/srv/a');
    // ← on a leaf goes to the parent, as tree views do.
    expect(cursorMount(run(v, 'fold'))).toBe('/srv');
    // Another namespace has its own cursor.
    const other = run(v, 'switchPane', 'down', 'switchPane');
    expect(cursorMount(other)).toBe('/');
  });
  it('Enter on a namespace focuses its mounts; Enter on a mount opens details; Esc goes back, never quits', () => {
    let v = run(initialView, 'details');
    expect(v.pane).toBe('mounts');
    v = run(v, 'details');
    expect(v.mode).toBe('details');
    v = run(v, 'back');
    expect(v.mode).toBe('normal');
    v = run(v, 'back', 'back', 'back');
    expect(v.pane).toBe('namespaces');
  });
  it('searches mounts (smartcase), unfolding folded ancestors, with n/N wrapping', () => {
    let v = run(initialView, 'switchPane', 'down', 'toggleFold');
    v = run(v, 'search', { type: 'searchType', text: 'SRV/B' });
    v = reduce(v, { type: 'searchSubmit', ctx: ctx(v) });
    expect(v.message).toMatch(/no match/); // capital letters: case-sensitive
    v = run(v, 'search', { type: 'searchType', text: 'srv/' });
    v = reduce(v, { type: 'searchSubmit', ctx: ctx(v) });
    expect(cursorMount(v)).toBe('/srv/a');
    expect(v.folded.get(10)?.has(2)).toBe(false);
    expect(cursorMount(run(v, 'next'))).toBe('/srv/b');
    expect(cursorMount(run(v, 'next', 'next'))).toBe('/srv/a');
    expect(cursorMount(run(v, 'prev'))).toBe('/srv/b');
  });
  it('searches namespaces by pid and command, unfolding the namespace of a matching process', () => {
    let v = run(initialView, 'search', { type: 'searchType', text: 'redis' });
    v = reduce(v, { type: 'searchSubmit', ctx: ctx(v) });
    expect(cursorNs(v)).toBe('ns:30'); // the namespace is named by its commands
    v = run(v, 'next');
    expect(cursorNs(v)).toBe('p:30:40');
    expect(v.unfoldedNs.has(30)).toBe(true);
    v = run(v, 'search', { type: 'searchType', text: '7' });
    v = reduce(v, { type: 'searchSubmit', ctx: ctx(v) });
    expect(cursorNs(v)).toBe('p:10:7');
  });
  it('keeps the selection on the same namespace when rows move', () => {
    const v = run(initialView, 'down');
    const rows = namespaceRows({ ...snap, namespaces: [snap.namespaces[2], snap.namespaces[1]] }, v.unfoldedNs);
    expect(rows[nsIndex(v, rows)].key).toBe('ns:20');
  });
  it('selects the namespace of --pid', () => {
    const v = reduce(initialView, { type: 'select', pid: 40, ctx: ctx(initialView) });
    expect(cursorNs(v)).toBe('ns:30');
    expect(reduce(initialView, { type: 'select', pid: 999, ctx: ctx(initialView) }).message).toBe('no process 999');
  });
  it('L opens the event log with process events, and hides them again; l alone keeps them hidden', () => {
    expect(run(initialView, 'log')).toMatchObject({ showLog: true, logProcesses: false });
    expect(run(initialView, 'logProcesses')).toMatchObject({ showLog: true, logProcesses: true });
    expect(run(initialView, 'logProcesses', 'logProcesses')).toMatchObject({ showLog: true, logProcesses: false });
  });
  it('the log pane: Tab reaches it only when shown; j/k scroll back from the newest and clamp; / filters as typed; Space pauses; l hides it and gives focus back', () => {
    const cmd = (v: ViewState, command: Command, n = 10): ViewState => reduce(v, { type: 'command', command, ctx: { ...ctx(v), logLength: n } });
    expect(run(initialView, 'switchPane', 'switchPane').pane).toBe('namespaces'); // no log: namespaces ↔ mounts
    let v = run(initialView, 'log', 'switchPane', 'switchPane');
    expect(v.pane).toBe('log');
    v = cmd(cmd(cmd(v, 'up'), 'up'), 'down');
    expect(v.logBack).toBe(1);
    expect(cmd(v, 'top', 10).logBack).toBe(9);
    expect(cmd(cmd(v, 'top', 10), 'up', 10).logBack).toBe(9);
    expect(cmd(v, 'bottom').logBack).toBe(0);
    v = cmd(v, 'search');
    v = reduce(reduce(v, { type: 'searchType', text: 'umo' }), { type: 'searchType', text: 'unt' });
    expect([v.mode, v.logFilter, v.logBack]).toEqual(['search', 'umount', 0]);
    v = reduce(v, { type: 'searchBackspace' });
    expect(v.logFilter).toBe('umoun');
    v = reduce(v, { type: 'searchSubmit', ctx: ctx(v) });
    expect([v.mode, v.logFilter, v.query]).toEqual(['normal', 'umoun', null]);
    // `/` again starts from the filter in use; Enter on nothing clears it.
    v = cmd(v, 'search');
    expect(v.searchInput).toBe('umoun');
    for (let i = 0; i < 5; i++) v = reduce(v, { type: 'searchBackspace' });
    v = reduce(v, { type: 'searchSubmit', ctx: ctx(v) });
    expect(v.logFilter).toBe('');
    expect(cmd(v, 'toggleFold').logPaused).toBe(true);
    expect(cmd(cmd(v, 'toggleFold'), 'toggleFold').logPaused).toBe(false);
    expect(cmd(v, 'log')).toMatchObject({ showLog: false, pane: 'namespaces' });
    expect(cmd(v, 'back').pane).toBe('namespaces');
  });
  it('scrolls only as far as needed', () => {
    expect(scrollTop(0, 5, 3, 10)).toBe(3);
    expect(scrollTop(4, 2, 3, 10)).toBe(2);
    expect(scrollTop(9, 9, 3, 10)).toBe(7);
  });
});

describe('keymap', () => {
  const key = (k: Partial<Key> = {}): Key =>
    ({
      upArrow: false,
      downArrow: false,
      leftArrow: false,
      rightArrow: false,
      pageDown: false,
      pageUp: false,
      home: false,
      end: false,
      return: false,
      escape: false,
      ctrl: false,
      shift: false,
      tab: false,
      backspace: false,
      delete: false,
      meta: false,
      super: false,
      hyper: false,
      capsLock: false,
      numLock: false,
      ...k,
    }) as Key;
  it('maps the htop/less habits', () => {
    expect(commandFor('j', key())).toBe('down');
    expect(commandFor('', key({ downArrow: true }))).toBe('down');
    expect(commandFor('G', key({ shift: true }))).toBe('bottom');
    expect(commandFor('', key({ escape: true, meta: true }))).toBe('back');
    expect(commandFor('c', key({ ctrl: true }))).toBe('quit');
    expect(commandFor('q', key())).toBe('quit');
    expect(commandFor('x', key())).toBeUndefined();
  });
  it('binds no key twice', () => {
    const seen = new Set<string>();
    for (const b of KEYMAP)
      for (const k of b.keys) {
        const id = JSON.stringify(k);
        expect(seen.has(id), id).toBe(false);
        seen.add(id);
      }
  });
});

describe('help in a small terminal', () => {
  it('scrolls its rows with the movement keys, within bounds, from the top each time it opens', () => {
    const helpCtx = (v: ViewState): Ctx => ({ ...ctx(v), detailsLength: 30 }); // 30 help rows, 3 shown
    const step = (v: ViewState, command: string) => reduce(v, { type: 'command', command, ctx: helpCtx(v) } as Parameters<typeof reduce>[1]);
    let v = step(initialView, 'help');
    expect(v.mode).toBe('help');
    v = step(step(v, 'down'), 'down');
    expect(v.detailsTop).toBe(2);
    expect(step(v, 'bottom').detailsTop).toBe(27);
    expect(step(step(v, 'top'), 'up').detailsTop).toBe(0);
    // The selection underneath did not move, and reopening starts at the top.
    expect(cursorNs(v)).toBe('ns:10');
    expect(step(step(v, 'help'), 'help').detailsTop).toBe(0);
  });
});

describe('lines that lead somewhere (details, map, compare, where)', () => {
  // Lines 1 and 3 lead to mounts in other namespaces, line 4 opens a row.
  const gos = [undefined, { ns: 20, mount: 3 }, undefined, { ns: 30, mount: 5 }, { open: 'fold:x', ns: 30 }, undefined];
  const lines = (v: ViewState, height = 3): Ctx => ({ ...ctx(v, height), gos, detailsLength: gos.length });
  const press = (v: ViewState, c: Command, height = 3) => reduce(v, { type: 'command', command: c, ctx: lines(v, height) });
  const at = (v: ViewState, ...cs: Command[]) => cs.reduce((x, c) => press(x, c), v);
  it('↓/↑ go from one such line to the next, scrolling as little as it takes; past the last they scroll', () => {
    const d = run(initialView, 'switchPane', 'details');
    expect(d.mode).toBe('details');
    expect(d.pick).toBe(-1);
    const one = at(d, 'down');
    expect([one.pick, one.detailsTop]).toEqual([1, 0]);
    const three = at(one, 'down');
    expect([three.pick, three.detailsTop]).toEqual([3, 1]);
    expect([at(three, 'down').pick, at(three, 'down').detailsTop]).toEqual([4, 2]);
    // No line below leads anywhere: the next ↓ scrolls, the pick stays in sight.
    expect([at(three, 'down', 'down').pick, at(three, 'down', 'down').detailsTop]).toEqual([4, 3]);
    expect(at(three, 'up').pick).toBe(1);
    // Paging away lets the pick go.
    expect(at(three, 'top').pick).toBe(-1);
  });
  it('Enter on a mount line goes to that mount in its namespace: the tree focused, the cursor on it, its folds open', () => {
    const folded = { ...run(initialView, 'switchPane', 'details'), folded: new Map([[20, new Set([2])]]) };
    const v = at(folded, 'down', 'details');
    expect([v.mode, v.pane, v.nsKey, v.mountCursor.get(20), v.folded.has(20)]).toEqual(['normal', 'mounts', 'ns:20', 3, false]);
    expect(cursorMount(v)).toBe('/srv/a');
    // A namespace gone meanwhile: said, and nothing moves.
    const gone = reduce(at(folded, 'down'), { type: 'command', command: 'details', ctx: { ...lines(folded), gos: [undefined, { ns: 99, mount: 1 }], snapshot: snap } });
    expect(gone.message).toBe('mnt:[99] is gone');
  });
  it('Enter on a row that opens toggles it; → centres the map on its namespace, ← goes back', () => {
    const map = run(initialView, 'map');
    expect([map.mode, map.mapCentre]).toEqual(['map', 10]);
    const row = at(map, 'down', 'down', 'down');
    expect(row.pick).toBe(4);
    expect(at(row, 'details').open).toEqual(new Set(['fold:x']));
    expect(at(row, 'details', 'details').open).toEqual(new Set());
    const centred = at(row, 'unfold');
    expect([centred.mapCentre, centred.mapBack, centred.pick]).toEqual([30, [10], -1]);
    expect(at(centred, 'fold').mapCentre).toBe(10);
    expect(at(centred, 'fold').mapBack).toEqual([]);
    expect(at(map, 'map').mode).toBe('normal');
  });
  it('d marks A, d on another namespace compares them, d on A again clears the mark', () => {
    const marked = run(initialView, 'compare');
    expect([marked.compareA, marked.mode, marked.message]).toEqual([10, 'normal', expect.stringContaining('A is mnt:[10]')]);
    expect(run(marked, 'compare').compareA).toBeNull();
    const shown = run(marked, 'down', 'compare');
    expect([shown.mode, shown.compareA, shown.compareB]).toEqual(['compare', 10, 20]);
  });
  it("W finds the selected mount's filesystem everywhere, from the tree or its details; elsewhere it says how", () => {
    const w = run(initialView, 'switchPane', 'down', 'where');
    expect([w.mode, w.where]).toEqual(['where', { major: 0, minor: 2, target: '/srv' }]);
    expect(run(initialView, 'where').message).toMatch(/Tab to the mount pane/);
  });
});

describe('the namespace list: order and filter', () => {
  it('> and < cycle the order (initial first, counts biggest first); ! keeps only those with warnings', async () => {
    const { namespaceRows } = await import('../../src/ui/view-model.js');
    const many = {
      ...snap,
      namespaces: [
        snap.namespaces[0],
        { ...snap.namespaces[1], processes: [proc(30, 20, 'nginx')] },
        { ...snap.namespaces[2], processes: [proc(40, 30, 'redis'), proc(41, 30, 'redis'), proc(42, 30, 'redis')] },
      ],
    };
    const order = (v: ViewState) => namespaceRows(many, v.unfoldedNs, v.listing).map((r) => r.ns.inode);
    expect(order(initialView)).toEqual([10, 20, 30]);
    const byName = run(initialView, 'sortNext');
    expect([byName.listing.order, byName.message]).toEqual(['name', 'namespaces by name']);
    expect(order(byName)).toEqual([10, 20, 30]); // init first; nginx < redis
    const byProcs = run(byName, 'sortNext');
    expect(order(byProcs)).toEqual([10, 30, 20]);
    expect(run(initialView, 'sortPrev').listing.order).toBe('warnings');
    const warned = {
      ...many,
      namespaces: many.namespaces.map((n) => (n.inode === 20 ? { ...n, findings: [{ severity: 'warning' as const, code: 'mount-leak' as const, mount: 2, namespaces: [10], message: 'm' }] } : n)),
    };
    const only = run(initialView, 'warningsOnly');
    expect(namespaceRows(warned, only.unfoldedNs, only.listing).map((r) => r.ns.inode)).toEqual([10, 20]);
    expect(run(only, 'warningsOnly').listing.warningsOnly).toBe(false);
  });
});

describe('search as you type', () => {
  const type = (v: ViewState, text: string) => reduce(v, { type: 'searchType', text, ctx: ctx(v) });
  it('moves the cursor to the first match as the query grows, counts the matches, says when there is none; Esc goes back, Enter keeps it', () => {
    const start = run(initialView, 'switchPane', 'search');
    let v = type(start, 's');
    expect([cursorMount(v), v.message]).toEqual(['/srv', '3 matches']);
    v = type(v, 'rv/b');
    expect([cursorMount(v), v.message, v.mode]).toEqual(['/srv/b', '1 match', 'search']);
    expect(type(v, 'x').message).toBe('no match for "srv/bx"');
    expect(cursorMount(run(v, 'back'))).toBe('/');
    const kept = reduce(v, { type: 'searchSubmit', ctx: ctx(v) });
    expect([cursorMount(kept), kept.mode]).toEqual(['/srv/b', 'normal']);
  });
  it('n past the last match says it went on from the top', () => {
    let v = run(initialView, 'switchPane', 'search');
    v = reduce(type(v, 'srv/'), { type: 'searchSubmit', ctx: ctx(type(v, 'srv/')) });
    expect(cursorMount(v)).toBe('/srv/a');
    const b = run(v, 'next');
    expect([cursorMount(b), b.message]).toEqual(['/srv/b', null]);
    const again = run(b, 'next');
    expect([cursorMount(again), again.message]).toEqual(['/srv/a', 'search hit the bottom, went on from the top']);
  });
});

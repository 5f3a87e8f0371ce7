/** Component tests: the App over a fixed snapshot, through ink-testing-library. */
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { App } from '../../src/ui/App.js';
import { ESC_WAIT_MS, KeyFeed } from '../../src/ui/keys/key-source.js';
import { ColourContext } from '../../src/ui/theme.js';
import { Store } from '../../src/store/store.js';
import type { Actions } from '../../src/actions/actions.js';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import { linkPeerGroups, sortedGroups } from '../../src/model/peer-groups.js';
import { attachFindings } from '../../src/discover/snapshot.js';
import type { MountNamespace, Process, Snapshot } from '../../src/model/types.js';
import { aProcess, stubActions } from '../helpers/model.js';

const proc = aProcess;
const ns = (inode: number, procs: Process[], mi: string[]): MountNamespace => ({
  inode,
  initial: inode === 100,
  readVia: procs[0]?.pid ?? null,
  processes: procs,
  holders: [],
  mounts: parseMountinfo(mi.join('\n')).mounts,
  findings: [],
  mountErrors: [],
});
const host = ns(100, [proc(1, 100, ['/sbin/init']), proc(50, 100, ['sshd', '-D'])], ['1 0 8:1 / / rw shared:1 - ext4 /dev/sda rw', '2 1 0:20 / /data rw shared:7 - tmpfs data rw']);
const container = ns(
  200,
  [proc(300, 200, ['nginx', '-g', 'daemon off;'], { container: { kind: 'docker', name: 'abc123def456' } })],
  ['10 9 8:1 / / rw master:1 - ext4 /dev/sda rw', '11 10 0:20 / /data rw shared:7 - tmpfs data rw', '12 11 0:21 / /data/x\\033]0;evil\\007 rw - tmpfs evil rw'],
);
container.mounts[2].target = '/data/x\u001b]0;evil\u0007'; // the kernel does not escape ESC
const held = ns(300, [], []);
held.holders = [{ kind: 'bind', path: '/run/pin', ns: 100 }];
const nss = [host, container, held];
// As the discovery pipeline makes it: peer groups linked, findings attached.
attachFindings(nss, linkPeerGroups(nss));
const snap: Snapshot = { version: 1, time: '', namespaces: nss, peerGroups: sortedGroups(linkPeerGroups(nss)), errors: [{ pid: 9, code: 'EACCES', message: 'x' }] };

const flush = () => new Promise((r) => setImmediate(() => setTimeout(r, 0)));
async function setup(actions: Actions | null = null, shown: Snapshot = snap) {
  const store = new Store(async () => shown, actions);
  store.setSnapshot(shown, 12);
  const keys = new KeyFeed();
  const ui = render(
    <ColourContext.Provider value={false}>
      <App store={store} keys={keys} user={(u) => (u === 0 ? 'root' : String(u))} onQuit={() => {}} />
    </ColourContext.Provider>,
  );
  await flush();
  const press = async (...chunks: string[]) => {
    for (const k of chunks) {
      keys.write(k);
      // A lone Esc waits for the rest of a sequence that never comes: let it go as Esc.
      if (k === '\x1b') await new Promise((r) => setTimeout(r, ESC_WAIT_MS + 10));
      await flush();
      await flush();
    }
  };
  return { ...ui, store, press, frame: () => ui.lastFrame() ?? '' };
}

describe('App', () => {
  it('lists namespaces with flags, counts, commands and container hints', async () => {
    const { frame, press, unmount } = await setup();
    const f = frame();
    expect(f).toMatch(/> ▸ 100 +I {2}! +2 \/sbin\/init/);
    expect(f).toMatch(/▸ 200 +! +1 nginx -g da/);
    expect(f).toMatch(/300 +H +0 \(no process/);
    expect(f).toContain('1 process unreadable: EACCES');
    await press('j');
    // The status bar names the selected namespace with its container hint, whatever the width.
    expect(frame()).toMatch(/mnt:\[200\] nginx · docker:abc123def456 · 3 mounts/);
    unmount();
  });

  it('shows the mount tree with propagation, then details with the peer group across namespaces', async () => {
    const { frame, press, unmount } = await setup();
    expect(frame()).toMatch(/└─\/data +shared:7/);
    await press('j', '\t', 'j', '\r');
    const f = frame();
    expect(f).toContain('Mount 11 in mnt:[200] nginx');
    expect(f).toMatch(/Peer group 7 — 2 members in 2 namespace/);
    expect(f).toContain('mnt:[100] /sbin/init');
    // /data in the container is a peer of the host's /data: mounts made under it cross over (at the end: G).
    await press('G');
    expect(frame()).toContain('Mounts made under this path here also appear in: mnt:[100]');
    await press('\x1b');
    await vi.waitFor(() => expect(frame()).not.toContain('Peer group 7'));
    unmount();
  });

  it('the mouse: a click selects a row and focuses its pane, a click on the selected row is Enter, the wheel moves the pane under it', async () => {
    const { frame, press, unmount } = await setup();
    const click = (x: number, y: number) => `\x1b[<0;${x};${y}M\x1b[<0;${x};${y}m`;
    // Rows: 1 the title, 2 the headers, 3 on the rows; the left pane is 38 columns at 100.
    await press(click(5, 4));
    expect(frame()).toMatch(/mnt:\[200\] nginx · docker:abc123def456 · 3 mounts/);
    await press(click(50, 4));
    expect(frame()).toMatch(/│>!└─\/data/);
    await press(click(50, 4));
    expect(frame()).toContain('Mount 11 in mnt:[200] nginx');
    // A click on the left leaves the details for the lists; the wheel there moves its cursor (three rows a notch, at most to the end).
    await press(click(5, 3));
    expect(frame()).not.toContain('Mount 11 in');
    expect(frame()).toMatch(/mnt:\[100\]/);
    await press('\x1b[<65;5;10M');
    expect(frame()).toMatch(/^> +300 /m);
    await press('\x1b[<64;5;10M');
    expect(frame()).toMatch(/^> ▸ 100 /m);
    // A click below the last row, a right click, a release alone: nothing happens, nothing is typed.
    const before = frame();
    await press('\x1b[<0;5;20M', '\x1b[<2;5;4M', '\x1b[<0;5;4m');
    expect(frame()).toBe(before);
    unmount();
  });

  it('never lets a control character through to the terminal', async () => {
    const { frame, press, unmount } = await setup();
    await press('j', '\t', 'G');
    const f = frame();
    expect(f).toContain('/data/x\\e]0;evil\\a');
    expect(f).not.toMatch(/\u001b\]|\u0007/);
    unmount();
  });

  it('unfolds processes, searches, and draws help from the keymap', async () => {
    const { frame, press, unmount } = await setup();
    await press(' ');
    expect(frame()).toMatch(/├ +1 root +\/sbin\/init/);
    expect(frame()).toMatch(/└ +50 root +sshd -D/);
    await press('/', 'n', 'g', 'i', 'n', 'x', '\r');
    expect(frame()).toMatch(/> ▸ 200/);
    await press('?');
    expect(frame()).toContain('mntns keys');
    expect(frame()).toContain('switch pane');
    await press('?');
    expect(frame()).not.toContain('mntns keys');
    unmount();
  });

  it('acts on every key of a chunk, in order (ssh, key repeat, a typed-ahead search)', async () => {
    const { frame, press, unmount } = await setup();
    await press('jj');
    expect(frame()).toMatch(/> +300 +H/);
    await press('kk');
    expect(frame()).toMatch(/> ▸ 100/);
    // `/` and a query with its Enter in one read: the whole query is searched.
    await press('/nginx\r');
    expect(frame()).toMatch(/> ▸ 200/);
    unmount();
  });

  it('puts a bracketed paste into the search prompt, and never runs one as commands', async () => {
    const { frame, press, unmount } = await setup();
    // Pasted in the normal view: no `j` moves, no `q` quits.
    await press('\x1b[200~jjq\x1b[201~');
    expect(frame()).toMatch(/> ▸ 100/);
    await press('/', '\x1b[200~ngi\x1bnx\x1b[201~');
    expect(frame()).toContain('/nginx');
    await press('\r');
    expect(frame()).toMatch(/> ▸ 200/);
    unmount();
  });

  it('ignores escape sequences nobody binds (ESC [ 3 1 m, ESC [ 5 m) instead of crashing', async () => {
    const { frame, press, unmount } = await setup();
    await press('\x1b[31m', '\x1b[5m', 'j');
    expect(frame()).toMatch(/> ▸ 200/);
    await press('g', '/', '\x1b[31mngin\x1b[5mx', '\r');
    // The sequences typed nothing: the query is `nginx` and finds its process.
    expect(frame()).toMatch(/^>.*nginx/m);
    unmount();
  });

  it('r refreshes through the store', async () => {
    const { press, store, unmount } = await setup();
    const spy = vi.spyOn(store, 'rediscover');
    await press('r');
    expect(spy).toHaveBeenCalledOnce();
    unmount();
  });

  it('y acts on exactly the mount the dialog showed: when its id now names another mount, it refuses and says what changed', async () => {
    const setPropagation = vi.fn(async () => ({ ok: true as const, after: null }));
    const actions = stubActions({ setPropagation });
    const { frame, press, store, unmount } = await setup(actions);
    await press('j', '\t', 'j', 'p');
    expect(frame()).toContain('Change propagation?');
    expect(frame()).toMatch(/mount +\/data +\(id 11, tmpfs\)/);
    // Meanwhile /data goes and another mount takes its id 11 elsewhere.
    const [h, c, o] = snap.namespaces;
    const moved = { ...c, mounts: c.mounts.map((m) => (m.id === 11 ? { ...m, target: '/elsewhere', minor: 99 } : m)) };
    store.setSnapshot({ ...snap, namespaces: [h, moved, o] });
    await press('\r');
    // The dialog still shows the mount it asked about.
    expect(frame()).toMatch(/mount +\/data +\(id 11, tmpfs\)/);
    await press('y');
    await vi.waitFor(() => expect(frame()).toContain('mount 11 is not the one shown any more (target, device changed: now /elsewhere); nothing changed'));
    expect(setPropagation).not.toHaveBeenCalled();
    unmount();
  });

  it('draws hostile text from every message path escaped: notices, refresh errors, action failures, dialogs, the log, findings', async () => {
    const evil = 'x\x1b]0;PWNED-TITLE\x07\x1b]52;c;Y3VybA==\x07\nsecond line\x1b[2J';
    const setPropagation = vi.fn(async () => ({ ok: false as const, message: `ELOOP: ${evil}` }));
    const actions = stubActions({ setPropagation, enterHow: () => ({ error: `nsenter: ${evil}` }), unshare: async () => ({ ok: false as const, message: `unshare failed: ${evil}` }) });
    const { frame, press, store, unmount } = await setup(actions);
    const seen: string[] = [];
    const look = () => seen.push(frame());
    // A notice (the watcher's errors), a failed refresh, findings and log lines naming a hostile mount.
    store.notify(`watch: ${evil}`);
    await press('l');
    look();
    const [h, c, o] = snap.namespaces;
    const hostile = { ...c, findings: [{ code: 'mount-leak' as const, severity: 'warning' as const, mount: 12, mounts: [12], namespaces: [100], message: `leaks ${evil}`, fix: `p on ${evil}` }] };
    store.applyEvents({ ...snap, namespaces: [h, hostile, o] }, [{ time: '', type: 'mount', ns: 200, mount: { ...c.mounts[2], target: `/data/${evil}` } }]);
    await press('j', 'f');
    look();
    await press('\x1b');
    // Action failures: e (its dialog, then the error), u, and a propagation change whose errno text carries the path.
    await press('e');
    look();
    await press('h');
    await vi.waitFor(() => expect(frame()).toContain('nsenter: x'));
    look();
    await press('u', 'p');
    await vi.waitFor(() => expect(frame()).toContain('unshare failed'));
    look();
    await press('\t', 'G', 'p');
    look(); // the dialog, over a mount named with escapes
    await press('y');
    await vi.waitFor(() => expect(frame()).toContain('failed, ELOOP'));
    look();
    store.setSnapshot(snap);
    (store as unknown as { set(p: object): void }).set({ error: `EIO: ${evil}` });
    await press('r');
    look();
    for (const f of seen) {
      expect(f).not.toMatch(/[\x00-\x09\x0b-\x1f\x7f\u0080-\u009f]/); // no control character but newlines between rows
      expect(f).not.toContain('PWNED-TITLE\n'); // a newline in a message never splits a row
    }
    expect(seen.join('\n')).toContain('\\e]0;PWNED-TITLE\\a');
    unmount();
  });

  it('y passes the never-reused id noted when the dialog opened (pin) on to the change', async () => {
    const setPropagation = vi.fn(async () => ({ ok: true as const, after: null }));
    const pin = vi.fn(() => '2148000123');
    const actions = stubActions({ setPropagation, pin });
    const { press, unmount } = await setup(actions);
    await press('j', '\t', 'j', 'p');
    expect(pin).toHaveBeenCalledOnce();
    expect(pin.mock.calls[0]).toEqual([expect.objectContaining({ inode: 200 }), expect.objectContaining({ id: 11, target: '/data' })]);
    await press('y');
    await vi.waitFor(() => expect(setPropagation).toHaveBeenCalledOnce());
    expect(setPropagation.mock.calls[0]).toEqual([expect.objectContaining({ inode: 200 }), expect.objectContaining({ id: 11 }), 'private', false, '2148000123']);
    unmount();
  });

  it('draws a preview (namespaces and processes, their tables still being read) at once, then the snapshot; the preview is never the mark', async () => {
    let done: (s: Snapshot) => void = () => {};
    const store = new Store(() => new Promise<Snapshot>((r) => (done = r)));
    const keys = new KeyFeed();
    const ui = render(
      <ColourContext.Provider value={false}>
        <App store={store} keys={keys} user={(u) => (u === 0 ? 'root' : String(u))} onQuit={() => {}} />
      </ColourContext.Provider>,
    );
    const loading = store.rediscover();
    await flush();
    expect(ui.lastFrame()).toContain('reading /proc…');
    store.preview({ ...snap, namespaces: snap.namespaces.map((n) => ({ ...n, mounts: [], findings: [], holders: [] })), peerGroups: [] });
    // The store's changes are drawn within a data frame (33 ms), not necessarily at once.
    await vi.waitFor(() => {
      const rows = (ui.lastFrame() ?? '').split('\n');
      expect(rows.find((l) => l.includes(' 100 '))).toContain('reading…');
      expect(rows.find((l) => l.includes(' 200 '))).toContain('reading…');
    });
    expect(store.getState().mark).toBeNull();
    // Findings of a table not read yet are not "no findings".
    keys.write('f');
    await flush();
    expect(ui.lastFrame()).toContain('Its mount table is still being read');
    keys.write('f');
    await flush();
    done(snap);
    await loading;
    await vi.waitFor(() => expect(ui.lastFrame()).not.toContain('reading…'));
    expect(ui.lastFrame()).toMatch(/> ▸ 100 +I {2}! +2 \/sbin\/init/);
    expect(store.getState().mark?.snapshot).toBe(snap);
    // A preview after the first snapshot (a rescan's) changes nothing.
    store.preview({ ...snap, namespaces: [] });
    expect(store.getState().snapshot).toBe(snap);
    ui.unmount();
  });
  it("details: Enter on a peer row goes to that mount in the other namespace; M maps the namespace's links; d, d compares", async () => {
    const { frame, press, unmount } = await setup();
    await press('\t', 'j', '\r'); // /data of the host, its details
    expect(frame()).toContain('Peer group 7');
    await press('\x1b[B'); // the first row that leads somewhere: the container's /data
    expect(frame()).toMatch(/>\s+mnt:\[200\] nginx\s+\/data/);
    await press('\r');
    expect(frame()).toMatch(/mnt:\[200\] nginx · docker:abc123def456 · 3 mounts/);
    expect(frame()).toMatch(/>!└─\/data +shared:7/);
    await press('M');
    expect(frame()).toContain('Propagation map (Esc to close)');
    expect(frame()).toMatch(/─⇄─ peers with mnt:\[100\] \/sbin\/init · 1 group: \/data/);
    expect(frame()).toMatch(/─←─ receives from mnt:\[100\] \/sbin\/init · 1 group: \//);
    expect(frame()).toContain('1 process · 3 mounts · 1 warning ');
    await press('\x1b', '\t', 'd', 'k', 'd');
    expect(frame()).toContain('A  mnt:[200] nginx');
    expect(frame()).toContain('B  mnt:[100] /sbin/init');
    expect(frame()).toMatch(/only in A 1 · only in B 0 · changed 1 · same 1/);
    unmount();
  });
  it('Shift+→ shows whole lines and scrolls them, Shift+← back to lines that fit; t names mounts relative to their parent', async () => {
    const deep = '/var/lib/containers/storage/overlay/3f2a9c1b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0';
    const tree = ns(
      100,
      [proc(1, 100, ['/sbin/init'])],
      [
        '1 0 8:1 / / rw shared:1 - ext4 /dev/sda rw',
        `2 1 0:20 / ${deep} rw shared:7 master:3 - overlay overlay rw`,
        `3 2 0:21 / ${deep}/merged/live1 rw shared:8 - tmpfs tmpfs-with-a-rather-long-source-name rw`,
        `4 2 0:22 / ${deep}/merged/live2 rw shared:9 - tmpfs tmpfs-with-a-rather-long-source-name rw`,
      ],
    );
    const one: Snapshot = { version: 1, time: '', namespaces: [tree], peerGroups: sortedGroups(linkPeerGroups([tree])), errors: [] };
    const { frame, press, unmount } = await setup(null, one);
    await press('\t');
    // Fitted: the paths elided in the middle, the ends that tell them apart kept.
    expect(frame()).toMatch(/├─\/var\/…\/merged\/live1/);
    expect(frame()).not.toContain('3f2a9c1b8d7e6f5a4b3c2d1e0f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a0/merged');
    await press('\x1b[1;2C');
    expect(frame()).toContain('wide: whole lines');
    // The first columns of the whole line: the path's start, uncut (no … in it).
    expect(frame()).toMatch(/└─\/var\/lib\/containers\/storage\/overlay\/3f2a9c1b8d7e/);
    expect(frame()).not.toMatch(/\/var\/…/);
    for (let i = 0; i < 20; i++) await press(']');
    // Scrolled to the end of the widest line: the tags and the whole source are there.
    expect(frame()).toContain('the widest line ends here');
    expect(frame()).toMatch(/tmpfs-with-a-rather-long-source-name +shared:8/);
    expect(frame()).toMatch(/shared:7 master:3/);
    for (let i = 0; i < 20; i++) await press('\x1b[1;2D');
    expect(frame()).toContain('lines fitted to the pane');
    expect(frame()).toMatch(/├─\/var\/…\/merged\/live1/);
    // Plain ← still folds: Shift is what scrolls.
    await press('t');
    expect(frame()).toMatch(/├─merged\/live1/);
    expect(frame()).toMatch(/└─merged\/live2/);
    expect(frame()).toMatch(/└─…[0-9a-f]+e2f1a0 +shared:7 master:3/);
    await press('t');
    expect(frame()).toMatch(/├─\/var\/…\/merged\/live1/);
    unmount();
  });

  it('a key bound to nothing says so in the status bar; an unbound escape sequence says nothing', async () => {
    const { frame, press, unmount } = await setup();
    await press('Z');
    expect(frame()).toContain('Z: no such key here — ? lists them');
    await press('j');
    expect(frame()).not.toContain('no such key');
    await press('\x1b[31~');
    expect(frame()).not.toContain('no such key');
    unmount();
  });
  it('marks a namespace whose table is being read off the main thread: reading…', async () => {
    const { frame, store, unmount } = await setup();
    expect(frame()).not.toContain('reading…');
    // The store's changes are drawn within a data frame (33 ms), not necessarily at once.
    store.setReading(new Set([200]));
    await vi.waitFor(() =>
      expect(
        frame()
          .split('\n')
          .find((l) => l.includes('200')),
      ).toContain('reading…'),
    );
    store.setReading(new Set());
    await vi.waitFor(() => expect(frame()).not.toContain('reading…'));
    unmount();
  });
});

describe('the event log pane', () => {
  const [h, c] = snap.namespaces;
  const mountAt = (id: number, target: string) => ({ ...c.mounts[2], id, target });
  it('focused with Tab: scrolls back, filters as you type, pauses with Space (new events wait), w writes the journal', async () => {
    const { frame, press, store, unmount } = await setup();
    const by = { pid: 4242, comm: 'runc', cmdline: ['runc', 'init'], ns: 200, ppid: 1, chain: [{ pid: 1, comm: 'init' }] };
    store.applyEvents(snap, [
      ...Array.from({ length: 30 }, (_, i) => ({ time: `2026-12-01T10:00:${String(i).padStart(2, '0')}.000Z`, type: 'mount' as const, ns: 200, mount: mountAt(100 + i, `/data/m${i}`), by })),
      { time: '2026-12-01T10:01:00.000Z', type: 'umount', ns: 100, mount: { ...h.mounts[1] } },
    ]);
    await press('l');
    expect(frame()).toContain('Tab to focus');
    expect(frame()).toContain('by runc (pid 4242) ← init');
    expect(frame()).toMatch(/umount +\/data/);
    await press('\t', '\t');
    expect(frame()).toContain('j/k scroll · / filter · Space pause · w save');
    // Back up past the newest: the umount (newest) leaves the window.
    await press('k', 'k', 'k', 'k', 'k', 'k', 'k', 'k', 'k', 'k');
    expect(frame()).toContain('10 newer below (G)');
    expect(frame()).not.toMatch(/umount +\/data/);
    await press('G');
    expect(frame()).toMatch(/umount +\/data/);
    // A filter, as it is typed: only the matching lines.
    await press('/', 'm', '2', '9');
    expect(frame()).toContain('filter "m29": 1 line');
    expect(frame()).toContain('/data/m29');
    expect(frame()).not.toContain('/data/m28');
    await press('\r', '/', '\x7f', '\x7f', '\x7f', '\r');
    expect(frame()).not.toContain('filter "');
    // Paused: what comes waits, and is counted.
    await press(' ');
    store.applyEvents(snap, [{ time: '2026-12-01T10:02:00.000Z', type: 'mount', ns: 200, mount: mountAt(200, '/data/late'), by }]);
    await flush();
    expect(frame()).toContain('PAUSED, 1 new (Space)');
    expect(frame()).not.toContain('/data/late');
    await press(' ');
    expect(frame()).toContain('/data/late');
    const save = vi.spyOn(store, 'saveJournal').mockReturnValue(32);
    await press('w');
    expect(save).toHaveBeenCalledWith(expect.stringMatching(/\/mntns-events-[0-9T-]+Z\.ndjson$/));
    expect(frame()).toMatch(/wrote 32 events to \/.*mntns-events-/);
    // Esc gives the keys back to the namespaces.
    await press('\x1b', 'j');
    expect(frame()).toMatch(/> ▸ 200/);
    unmount();
  });
});

describe('what changed since', () => {
  it('c lists what changed since mntns started; m moves the mark to now', async () => {
    const { frame, press, store, unmount } = await setup();
    const [h, c, o] = snap.namespaces;
    const added = { ...c.mounts[2], id: 77, target: '/data/added' };
    const later = { ...snap, namespaces: [h, { ...c, mounts: [...c.mounts, added] }, o] };
    store.applyEvents(later, [{ time: '2026-12-01T10:00:00.000Z', type: 'mount', ns: 200, mount: added, by: { pid: 4242, comm: 'runc', cmdline: ['runc'], ns: 200, ppid: 1, chain: [] } }]);
    await press('c');
    expect(frame()).toContain('Changes since the mark at');
    expect(frame()).toMatch(/mnt:\[200\] nginx +\+1 −0 ~0/);
    expect(frame()).toContain('+ /data/added');
    expect(frame()).toContain('10:00:00 by runc (pid');
    await press('c', 'm');
    expect(frame()).toMatch(/mark set at \d\d:\d\d:\d\d: c shows what changes from here/);
    await press('c');
    expect(frame()).toContain('Nothing changed since the mark.');
    unmount();
  });
});

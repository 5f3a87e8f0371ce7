/**
 * The built `mntns` in a real terminal (node-pty + headless xterm) over lab
 * namespaces: navigate, search, fold, details, help, resize, quit — reading the
 * screen each time.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { CLI, REPO, describeRoot, startLab, stopAllLabs } from '../helpers/lab.js';
import { Term } from '../helpers/terminal.js';
import { NEW_API_MOUNT, hasPython } from '../helpers/new-mount-api.js';

let term: Term | null = null;
afterEach(() => {
  term?.kill();
  term = null;
});
afterAll(stopAllLabs);

describe('without a terminal', () => {
  it('says to use --json or --tree and exits 2', () => {
    const r = spawnSync(process.execPath, [CLI], { stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' });
    expect(r.status).toBe(2);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
    expect(r.stderr).toMatch(/needs a terminal.*--json.*--tree/);
    expect(r.stdout).toBe('');
  });
});

describe('terminal edge cases', () => {
  it('a tiny terminal says so instead of garbling, and recovers on resize', async () => {
    term = new Term([], { cols: 30, rows: 6 });
    await term.waitFor('terminal too small');
    term.resize(100, 24);
    await term.waitFor(/INODE .*PROCS/);
    await term.press('q');
    expect(await term.wait()).toBe(0);
  });

  it('TERM=dumb gets a one-line pointer to --tree, exit 2', async () => {
    term = new Term([], { env: { TERM: 'dumb' } });
    expect(await term.wait()).toBe(2);
    expect(term.raw).toMatch(/TERM=dumb/);
  });

  it('NO_COLOR: no colour escapes at all, the cursor marker still drawn', async () => {
    term = new Term([], { env: { NO_COLOR: '1' } });
    await term.waitFor(/^> /m);
    await term.press('?', 'G'); // the legend is at the end of the help
    await term.waitFor('Namespace flags');

    expect(term.raw).not.toMatch(/\x1b\[(3[0-7]|9[0-7]|38;)/);
    await term.press('q');
    expect(await term.wait()).toBe(0);
  });

  it('the mouse: reports asked for while mntns has the screen and turned off on the way out; a click selects, the wheel moves; --no-mouse asks for none', async () => {
    term = new Term([], { cols: 120, rows: 30 });
    await term.ready();
    expect(term.raw).toContain('\x1b[?1000h\x1b[?1006h');
    // Rows 1-based: the title, the headers, then the rows. A click on the mount
    // tree's second row (any user's namespace has a few mounts) moves its cursor
    // there and focuses it; the wheel moves it three rows.
    const cursorAt = (row: number) => () => (term!.lines()[row - 1] ?? '').includes('│>');
    term.pty.write('\x1b[<0;80;4M\x1b[<0;80;4m');
    await term.waitFor(cursorAt(4));
    term.pty.write('\x1b[<65;80;10M');
    await term.waitFor(cursorAt(7));
    await term.press('q');
    expect(await term.wait()).toBe(0);
    const off = term.raw.lastIndexOf('\x1b[?1006l\x1b[?1000l');
    expect(off).toBeGreaterThan(term.raw.lastIndexOf('\x1b[?1000h'));
    term = new Term(['--no-mouse'], { cols: 120, rows: 30 });
    await term.ready();
    await term.press('q');
    expect(await term.wait()).toBe(0);
    expect(term.raw).not.toContain('\x1b[?1000h');
  });

  it('restores the terminal on SIGTERM', async () => {
    term = new Term([]);
    await term.waitFor(/INODE/);
    term.pty.kill('SIGTERM');
    await term.wait();
    expect(term.raw.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(term.raw.lastIndexOf('\x1b[?1049h'));
    expect(term.raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(term.raw.lastIndexOf('\x1b[?25l'));
  });
});

describeRoot('TUI over lab scenarios', () => {
  it('peers: navigate, search, details of a shared mount, fold, help, resize, quit', async () => {
    const lab = await startLab('peers');
    const { ns1, ns2, X, Z } = lab.info;
    term = new Term([], { cols: 160, rows: 40 });
    await term.waitFor(/INODE/);
    // Both lab namespaces carry the "!" marker: their mounts share peer groups.
    // Found by searching the namespace pane by inode (a busy host lists hundreds).
    expect(await term.selectNamespace(ns2.ns)).toMatch(new RegExp(`${ns2.ns} +!`));
    expect(await term.selectNamespace(ns1.ns)).toMatch(new RegExp(`${ns1.ns} +!`));
    // Unfold its processes with Space, fold again with ←.
    await term.press('space');
    await term.waitFor(new RegExp(`[├└] +${ns1.pid} `));
    await term.press('left');
    await term.waitFor((s) => !new RegExp(`[├└] +${ns1.pid} `).test(s));

    // Mount pane: search for Z, open details.
    await term.press('tab', '/', ...'/Z', 'enter');
    await term.waitFor((s) => s.split('\n').some((l) => />[ !]/.test(l) && l.includes(Z)));
    await term.press('enter');
    const details = await term.waitFor('Peer group');
    expect(details).toMatch(/Peer group \d+ — 3 members in 2 namespace/);
    expect(details).toContain(`mnt:[${ns2.ns}]`);
    expect(details).toContain(X);
    expect(details).toMatch(/also appear in: .*mnt:\[/);
    await term.press('esc');
    await term.waitFor((s) => !s.includes('Peer group'));

    // Fold the lab tmpfs subtree and see its children go.
    await term.press('/', ...'mntns-lab', 'enter');
    await term.waitFor((s) => (term!.lines().find((l) => /> .*mntns-lab\.[^/]+\s/.test(l)) ?? '') !== '');
    await term.press('space');
    await term.waitFor((s) => s.includes('[+]') && !s.includes(`${Z} `));
    await term.press('space');
    await term.waitFor(Z);

    // Help is drawn from the keymap.
    await term.press('?');
    const help = await term.waitFor('mntns keys');
    for (const k of ['Tab', 'Space', 'Enter', 'Esc', 'PgUp', 'q ^C']) expect(help).toContain(k);
    await term.press('esc');
    await term.waitFor(/TARGET/);

    // Resize narrower: one pane at a time, still drawn.
    term.resize(70, 20);
    await term.waitFor((s) => s.split('\n').every((l) => l.length <= 70) && /TARGET/.test(s));
    await term.press('q');
    expect(await term.wait()).toBe(0);
    // The last screen switch is back to the normal screen, with the cursor shown again.
    expect(term.raw.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(term.raw.lastIndexOf('\x1b[?1049h'));
    expect(term.raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(term.raw.lastIndexOf('\x1b[?25l'));
    await lab.stop();
  });

  it('--pid opens with that namespace selected; j/k, g/G move', async () => {
    const lab = await startLab('leak');
    const { container } = lab.info;
    term = new Term(['--pid', String(container.pid)]);
    await term.selected(container.ns);
    await term.press('g');
    await term.waitFor(() => !(term!.cursorRow() ?? '').includes(String(container.ns)));
    // Other tests' labs may list namespaces of their own: G and k are checked by
    // row position, not by which namespace happens to be last.
    const nsRows = () => term!.lines().filter((l) => /^[> ] [▸▾] \d+/.test(l));
    const cursorAt = () => nsRows().findIndex((l) => l.startsWith('>'));
    await term.press('G');
    await term.waitFor(() => cursorAt() === nsRows().length - 1 && cursorAt() > 0);
    await term.press('k');
    await term.waitFor(() => cursorAt() === nsRows().length - 2);
    await term.press('ctrlc');
    expect(await term.wait()).toBe(0);
    await lab.stop();
  });

  it('hostile names: escaped on screen, title untouched, nothing executed', async () => {
    const lab = await startLab('hostile');
    const { holder } = lab.info;
    term = new Term(['--ns', String(holder.ns)], { cols: 200, rows: 60 });
    await term.selected(holder.ns);
    await term.press('tab', '/', ...'/h/', 'enter');
    const s = await term.waitFor('title\\e]0;pwned\\a');
    expect(s).toContain('clear\\e[2J\\e[Hboom');
    expect(s).toContain('new\\nline');
    expect(s).toContain('tab\\there');
    expect(s).toContain('中文-émoji-🙂');
    expect(term.titles).toEqual([]);
    // The frame is intact: every row still ends at the pane border, nothing was cleared away.
    expect(s).toMatch(/INODE/);
    await term.press('q');
    expect(await term.wait()).toBe(0);
    await lab.stop();
  });
});

describeRoot('TUI follows the system live', () => {
  it('a pin file in a --pins directory brings a process-less namespace onto the screen', async () => {
    const lab = await startLab('peers');
    const { ns1, lab: dir } = lab.info;
    const pins = `${dir}/pins`;
    spawnSync('nsenter', ['-t', String(ns1.pid), '-m', '--', 'mkdir', '-p', pins]);
    term = new Term(['--pins', `/proc/${ns1.pid}/root${pins}`], { cols: 160, rows: 40 });
    await term.waitFor(/refreshed \d/);
    await term.press('l');
    const r = spawnSync('nsenter', ['-t', String(ns1.pid), '-m', '--', `${REPO}/test/fixtures/pin-namespace.sh`, pins], { encoding: 'utf8' });
    const inode = Number(r.stdout.trim());
    expect(inode).toBeGreaterThan(0);
    // Listed with the H flag (held, no processes) and its holder named.
    expect(await term.selectNamespace(inode)).toMatch(new RegExp(`${inode} +H +0 \\(no processes: held by bind`));
    await term.press('q');
    expect(await term.wait()).toBe(0);
    await lab.stop();
  });

  it('a mount, its propagation to a peer namespace, the event log, an umount, a new namespace', async () => {
    const lab = await startLab('peers');
    const { ns1, ns2, X } = lab.info;
    const inNs = (argv: string[]) => spawnSync('nsenter', ['-t', String(ns1.pid), '-m', '--', ...argv], { encoding: 'utf8' });
    inNs(['mkdir', '-p', `${X}/live`]);
    term = new Term(['--pid', String(ns1.pid)], { cols: 180, rows: 44 });
    await term.selected(ns1.ns);
    // The log with process events (hidden at first: L shows them).
    await term.press('L');
    await term.waitFor('Tab to focus · l to hide');
    expect(inNs(['mount', '-t', 'tmpfs', 'livefs', `${X}/live`]).status).toBe(0);
    // The tree updates in place, and the log shows one line for both namespaces.
    await term.waitFor((scr) => scr.includes(`├─${X}/live`) || scr.includes(`└─${X}/live`));
    const s = await term.waitFor(new RegExp(`mount +${X}/live +tmpfs livefs +in mnt:\\[\\d+\\].*, mnt:\\[\\d+\\]`));
    expect(s).toContain(`mnt:[${ns1.ns}]`);
    expect(s).toContain(`mnt:[${ns2.ns}]`);
    // The selection stayed on the same namespace.
    expect(term.cursorRow()).toContain(String(ns1.ns));
    expect(inNs(['umount', `${X}/live`]).status).toBe(0);
    await term.waitFor(new RegExp(`umount +${X}/live`));
    // Gone from the tree (the log still names it).
    await term.waitFor((scr) => !scr.includes(`├─${X}/live`) && !scr.includes(`└─${X}/live`));
    // A new namespace shows up in the list without pressing anything.
    const child = spawn('nsenter', ['-t', String(ns1.pid), '-m', '--', 'unshare', '--mount', '--', 'sleep', '60'], { stdio: 'ignore' });
    try {
      await term.waitFor('namespace-added', 15_000);
      await term.waitFor((scr) => (scr.match(/^[ >] [▸▾ ] \d{10}/gm) ?? []).length >= 5);
    } finally {
      child.kill('SIGKILL');
    }
    await term.waitFor(new RegExp(`process-removed +${child.pid} sleep`), 15_000);
    await term.waitFor('namespace-removed', 15_000);
    await term.press('q');
    expect(await term.wait()).toBe(0);
    await lab.stop();
  });
});

describeRoot('the event log: who made a mount, the filter, the journal written', () => {
  (hasPython ? it : it.skip)(
    `names the mounter of a mount made in a lab namespace, filters to it, and w writes the journal with by and from${hasPython ? '' : ' [skipped: no python3 here]'}`,
    async () => {
      const lab = await startLab('peers');
      const { ns1, ns2, X } = lab.info;
      spawnSync('nsenter', ['-t', String(ns1.pid), '-m', '--', 'mkdir', '-p', `${X}/who`, `${X}/other`]);
      const cwd = mkdtempSync(`${tmpdir()}/mntns-journal.`);
      onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
      term = new Term(['--pid', String(ns1.pid)], { cols: 200, rows: 44, cwd });
      await term.selected(ns1.ns);
      await term.press('l');
      await term.waitFor('Tab to focus · l to hide');
      spawnSync('nsenter', ['-t', String(ns1.pid), '-m', '--', 'mount', '-t', 'tmpfs', 'otherfs', `${X}/other`]);
      // A mounter (the new mount API) that stays a moment, so what it is can be read for certain.
      const mounter = spawn('nsenter', ['-t', String(ns1.pid), '-m', '--', 'python3', '-c', `${NEW_API_MOUNT}\nimport time; time.sleep(2)`, `${X}/who`], { stdio: 'ignore' });
      onTestFinished(() => void mounter.kill('SIGKILL'));
      await term.waitFor(new RegExp(`mount +${X}/who +tmpfs .* in mnt:\\[\\d+\\].*by python\\S* \\(pid ${mounter.pid}\\) ← `));
      // Focus the log and filter to the one mount.
      await term.press('\t', '\t');
      await term.waitFor('j/k scroll · / filter');
      await term.press('/', ...'X/who', 'enter');
      const s = await term.waitFor('filter "X/who": 1 line');
      expect(s).not.toMatch(new RegExp(`mount +${X}/other`));
      await term.press('w');
      await term.waitFor(/wrote \d+ events? to /);
      const [file] = readdirSync(cwd).filter((f) => /^mntns-events-.*\.ndjson$/.test(f));
      expect(statSync(`${cwd}/${file}`).mode & 0o777).toBe(0o600);
      const events = readFileSync(`${cwd}/${file}`, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l));
      const made = events.find((e) => e.type === 'mount' && e.ns === ns1.ns && e.mount.target === `${X}/who`);
      expect(made.by).toMatchObject({ pid: mounter.pid, comm: expect.stringMatching(/^python/), ns: ns1.ns });
      const copy = events.find((e) => e.type === 'mount' && e.ns === ns2.ns && e.mount.target === `${X}/who`);
      expect(copy.from).toBe(ns1.ns);
      await term.press('q');
      expect(await term.wait()).toBe(0);
      await lab.stop();
    },
  );
});

describeRoot('what changed since, on real namespaces', () => {
  it('c lists a mount made and one removed since mntns started, with who made it; m moves the mark and c then finds nothing', async () => {
    const lab = await startLab('peers');
    const { ns1, X } = lab.info;
    const inNs = (argv: string[]) => expect(spawnSync('nsenter', ['-t', String(ns1.pid), '-m', '--', ...argv]).status).toBe(0);
    inNs(['mkdir', '-p', `${X}/since`, `${X}/before`]);
    inNs(['mount', '-t', 'tmpfs', 'beforefs', `${X}/before`]);
    term = new Term(['--pid', String(ns1.pid)], { cols: 200, rows: 44 });
    await term.selected(ns1.ns);
    inNs(['mount', '-t', 'tmpfs', 'sincefs', `${X}/since`]);
    inNs(['umount', `${X}/before`]);
    // Both seen by the tables (the tree shows the one and no longer the other).
    await term.waitFor((s) => s.includes(`${X}/since`) && !s.includes(`${X}/before`));
    await term.press('c');
    const s = await term.waitFor('Changes since the mark at');
    expect(s).toMatch(new RegExp(`mnt:\\[${ns1.ns}\\].* \\+2 −2 ~0`)); // X/… and its bind at Z/…
    expect(s).toContain(`+ ${X}/since  tmpfs sincefs`);
    expect(s).toContain(`− ${X}/before  tmpfs beforefs`);
    await term.press('c', 'm');
    await term.waitFor('mark set at');
    await term.press('c');
    await term.waitFor('Nothing changed since the mark.');
    await term.press('q');
    expect(await term.wait()).toBe(0);
    await lab.stop();
  });
});

describeRoot('across namespaces in the TUI: the map, the jump, compare, where, a snapshot file', () => {
  it('M maps the peers; Enter opens the link and goes to the mount there; d, d compares; W finds the filesystem everywhere', async () => {
    const lab = await startLab('peers');
    const { ns1, ns2, X, Z } = lab.info;
    term = new Term([], { cols: 200, rows: 44 });
    await term.selectNamespace(ns1.ns);
    await term.press('M');
    const map = await term.waitFor(/─⇄─ peers with mnt:\[\d+\] \S+ · 2 groups:/);
    expect(map).toContain(`mnt:[${ns1.ns}]`);
    expect(map).toMatch(new RegExp(`peers with mnt:\\[${ns2.ns}\\]`));
    // The first row, opened: X and Z here, each with its copy in ns2.
    await term.press('down', 'enter');
    await term.waitFor(new RegExp(`├ ${X} ⇄ mnt:\\[${ns2.ns}\\] \\S+ ${X}`));
    await term.press('down', 'enter');
    // The tree of ns2, the cursor on its copy of X.
    const there = await term.waitFor((s) => s.includes(`mnt:[${ns2.ns}] sleep ·`) && s.split('\n').some((l) => l.includes('│>') && l.includes(`─${X} `)));
    expect(there).toMatch(/Tab:pane/);
    // d marks ns2, d on ns1 compares: Z is only in ns1.
    await term.press('tab', 'd');
    await term.waitFor(`A is mnt:[${ns2.ns}]`);
    await term.selectNamespace(ns1.ns);
    await term.press('d');
    const cmp = await term.waitFor('only in A 0 · only in B 1');
    expect(cmp).toContain(`+ ${Z}  tmpfs x`);
    // W on X in ns1: its tmpfs is in both namespaces, twice in ns1 (X and its bind Z).
    await term.press('esc', 'tab', '/', ...X, 'enter', 'W');
    const w = await term.waitFor(/\(the filesystem of .*\): in 2 namespaces/);
    expect(w.split('\n').filter((l) => l.includes(`${Z}  tmpfs x`))).toHaveLength(1);
    await term.press('q');
    expect(await term.wait()).toBe(0);
    await lab.stop();
  });

  it('--from FILE shows the snapshot read-only, with where and when in the banner; a bad file is one line before the screen is taken', async () => {
    const lab = await startLab('peers');
    const dir = mkdtempSync(`${tmpdir()}/mntns-from.`);
    onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
    const r = spawnSync(process.execPath, [CLI, '--json'], { encoding: 'utf8', maxBuffer: 1 << 28 });
    const file = `${dir}/snap.json`;
    writeFileSync(file, r.stdout);
    term = new Term(['--from', file, '--ns', String(lab.info.ns1.ns)], { cols: 200, rows: 40 });
    await term.waitFor(new RegExp(`FROM ${file} · taken ${JSON.parse(r.stdout).time} · read-only`));
    await term.selectNamespace(lab.info.ns1.ns);
    await term.press('tab', 'p');
    await term.waitFor(`a snapshot from ${file}: read-only, not live`);
    await term.press('q');
    expect(await term.wait()).toBe(0);
    writeFileSync(`${dir}/bad.json`, r.stdout.slice(0, 50));
    const bad = new Term(['--from', `${dir}/bad.json`]);
    onTestFinished(() => bad.kill());
    expect(await bad.wait()).toBe(1);
    expect(bad.raw).toMatch(/mntns: .*bad\.json: truncated or not JSON/);
    expect(bad.raw).not.toContain('\x1b[?1049h'); // the screen was never taken
    await lab.stop();
  });
});

describeRoot('y copies through the terminal, only when asked to', () => {
  it('--osc52: y puts the selected mount path on the clipboard (OSC 52, base64: nothing in a name becomes a sequence); without it, y says how', async () => {
    const lab = await startLab('peers');
    const { ns1, X } = lab.info;
    term = new Term(['--osc52', '--pid', String(ns1.pid)], { cols: 160, rows: 40 });
    await term.ready();
    await term.press('tab', '/', ...X, 'enter', 'y');
    await term.waitFor(`copied: ${X}`);
    expect(term.raw).toContain(`\x1b]52;c;${Buffer.from(X).toString('base64')}\x07`);
    await term.press('q');
    expect(await term.wait()).toBe(0);
    const off = new Term(['--pid', String(ns1.pid)], { cols: 160, rows: 40 });
    onTestFinished(() => off.kill());
    await off.ready();
    await off.press('tab', 'y');
    await off.waitFor('copying is off: start mntns with --osc52');
    expect(off.raw).not.toContain('\x1b]52');
    await off.press('q');
    expect(await off.wait()).toBe(0);
    await lab.stop();
  });
});

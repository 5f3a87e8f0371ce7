/**
 * The built mntns under conditions a production root terminal meets: hostile
 * names drawn by a real terminal emulator (title, colours, layout), a non-root
 * user, a 40×10 terminal, resize storms, and SIGTERM/SIGHUP while the TUI or a
 * shell entered with `e` runs — the terminal always comes back, and holders made
 * with `u` are ended as promised.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { afterAll, afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { CLI, describeRoot, heldAfter, startLab, stopAllLabs } from '../helpers/lab.js';
import { Term } from '../helpers/terminal.js';

let term: Term | null = null;
afterEach(() => {
  term?.kill();
  term = null;
});
afterAll(stopAllLabs);

const NOBODY = ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'];
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The terminal was handed back: the last alternate-screen switch leaves it, the cursor is shown. */
function expectRestored(t: Term): void {
  expect(t.raw.lastIndexOf('\x1b[?1049l')).toBeGreaterThan(t.raw.lastIndexOf('\x1b[?1049h'));
  expect(t.raw.lastIndexOf('\x1b[?25h')).toBeGreaterThan(t.raw.lastIndexOf('\x1b[?25l'));
}

describeRoot('hostile names through a real terminal emulator', () => {
  it('title, colours and column layout are the same as for a plain name', async () => {
    const lab = await startLab('hostile');
    const { holder } = lab.info;
    term = new Term(['--ns', String(holder.ns)], { cols: 160, rows: 50 });
    await term.selected(holder.ns);
    await term.press('tab', '/', ...'deep/d1', 'enter'); // the cursor away from the rows compared
    const s = await term.waitFor('/h/title\\e]0;pwned');
    expect(term.titles).toEqual([]);
    const rows = term.lines();
    const plain = rows.findIndex((l) => l.includes('/h/with space'));
    // As far as the TARGET column shows them (long ones end in "…").
    const hostile = ['title\\e]0;pwned', 'clear\\e[2J\\e[H', 'new\\nline', 'tab\\there', '中文-émoji-🙂', 'quote\'double"mix', 'dollar$(touch'];
    const rowsOf = hostile.map((h) => rows.findIndex((l) => l.includes(`/h/${h}`)));
    expect(plain).toBeGreaterThan(0);
    for (const [i, r] of rowsOf.entries()) expect(r, hostile[i]).toBeGreaterThan(0);
    // Layout: the FSTYPE column starts at the same cell on every row, wide characters included.
    const fstypeAt = (r: number): number => {
      const cells = term!.cells(r);
      const i = cells.findIndex(
        (c, k) =>
          c.ch === 't' &&
          cells
            .slice(k, k + 6)
            .map((x) => x.ch)
            .join('') === 'tmpfs ',
      );
      return i < 0 ? -1 : cells[i].x;
    };
    const col = fstypeAt(plain);
    expect(col).toBeGreaterThan(0);
    for (const [i, r] of rowsOf.entries()) expect(fstypeAt(r), hostile[i]).toBe(col);
    // Colours: from the FSTYPE column on, every hostile row is drawn exactly like the plain one.
    const look = (r: number) =>
      term!
        .cells(r)
        .filter((c) => c.x >= col)
        .map((c) => `${c.fg}/${c.bg}/${c.attrs}`);
    for (const [i, r] of rowsOf.entries()) expect(look(r), hostile[i]).toEqual(look(plain));
    // And every character of a name is drawn like the plain name's first character.
    const nameLooks = (r: number): string[] => {
      const cells = term!.cells(r);
      const at = cells.findIndex(
        (c, k) =>
          cells
            .slice(k, k + 3)
            .map((x) => x.ch)
            .join('') === '/h/',
      );
      return cells
        .slice(at + 3)
        .filter((c) => c.x < col - 1 && c.ch !== ' ')
        .map((c) => `${c.fg}/${c.bg}/${c.attrs}`);
    };
    const plainLook = nameLooks(plain)[0];
    for (const [i, r] of rowsOf.entries()) expect(new Set(nameLooks(r)), hostile[i]).toEqual(new Set([plainLook]));
    expect(s).toMatch(/INODE/);
    await term.press('q');
    expect(await term.wait()).toBe(0);
    await lab.stop();
  });
});

/** Why nobody cannot run the built mntns from this clone (a home directory nobody may not enter), or null. */
function nobodyCannotRun(): string | null {
  if (process.getuid?.() !== 0) return null;
  const r = spawnSync(NOBODY[0], [...NOBODY.slice(1), process.execPath, '-e', 'require("fs").accessSync(process.argv[1], 4)', CLI], { encoding: 'utf8' });
  return r.status === 0 ? null : `nobody (uid 65534) cannot read ${CLI}: run the suite from a clone others can read`;
}
const nobodyBlocked = nobodyCannotRun();

(nobodyBlocked ? (n: string, f: () => void) => describe.skip(`${n} [skipped: ${nobodyBlocked}]`, f) : describeRoot)('as a non-root user (setpriv to nobody)', () => {
  it('the TUI shows what it can read, says how many processes it could not and why, and actions say they need root', async () => {
    term = new Term([], { prefix: NOBODY, cols: 140, rows: 30, env: { SHELL: '/bin/sh' } });
    await term.waitFor(/\d+ processes unreadable: EACCES/);
    await term.waitFor(/INODE .*PROCS/);
    await term.press('e');
    await term.waitFor('actions need root');
    await term.press('tab', 'p');
    await term.waitFor('actions need root');
    expect(term.screen()).not.toMatch(/Make .* private\?/);
    await term.press('u');
    await term.waitFor('actions need root');
    await term.press('q');
    expect(await term.wait()).toBe(0);
    expectRestored(term);
  });

  it('--json and watch --json run, with the unreadable processes listed as EACCES', async () => {
    const r = spawnSync(NOBODY[0], [...NOBODY.slice(1), process.execPath, CLI, '--json'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(doc.namespaces.length).toBeGreaterThan(0);
    expect(doc.errors.length).toBeGreaterThan(0);
    expect(doc.errors.every((e: { code: string }) => ['EACCES', 'ENOENT', 'ESRCH'].includes(e.code))).toBe(true);
    // PID 1 is unreadable to nobody: the initial namespace is known some other way, or said unknown — never "none".
    const initial = doc.namespaces.map((n: { initial: boolean | null }) => n.initial);
    expect(initial.filter((i: boolean | null) => i === true).length === 1 || initial.every((i: boolean | null) => i === null), JSON.stringify(initial)).toBe(true);
    const w = spawn(NOBODY[0], [...NOBODY.slice(1), process.execPath, CLI, 'watch', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    onTestFinished(() => {
      if (w.exitCode === null && w.signalCode === null) w.kill('SIGKILL');
    });
    let err = '';
    w.stderr.on('data', (d) => (err += d));
    for (let i = 0; i < 200 && !err.includes('watching'); i++) await sleep(50);
    expect(err).toMatch(/watching \d+ mount namespace/);
    const code = new Promise((res) => w.once('exit', (c, sig) => res(c ?? sig)));
    w.kill('SIGTERM');
    expect(await code).toBe(0);
    expect(err).not.toMatch(/Error|at .*\.js:\d+/);
  });
});

describe('terminal size and signals', () => {
  it('a 40×10 terminal shows one pane that still navigates', async () => {
    term = new Term([], { cols: 40, rows: 10 });
    const s = await term.waitFor(/INODE/);
    expect(s).not.toContain('terminal too small');
    expect(term.lines().every((l) => l.length <= 40)).toBe(true);
    await term.press('j', 'k', 'G', 'g', '?');
    await term.waitFor(/mntns keys \(Esc\) · \d+ more, j\/k/);
    await term.press('G'); // the help scrolls to its end: the legend
    await term.waitFor('Propagation');
    await term.press('?', 'q');
    expect(await term.wait()).toBe(0);
    expectRestored(term);
  });

  it('a storm of resizes (SIGWINCH) leaves a whole, current frame', async () => {
    term = new Term([], { cols: 120, rows: 30 });
    await term.waitFor(/INODE/);
    const sizes: Array<[number, number]> = [
      [20, 5],
      [200, 60],
      [40, 10],
      [80, 24],
      [33, 7],
      [150, 40],
    ];
    for (let i = 0; i < 120; i++) {
      const [c, r] = sizes[i % sizes.length];
      term.resize(c, r);
      if (i % 10 === 0) await sleep(5);
    }
    term.resize(100, 24);
    const s = await term.waitFor((x) => /INODE/.test(x) && /refreshed/.test(x));
    expect(s.match(/INODE/g)).toHaveLength(1);
    expect(term.lines().every((l) => l.length <= 100)).toBe(true);
    await term.press('q');
    expect(await term.wait()).toBe(0);
  });
});

describeRoot('signals with holders and an entered shell', () => {
  /** Starts the TUI on a lab namespace and makes one copy with u; returns the copy's inode. */
  async function withHolder(): Promise<number> {
    const lab = await startLab('peers');
    term = new Term(['--pid', String(lab.info.ns1.pid)], { cols: 160, rows: 40, env: { SHELL: '/bin/sh' } });
    await term.selected(lab.info.ns1.ns);
    await term.press('u', 'p');
    const s = await term.waitFor(/made mnt:\[\d+\] .* held by mntns/, 15_000);
    return Number(/made mnt:\[(\d+)\]/.exec(s)![1]);
  }

  async function gone(pid: number): Promise<boolean> {
    for (let i = 0; i < 40 && existsSync(`/proc/${pid}`); i++) await sleep(50);
    return !existsSync(`/proc/${pid}`);
  }

  it('SIGHUP (the terminal went away) ends the TUI, restores the terminal and ends the holders', async () => {
    const holder = await withHolder();
    term!.pty.kill('SIGHUP');
    expect(await term!.wait()).toBe(129);
    expectRestored(term!);
    expect(await heldAfter(holder)).toEqual([]);
  });

  /** mntns exited with `code` by its own hand (not killed by the signal), terminal back, shell and holder gone. */
  async function expectEndedCleanly(code: number, shell: number, holder: number): Promise<void> {
    expect([await term!.wait(), term!.exitSignal]).toEqual([code, null]);
    expectRestored(term!);
    expect(await gone(shell)).toBe(true);
    expect(await heldAfter(holder)).toEqual([]);
  }

  /** Presses e and returns the pid of the shell now holding the terminal. */
  async function enterShell(): Promise<number> {
    await term!.press('e', 'h');
    await term!.waitFor('exit it to come back');
    // Ends in `.`: a pid read off the screen must be whole before anything is sent to it.
    await term!.press(...'echo IN=$$.', 'enter');
    return Number(/IN=(\d+)\./.exec(await term!.waitFor(/IN=\d+\./))![1]);
  }

  it('SIGTERM while a shell from e runs: the shell is hung up, mntns ends with the terminal restored and holders ended', async () => {
    const holder = await withHolder();
    const shell = await enterShell();
    term!.pty.kill('SIGTERM');
    await expectEndedCleanly(143, shell, holder);
  });

  it('SIGHUP to the session while a shell from e runs: shell and mntns end, terminal restored, holders ended', async () => {
    const holder = await withHolder();
    const shell = await enterShell();
    // A hangup reaches the session leader (mntns) and the shell in the foreground.
    process.kill(shell, 'SIGHUP');
    term!.pty.kill('SIGHUP');
    await expectEndedCleanly(129, shell, holder);
  });
});

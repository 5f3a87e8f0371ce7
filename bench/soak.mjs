// `npm run soak`: mntns under sustained churn, for minutes. In a lab namespace of
// its own: short-lived processes (half of them in new mount namespaces), and
// mount/umount storms in a shared tree with a peer namespace (so every mount
// propagates). Meanwhile the TUI runs in a pty with a key pressed every 50 ms,
// and two `mntns watch --json` beside it. Prints, every interval: RSS of both, events
// seen, processes and mounts made. At the end: the final state of the lab's
// namespaces on both watchers (mount events the change source, and table wakes
// alone: --no-mount-events) against findmnt, and RSS start/peak/end.
//   node bench/soak.mjs [--minutes 10] [--procs-rate 5000] [--mounts-rate 1000] [--every 30]
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn as ptySpawn } from 'node-pty';
import { CLI, REPO, flag } from './lib.mjs';

const MINUTES = flag('minutes', 10);
const PROCS_RATE = flag('procs-rate', 5000);
const MOUNTS_RATE = flag('mounts-rate', 1000);
const EVERY = flag('every', 30);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid) => {
  try {
    return Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
  } catch {
    return NaN;
  }
};

// Python is too slow for thousands of processes and mounts a second: a small C churner does them.
const binDir = mkdtempSync(`${tmpdir()}/mntns-soak.`);
const churnBin = `${binDir}/churn`;
const cc = spawnSync('cc', ['-O2', '-o', churnBin, `${REPO}/bench/churn.c`], { encoding: 'utf8' });
if (cc.status !== 0) console.log(`(no C compiler: the churn comes from Python, far below the rates asked) ${cc.stderr ?? ''}`);

// The churner: its own private namespace and tmpfs; prints one JSON line, then
// counts lines ("procs N", "mounts N") every second until stdin closes.
const churn = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'python3', `${REPO}/bench/churner.py`, String(PROCS_RATE), String(MOUNTS_RATE), ...(cc.status === 0 ? [churnBin] : [])], {
  stdio: ['pipe', 'pipe', 'inherit'],
});
let churnBuf = '';
let info = null;
const made = { procs: 0, mounts: 0 };
churn.stdout.on('data', (d) => {
  churnBuf += d;
  let nl;
  while ((nl = churnBuf.indexOf('\n')) >= 0) {
    const line = churnBuf.slice(0, nl);
    churnBuf = churnBuf.slice(nl + 1);
    if (!info) info = JSON.parse(line);
    else {
      const [k, v] = line.split(' ');
      made[k] = Number(v);
    }
  }
});
while (!info) await sleep(50);

const env = { ...process.env, TERM: 'xterm-256color' };
delete env.CI;
const tui = ptySpawn(process.execPath, [CLI], { name: 'xterm-256color', cols: 160, rows: 50, env });
let frames = 0;
let tuiTail = '';
tui.onData((d) => {
  frames += d.split('\x1b[?2026l').length - 1;
  tuiTail = (tuiTail + d).slice(-8192);
});
/** Namespace events about the lab's own namespaces (there should be none). */
const labNsEvents = [];
/**
 * A `mntns watch --json` and what its stream says: the last state of each lab
 * target per namespace, and the last few events per lab mount (shown when the
 * final state disagrees with findmnt).
 */
function follow(extra) {
  const proc = spawn(process.execPath, [CLI, 'watch', '--json', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  const w = { proc, events: {}, mounted: new Map(), history: new Map() };
  let buf = '';
  proc.stdout.on('data', (d) => {
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      const e = JSON.parse(buf.slice(0, nl));
      buf = buf.slice(nl + 1);
      w.events[e.type] = (w.events[e.type] ?? 0) + 1;
      if (e.type.startsWith('namespace') && info.namespaces.some((n) => n.ns === e.ns)) labNsEvents.push(`${e.time} ${e.type} mnt:[${e.ns}] (watch ${extra.join(' ')})`);
      if (e.mount?.target?.startsWith(info.lab)) {
        const key = `${e.ns} ${e.mount.target}`;
        if (e.type === 'mount') w.mounted.set(key, true);
        if (e.type === 'umount') w.mounted.set(key, false);
        w.history.set(key, [...(w.history.get(key) ?? []).slice(-3), `${e.time} ${e.type} id ${e.mount.id}${e.by ? ` by ${e.by.pid}` : ''}`]);
      }
    }
  });
  w.ready = new Promise((r) => proc.stderr.on('data', (d) => String(d).includes('watching') && r()));
  return w;
}
// Both change sources: the kernel's mount events (the default), and the mount tables' wakes alone.
const watchers = { 'mount events': follow([]), 'table wakes (--no-mount-events)': follow(['--no-mount-events']) };
const watch = watchers['mount events'];
const events = watch.events;
for (const w of Object.values(watchers)) await w.ready;
for (let i = 0; i < 200 && !/refreshed \d/.test(tuiTail); i++) await sleep(100);

churn.stdin.write('go\n');
const KEYS = ['j', 'j', 'k', '\t', 'j', '\x1b[6~', 'g', '\t', 'l', 'l', '/', 'm', '\r', '\x1b', 'r', 'G'];
let k = 0;
const keyTimer = setInterval(() => tui.write(KEYS[k++ % KEYS.length]), 50);
const samples = [];
const t0 = Date.now();
console.log(`soak: ${MINUTES} min, ${PROCS_RATE} processes/s and ${MOUNTS_RATE} mount+umount pairs/s asked for, keys every 50 ms`);
console.log('   time  tui RSS  watch RSS  frames   events (mount/umount/change, process +/-, ns +/-)        made (procs, mount pairs)');
const sample = () => {
  const s = { t: (Date.now() - t0) / 1000, tui: rssMb(tui.pid), watch: rssMb(watch.proc.pid), frames };
  samples.push(s);
  const ev = (t) => events[t] ?? 0;
  console.log(
    `  ${s.t.toFixed(0).padStart(4)} s  ${s.tui.toFixed(0).padStart(4)} MB  ${s.watch.toFixed(0).padStart(6)} MB  ${String(frames).padStart(6)}   ${ev('mount')}/${ev('umount')}/${ev('change')}, ${ev('process-added')}/${ev('process-removed')}, ${ev('namespace-added')}/${ev('namespace-removed')}   ${made.procs}, ${made.mounts}`,
  );
};
sample();
while (Date.now() - t0 < MINUTES * 60_000) {
  await sleep(Math.min(EVERY * 1000, MINUTES * 60_000 - (Date.now() - t0)));
  sample();
}
clearInterval(keyTimer);
churn.stdin.write('stop\n'); // ends the storms; the namespaces and their last mounts stay
await sleep(3000);
sample();

// Final state: what findmnt says is mounted under the lab, per lab namespace,
// against each watcher's stream; given up to 10 s to settle after the storms.
const compare = (w) => {
  const diffs = [];
  let checked = 0;
  for (const { pid, ns } of info.namespaces) {
    const r = spawnSync('findmnt', ['-N', String(pid), '-rn', '-o', 'TARGET'], { encoding: 'utf8' });
    const real = new Set(r.stdout.split('\n').filter((l) => l.startsWith(`${info.lab}/m/`)));
    const seen = new Set([...w.mounted].filter(([key, on]) => on && key.startsWith(`${ns} `)).map(([key]) => key.slice(String(ns).length + 1)));
    for (const t of real) if (!seen.has(t)) diffs.push(`mnt:[${ns}] ${t}: mounted, watch missed it (its last events: ${(w.history.get(`${ns} ${t}`) ?? []).join('; ')})`);
    for (const t of seen) if (!real.has(t)) diffs.push(`mnt:[${ns}] ${t}: gone, watch still has it (its last events: ${(w.history.get(`${ns} ${t}`) ?? []).join('; ')})`);
    checked += real.size;
  }
  return { diffs, checked };
};
const finals = {};
for (const [name, w] of Object.entries(watchers)) {
  let final = compare(w);
  for (let i = 0; i < 20 && final.diffs.length; i++) {
    await sleep(500);
    final = compare(w);
  }
  finals[name] = final;
  for (const d of final.diffs) console.log(`  ${name} differs: ${d}`);
}
const wrong = Object.values(finals).reduce((n, f) => n + f.diffs.length, 0);
const checked = finals['mount events'].checked;
for (const e of labNsEvents) console.log(`  the lab's own namespace came or went on watch: ${e}`);
const alive = tui.pid && rssMb(tui.pid) > 0;
tui.write('q');
await sleep(1500);
// Never stuck: every interval of the storm drew frames (keys arrive every 50 ms).
const perInterval = samples.slice(1, -1).map((s, i) => s.frames - samples[i].frames);
const screenOk = /refreshed \d/.test(tuiTail) && perInterval.every((n) => n > 0);
tui.kill();
for (const w of Object.values(watchers)) w.proc.kill('SIGTERM');
churn.stdin.end();
await new Promise((r) => churn.once('exit', r));
rmSync(binDir, { recursive: true, force: true });
const peak = (k) => Math.max(...samples.map((s) => s[k]));
console.log(
  `final state: ${checked} lab mounts in ${info.namespaces.length} namespaces per findmnt; watch --json disagrees on ${Object.entries(finals)
    .map(([name, f]) => `${f.diffs.length} (${name})`)
    .join(', ')}`,
);
console.log(
  `events seen: ${Object.entries(watchers)
    .map(([name, w]) => `${w.events.mount ?? 0} mount / ${w.events.umount ?? 0} umount (${name})`)
    .join(', ')}`,
);
console.log(`TUI alive to the end: ${alive}, drew frames in every interval: ${screenOk} (fewest ${Math.min(...perInterval)}), ${frames} frames`);
console.log(
  `RSS  TUI start ${samples[0].tui.toFixed(0)} / peak ${peak('tui').toFixed(0)} / end ${samples.at(-1).tui.toFixed(0)} MB;  watch start ${samples[0].watch.toFixed(0)} / peak ${peak('watch').toFixed(0)} / end ${samples.at(-1).watch.toFixed(0)} MB`,
);
if (wrong || !alive || !screenOk) process.exitCode = 1;

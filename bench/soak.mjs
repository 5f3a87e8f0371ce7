// `npm run soak`: mntns under sustained churn, for minutes. In a lab namespace of
// its own: short-lived processes (half of them in new mount namespaces), and
// mount/umount storms in a shared tree with a peer namespace (so every mount
// propagates). Meanwhile the TUI runs in a pty with a key pressed every 50 ms,
// and `mntns watch --json` beside it. Prints, every interval: RSS of both, events
// seen, processes and mounts made. At the end: the final state of the lab's
// namespaces on both watchers against findmnt, and RSS start/peak/end.
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
const watch = spawn(process.execPath, [CLI, 'watch', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
const events = {};
let wbuf = '';
// The last state of each lab target per namespace, from the event stream.
const mounted = new Map(); // `${ns} ${target}` -> true/false
/** The last few events per lab mount, to show when the final state disagrees. */
const history = new Map();
/** Namespace events about the lab's own namespaces (there should be none). */
const labNsEvents = [];
watch.stdout.on('data', (d) => {
  wbuf += d;
  let nl;
  while ((nl = wbuf.indexOf('\n')) >= 0) {
    const e = JSON.parse(wbuf.slice(0, nl));
    wbuf = wbuf.slice(nl + 1);
    events[e.type] = (events[e.type] ?? 0) + 1;
    if (e.type.startsWith('namespace') && info.namespaces.some((n) => n.ns === e.ns)) labNsEvents.push(`${e.time} ${e.type} mnt:[${e.ns}]`);
    if (e.mount?.target?.startsWith(info.lab)) {
      const key = `${e.ns} ${e.mount.target}`;
      if (e.type === 'mount') mounted.set(key, true);
      if (e.type === 'umount') mounted.set(key, false);
      history.set(key, [...(history.get(key) ?? []).slice(-3), `${e.time} ${e.type} id ${e.mount.id}`]);
    }
  }
});
await new Promise((r) => watch.stderr.on('data', (d) => String(d).includes('watching') && r()));
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
  const s = { t: (Date.now() - t0) / 1000, tui: rssMb(tui.pid), watch: rssMb(watch.pid), frames };
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
// against the watcher's stream; given up to 10 s to settle after the storms.
const compare = () => {
  const diffs = [];
  let checked = 0;
  for (const { pid, ns } of info.namespaces) {
    const r = spawnSync('findmnt', ['-N', String(pid), '-rn', '-o', 'TARGET'], { encoding: 'utf8' });
    const real = new Set(r.stdout.split('\n').filter((l) => l.startsWith(`${info.lab}/m/`)));
    const seen = new Set([...mounted].filter(([key, on]) => on && key.startsWith(`${ns} `)).map(([key]) => key.slice(String(ns).length + 1)));
    for (const t of real) if (!seen.has(t)) diffs.push(`mnt:[${ns}] ${t}: mounted, watch missed it (its last events: ${(history.get(`${ns} ${t}`) ?? []).join('; ')})`);
    for (const t of seen) if (!real.has(t)) diffs.push(`mnt:[${ns}] ${t}: gone, watch still has it (its last events: ${(history.get(`${ns} ${t}`) ?? []).join('; ')})`);
    checked += real.size;
  }
  return { diffs, checked };
};
let final = compare();
for (let i = 0; i < 20 && final.diffs.length; i++) {
  await sleep(500);
  final = compare();
}
const wrong = final.diffs.length;
const checked = final.checked;
for (const d of final.diffs) console.log(`  differs: ${d}`);
for (const e of labNsEvents) console.log(`  the lab's own namespace came or went on watch: ${e}`);
const alive = tui.pid && rssMb(tui.pid) > 0;
tui.write('q');
await sleep(1500);
// Never stuck: every interval of the storm drew frames (keys arrive every 50 ms).
const perInterval = samples.slice(1, -1).map((s, i) => s.frames - samples[i].frames);
const screenOk = /refreshed \d/.test(tuiTail) && perInterval.every((n) => n > 0);
tui.kill();
watch.kill('SIGTERM');
churn.stdin.end();
await new Promise((r) => churn.once('exit', r));
rmSync(binDir, { recursive: true, force: true });
const peak = (k) => Math.max(...samples.map((s) => s[k]));
console.log(`final state: ${checked} lab mounts in ${info.namespaces.length} namespaces per findmnt; watch --json disagrees on ${wrong}`);
console.log(`TUI alive to the end: ${alive}, drew frames in every interval: ${screenOk} (fewest ${Math.min(...perInterval)}), ${frames} frames`);
console.log(
  `RSS  TUI start ${samples[0].tui.toFixed(0)} / peak ${peak('tui').toFixed(0)} / end ${samples.at(-1).tui.toFixed(0)} MB;  watch start ${samples[0].watch.toFixed(0)} / peak ${peak('watch').toFixed(0)} / end ${samples.at(-1).watch.toFixed(0)} MB`,
);
if (wrong || !alive || !screenOk) process.exitCode = 1;

// Benchmark at scale: 500 namespaces holding 20,000 processes, plus one namespace
// with 50,000 mounts (two ../shared/lab/scale labs side by side). Reports, in one run:
// - snapshot: `mntns --json` wall time and peak RSS, next to `lsns -t mnt -J`;
//   `mntns --tree --pid` of the 50,000-mount namespace next to `findmnt -N PID`;
// - TUI: time to the first full frame, keypress → frame p50/p95 in the big
//   namespace, RSS after a while;
// - watch: time to "watching", mount → event latency in the big namespace next
//   to findmnt --poll, RSS.
//   node bench/scale.mjs [--namespaces 500] [--procs 20000] [--mounts 50000]
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { spawn as ptySpawn } from 'node-pty';
import { CLI, SHARED, flag, median, pct, startLab, timeCmd } from './lib.mjs';
import { firstFrame as startTui } from './first-frame.mjs';

const NS = flag('namespaces', 500);
const PROCS = flag('procs', 20000);
const MOUNTS = flag('mounts', 50000);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const peakOf = (stderr) => Number(/MNTNS_MAXRSS_KB=(\d+)/.exec(stderr)[1]) / 1024;
const RSS = ['--import', new URL('./rss-reporter.mjs', import.meta.url).href];

console.log(`scale benchmark: ${NS} namespaces with ${PROCS} processes, and one namespace with ${MOUNTS} mounts (setup takes minutes)`);
let t = performance.now();
const many = await startLab(`${SHARED}/lab/scale`, ['--namespaces', String(NS), '--mounts', '20', '--procs', String(PROCS)]);
const big = await startLab(`${SHARED}/lab/scale`, ['--namespaces', '1', '--mounts', String(MOUNTS), '--procs', '2']);
const bigPid = big.info.namespaces[0].pid;
console.log(`  setup ${((performance.now() - t) / 1000).toFixed(0)} s`);
try {
  // Snapshot.
  const runs = [];
  for (let i = 0; i < 3; i++) {
    const r = timeCmd(process.execPath, [...RSS, CLI, '--json']);
    const doc = JSON.parse(r.stdout);
    runs.push({ ms: r.ms, rss: peakOf(r.stderr), ns: doc.namespaces.length, mounts: doc.namespaces.reduce((a, n) => a + n.mounts.length, 0) });
  }
  const lsns = median([0, 1, 2].map(() => timeCmd('lsns', ['-t', 'mnt', '-J']).ms));
  const tree = median([0, 1, 2].map(() => timeCmd(process.execPath, [CLI, '--tree', '--pid', String(bigPid)]).ms));
  const findmnt = median([0, 1, 2].map(() => timeCmd('findmnt', ['-N', String(bigPid)]).ms));
  console.log(`snapshot (${runs[0].ns} namespaces, ${runs[0].mounts} mounts in all)`);
  console.log(`  mntns --json            median ${median(runs.map((r) => r.ms)).toFixed(0)} ms, peak RSS ${Math.max(...runs.map((r) => r.rss)).toFixed(0)} MB`);
  console.log(`  lsns -t mnt -J          median ${lsns.toFixed(0)} ms   (namespaces and processes only, no mount tables)`);
  console.log(`  mntns --tree --pid BIG  median ${tree.toFixed(0)} ms   vs findmnt -N BIG median ${findmnt.toFixed(0)} ms (ratio ${(tree / findmnt).toFixed(2)})`);

  // TUI: two starts to the first frame with data, then a third that is also
  // driven with keys (one start on this VM varied by a second from the next).
  const starts = [];
  for (let i = 0; i < 2; i++) starts.push((await startTui(['--pid', String(bigPid)])).dataMs);
  const env = { ...process.env, TERM: 'xterm-256color' };
  delete env.CI;
  t = performance.now();
  const tui = ptySpawn(process.execPath, [CLI, '--pid', String(bigPid)], { name: 'xterm-256color', cols: 160, rows: 50, env });
  let buf = '';
  let waiter = null;
  tui.onData((d) => {
    buf += d;
    if (buf.length > 1 << 20) buf = buf.slice(-4096);
    if (waiter && buf.includes('\x1b[?2026l')) {
      const w = waiter;
      waiter = null;
      w();
    }
  });
  for (let i = 0; i < 1200 && !/refreshed \d/.test(buf); i++) await sleep(50);
  starts.push(performance.now() - t);
  // A key that changes nothing draws no frame: give up on it after 5 s and say so.
  let noFrame = 0;
  const frame = (keys) =>
    new Promise((res) => {
      buf = '';
      const t0 = performance.now();
      const give = setTimeout(() => {
        waiter = null;
        noFrame++;
        res(null);
      }, 5000);
      waiter = () => {
        clearTimeout(give);
        res(performance.now() - t0);
      };
      tui.write(keys);
    });
  await sleep(500);
  await frame('\t'); // the mount pane of the big namespace (--pid selected it)
  const lat = [];
  for (let i = 0; i < 60; i++) {
    const ms = await frame(i % 10 === 9 ? '\x1b[6~' : i % 2 ? 'k' : 'j');
    if (ms !== null) lat.push(ms);
  }
  await sleep(2000);
  const tuiRss = rssMb(tui.pid);
  tui.write('q');
  await sleep(1500);
  tui.kill();
  console.log('TUI');
  console.log(`  first frame with data   median ${(median(starts) / 1000).toFixed(1)} s   (starts: ${starts.map((ms) => (ms / 1000).toFixed(1)).join(', ')} s)`);
  console.log(`  key → frame             p50 ${pct(lat, 50).toFixed(0)} ms  p95 ${pct(lat, 95).toFixed(0)} ms (${lat.length} of 60 keys in the ${MOUNTS}-mount namespace; ${noFrame} drew nothing)`);
  console.log(`  RSS                     ${tuiRss.toFixed(0)} MB`);

  // watch: `watch --json` over everything, and `findmnt --poll` on the big namespace.
  t = performance.now();
  const now = () => performance.timeOrigin + performance.now();
  const seen = { mntns: new Map(), findmnt: new Map() };
  const w = spawn(process.execPath, [CLI, 'watch', '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, MNTNS_TRACE: '1' } });
  let wbuf = '';
  let werr = '';
  w.stdout.on('data', (d) => {
    const at = now();
    wbuf += d;
    for (let nl; (nl = wbuf.indexOf('\n')) >= 0; wbuf = wbuf.slice(nl + 1)) {
      const e = JSON.parse(wbuf.slice(0, nl));
      if (e.type === 'mount' && e.ns === big.info.namespaces[0].ns) seen.mntns.set(e.mount.target, at);
    }
  });
  w.stderr.on('data', (d) => (werr += d));
  for (let i = 0; i < 1200 && !werr.includes('watching'); i++) await sleep(50);
  const ready = performance.now() - t;
  // Steady state: after the first re-read of every table (the one a second after
  // start skips big tables; the next, ~10 s later, reads them all), which positions
  // the fds for appended reads.
  for (let i = 0; i < 1200 && !werr.includes('re-read every'); i++) await sleep(50);
  const fm = spawn('findmnt', ['--poll=mount', '-N', String(bigPid), '-o', 'ACTION,TARGET', '-r', '-n'], { stdio: ['ignore', 'pipe', 'inherit'] });
  let fbuf = '';
  fm.stdout.on('data', (d) => {
    const at = now();
    fbuf += d;
    for (let nl; (nl = fbuf.indexOf('\n')) >= 0; fbuf = fbuf.slice(nl + 1)) {
      const [action, target] = fbuf.slice(0, nl).split(' ');
      if (action === 'mount') seen.findmnt.set(target, at);
    }
  });
  await sleep(2000);
  // Mounts made by a helper inside the big namespace, timed right after mount(2) returns.
  const helperSrc =
    'import ctypes, os, sys, time\nlibc = ctypes.CDLL("libc.so.6", use_errno=True)\nfor line in sys.stdin:\n    d = line.strip()\n    os.makedirs(d, exist_ok=True)\n    if libc.mount(b"probe", d.encode(), b"tmpfs", 0, None) != 0: sys.exit("mount failed")\n    print(time.time_ns(), flush=True)\n';
  const helper = spawn('nsenter', ['-t', String(bigPid), '-m', '--', 'python3', '-c', helperSrc], { stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = [];
  let hbuf = '';
  helper.stdout.on('data', (d) => {
    hbuf += d;
    for (let nl; (nl = hbuf.indexOf('\n')) >= 0; hbuf = hbuf.slice(nl + 1)) replies.push(Number(BigInt(hbuf.slice(0, nl))) / 1e6);
  });
  const watchLat = { mntns: [], findmnt: [] };
  for (let i = 0; i < 8; i++) {
    const target = `${big.info.lab}/watch-probe${i}`;
    helper.stdin.write(`${target}\n`);
    for (let k = 0; k < 400 && replies.length === 0; k++) await sleep(5);
    const t0 = replies.shift();
    for (let k = 0; k < 400 && !(seen.mntns.has(target) && seen.findmnt.has(target)); k++) await sleep(10);
    for (const who of ['mntns', 'findmnt']) if (seen[who].has(target)) watchLat[who].push(seen[who].get(target) - t0);
    await sleep(1500); // the whole read that follows each event (~0.5 s here) settles
  }
  helper.stdin.end();
  fm.kill('SIGTERM');
  const watchRss = rssMb(w.pid);
  w.kill('SIGTERM');
  const row = (xs) => (xs.length ? `p50 ${pct(xs, 50).toFixed(1)} ms, max ${Math.max(...xs).toFixed(1)} ms (${xs.length} of 8)` : 'none within 4 s of any of 8');
  console.log('watch');
  console.log(`  ready ("watching")      ${(ready / 1000).toFixed(1)} s`);
  console.log(`  a mount in the ${MOUNTS}-mount namespace → event line (mount(2) returned → line read):`);
  console.log(`    mntns watch --json     ${row(watchLat.mntns)}`);
  console.log(`    findmnt --poll -N BIG  ${row(watchLat.findmnt)}`);
  console.log(`  RSS                     ${watchRss.toFixed(0)} MB`);
} finally {
  await big.stop();
  await many.stop();
}

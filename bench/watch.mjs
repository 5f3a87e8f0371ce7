// Benchmarks for live watching, all printed in one run:
// 1. latency from mount(2) returning in a lab namespace to the event line on
//    `mntns watch --json`, side by side with `findmnt --poll -N PID` on the same mounts;
// 2. idle CPU of `mntns watch` and of the TUI over a quiet host with 10,000 processes;
// 3. peak RSS of `mntns watch` under mount and process churn.
//   node bench/watch.mjs [--mounts 100] [--idle 30] [--procs 10000] [--churn 60]
import { spawn, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { spawn as ptySpawn } from 'node-pty';
import { CLI, REPO, SHARED, flag, pct, startLab } from './lib.mjs';

const N = flag('mounts', 100);
const IDLE = flag('idle', 30);
const PROCS = flag('procs', 10000);
const CHURN = flag('churn', 60);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const nowNs = () => BigInt(Math.round((performance.timeOrigin + performance.now()) * 1e6));
const TICK = 100; // USER_HZ

/** Lines of a child's stdout, with the wall time each arrived. */
function lines(child, onLine) {
  let buf = '';
  child.stdout.on('data', (d) => {
    const t = nowNs();
    buf += d;
    let nl;
    while ((nl = buf.indexOf('\n')) >= 0) {
      onLine(buf.slice(0, nl), t);
      buf = buf.slice(nl + 1);
    }
  });
}

function cpuTicks(pid) {
  const s = readFileSync(`/proc/${pid}/stat`, 'utf8');
  const f = s.slice(s.lastIndexOf(')') + 2).split(' ');
  return Number(f[11]) + Number(f[12]); // utime + stime, all threads
}
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

async function latency() {
  const helper = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'python3', `${REPO}/bench/mounter.py`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = [];
  let wake = null;
  lines(helper, (l) => { replies.push(l); wake?.(); });
  while (replies.length === 0) await new Promise((r) => (wake = r));
  const { pid, lab } = JSON.parse(replies.shift());
  const seen = { mntns: new Map(), findmnt: new Map() };
  const mntns = spawn(process.execPath, [CLI, 'watch', '--json', '--pid', String(pid)], { stdio: ['ignore', 'pipe', 'pipe'] });
  const findmnt = spawn('findmnt', ['--poll=mount', '-N', String(pid), '-o', 'ACTION,TARGET', '-r', '-n'], { stdio: ['ignore', 'pipe', 'inherit'] });
  lines(mntns, (l, t) => { const e = JSON.parse(l); if (e.type === 'mount') seen.mntns.set(e.mount.target, t); });
  lines(findmnt, (l, t) => { const [action, target] = l.split(' '); if (action === 'mount') seen.findmnt.set(target.replace(/\\x20/g, ' '), t); });
  await new Promise((r) => mntns.stderr.on('data', (d) => String(d).includes('watching') && r()));
  await sleep(300);
  const lat = { mntns: [], findmnt: [] };
  try {
    for (let i = 0; i < N; i++) {
      helper.stdin.write(`mount m${i}\n`);
      while (replies.length === 0) await new Promise((r) => (wake = r));
      const t0 = BigInt(replies.shift());
      const target = `${lab}/m${i}`;
      for (let k = 0; k < 200 && !(seen.mntns.has(target) && seen.findmnt.has(target)); k++) await sleep(5);
      for (const w of ['mntns', 'findmnt']) if (seen[w].has(target)) lat[w].push(Number(seen[w].get(target) - t0) / 1e6);
      await sleep(10);
    }
  } finally {
    mntns.kill('SIGTERM');
    findmnt.kill('SIGTERM');
    helper.stdin.end();
  }
  const f = (xs) => xs.length ? `p50 ${pct(xs, 50).toFixed(2)} ms  p95 ${pct(xs, 95).toFixed(2)} ms  max ${Math.max(...xs).toFixed(2)} ms  (seen ${xs.length}/${N})` : 'none seen';
  console.log(`mount → event latency over ${N} mounts`);
  console.log(`  mntns watch --json      ${f(lat.mntns)}`);
  console.log(`  findmnt --poll -N PID   ${f(lat.findmnt)}`);
  console.log(`  target: mntns p95 <= 50 ms and no worse than findmnt`);
}

async function idle() {
  const lab = await startLab(`${SHARED}/lab/scale`, ['--procs', String(PROCS)]);
  try {
    const watch = spawn(process.execPath, [CLI, 'watch', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise((r) => watch.stderr.on('data', (d) => String(d).includes('watching') && r()));
    await sleep(10_000); // steady state: the first scan's garbage collected, reader threads gone
    let c0 = cpuTicks(watch.pid);
    await sleep(IDLE * 1000);
    const watchPct = ((cpuTicks(watch.pid) - c0) / TICK / IDLE) * 100;
    watch.kill('SIGTERM');
    const env = { ...process.env, TERM: 'xterm-256color' };
    delete env.CI;
    const tui = ptySpawn(process.execPath, [CLI], { name: 'xterm-256color', cols: 160, rows: 50, env });
    let screen = '';
    tui.onData((d) => (screen += d.slice(-2000)));
    for (let i = 0; i < 300 && !/refreshed \d/.test(screen); i++) await sleep(100);
    await sleep(10_000);
    c0 = cpuTicks(tui.pid);
    await sleep(IDLE * 1000);
    const tuiPct = ((cpuTicks(tui.pid) - c0) / TICK / IDLE) * 100;
    tui.write('q');
    await sleep(500);
    tui.kill();
    console.log(`idle CPU over ${IDLE} s with ${lab.info.processes} processes in ${lab.info.namespaces.length} lab namespaces (+ the host's)`);
    console.log(`  mntns watch --json   ${watchPct.toFixed(2)} % of one core`);
    console.log(`  mntns (TUI)          ${tuiPct.toFixed(2)} % of one core     (target <= 1 %)`);
  } finally {
    await lab.stop();
  }
}

async function churn() {
  const helper = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'python3', `${REPO}/bench/mounter.py`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = [];
  lines(helper, (l) => replies.push(l));
  while (replies.length === 0) await sleep(20);
  const watch = spawn(process.execPath, [CLI, 'watch', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let events = 0;
  lines(watch, () => events++);
  await new Promise((r) => watch.stderr.on('data', (d) => String(d).includes('watching') && r()));
  // Process churn: short-lived processes, in their own namespaces half of the time.
  const churner = spawn('sh', ['-c', `end=$(($(date +%s)+${CHURN})); while [ $(date +%s) -lt $end ]; do for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true & unshare --mount /bin/true & done; wait; sleep 0.05; done`], { stdio: 'ignore' });
  helper.stdin.write(`churn ${CHURN} 200\n`);
  const samples = [];
  const t0 = Date.now();
  while (Date.now() - t0 < CHURN * 1000) {
    samples.push(rssMb(watch.pid));
    await sleep(Math.max(1000, (CHURN * 1000) / 20));
  }
  while (replies.length < 2) await sleep(50);
  await sleep(1500);
  samples.push(rssMb(watch.pid));
  watch.kill('SIGTERM');
  churner.kill('SIGKILL');
  helper.stdin.end();
  console.log(`churn for ${CHURN} s: ${replies[1]} mount+umount pairs, short-lived processes; ${events} events printed`);
  console.log(`  mntns watch RSS: start ${samples[0].toFixed(0)} MB, peak ${Math.max(...samples).toFixed(0)} MB, end ${samples.at(-1).toFixed(0)} MB`);
}

const only = process.argv.find((a) => ['latency', 'idle', 'churn'].includes(a));
if (!only || only === 'latency') await latency();
if (!only || only === 'idle') await idle();
if (!only || only === 'churn') await churn();

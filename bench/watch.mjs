// Benchmarks for live watching, all printed in one run:
// 1. latency from mount(2) returning in a lab namespace to the event line on
//    `mntns watch --json`, side by side with `findmnt --poll -N PID` on the same mounts;
// 2. idle CPU of `mntns watch` and of the TUI over a quiet host with 10,000 processes;
// 3. peak RSS of `mntns watch` under mount and process churn;
// 4. CPU of `mntns watch` while a process clones thousands of threads a second.
//   node bench/watch.mjs [latency|idle|churn|threads|storm] [--storm 1000] [--mounts 100] [--table 0] [--findmnt-mounts N] [--idle 30] [--warmup 30] [--procs 10000] [--churn 60] [--threads 4000]
// --table N: the latency rows run in a namespace of N more mounts (5,000, 50,000: the
// cost of a big table), with mntns's mount events (who made it) and without them.
import { spawn, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { spawn as ptySpawn } from 'node-pty';
import { CLI, REPO, SHARED, flag, pct, startLab } from './lib.mjs';

const N = flag('mounts', 100);
const TABLE = flag('table', 0);
const IDLE = flag('idle', 30);
const PROCS = flag('procs', 10000);
const CHURN = flag('churn', 60);
// Idle is measured from this long after start: the first scan's garbage and V8's
// memory reducer (two or three full GCs of the TUI's ~45 MB heap, seen at 25–45 s
// after start with --trace-gc) are start-up, not idle.
const WARMUP = flag('warmup', 60);
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
/** CPU share of `pid` over `secs`, sampled each second so the busiest second can be shown too. */
async function cpuOver(pid, secs) {
  const per = [];
  let prev = cpuTicks(pid);
  for (let i = 0; i < secs; i++) {
    await sleep(1000);
    const now = cpuTicks(pid);
    per.push(now - prev);
    prev = now;
  }
  const total = per.reduce((a, b) => a + b, 0);
  return `${((total / TICK / secs) * 100).toFixed(2)} % of one core (busiest second ${((Math.max(...per) / TICK) * 100).toFixed(0)} %; ticks/s ${per.join(' ')})`;
}
const rssMb = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;

/**
 * mount(2) → event line, for mntns and findmnt watching the same lab namespace:
 * side by side (both wake on the same POLLPRI and compete for the same cores),
 * then each alone on a fresh set of mounts.
 */
async function latency() {
  const helper = spawn('unshare', ['--mount', '--propagation', 'private', '--', 'python3', `${REPO}/bench/mounter.py`], { stdio: ['pipe', 'pipe', 'inherit'] });
  const replies = [];
  let wake = null;
  lines(helper, (l) => {
    replies.push(l);
    wake?.();
  });
  const reply = async () => {
    while (replies.length === 0) await new Promise((r) => (wake = r));
    return replies.shift();
  };
  const { pid, lab } = JSON.parse(await reply());
  if (TABLE > 0) {
    helper.stdin.write(`fill ${TABLE}\n`);
    await reply();
  }
  // seen: { mount: Map(target → time), umount: Map(target → time) }
  const mntns = (extra) => async (seen) => {
    const c = spawn(process.execPath, [CLI, 'watch', '--json', '--pid', String(pid), ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
    lines(c, (l, t) => {
      const e = JSON.parse(l);
      if (e.type === 'mount' || e.type === 'umount') seen[e.type].set(e.mount.target, t);
    });
    await new Promise((r) => c.stderr.on('data', (d) => String(d).includes('watching') && r()));
    return c;
  };
  const start = {
    mntns: mntns([]),
    'mntns --no-mount-events': mntns(['--no-mount-events']),
    findmnt: async (seen) => {
      const c = spawn('findmnt', ['--poll=mount,umount', '-N', String(pid), '-o', 'ACTION,TARGET', '-r', '-n'], { stdio: ['ignore', 'pipe', 'inherit'] });
      lines(c, (l, t) => {
        const [action, target] = l.split(' ');
        if (action === 'mount' || action === 'umount') seen[action].set(target.replace(/\\x20/g, ' '), t);
      });
      return c;
    },
  };
  // findmnt re-reads and diffs the whole table per event: over a second at 5,000 mounts, far more at 50,000.
  const patience = TABLE >= 20000 ? 120_000 : TABLE > 0 ? 10_000 : 1000;
  const measure = async (who, count = N) => {
    const seen = Object.fromEntries(who.map((w) => [w, { mount: new Map(), umount: new Map() }]));
    const children = [];
    for (const w of who) children.push(await start[w](seen[w]));
    // Warm: mntns's own first read of a big table (a second after start) is what
    // lets later wakes read just the appended lines.
    await sleep(TABLE > 0 ? 2500 : 300);
    const lat = Object.fromEntries(who.map((w) => [w, { mount: [], umount: [] }]));
    const step = async (type, i) => {
      helper.stdin.write(`${type} m${i}\n`);
      const t0 = BigInt(await reply());
      const target = `${lab}/m${i}`;
      const t1 = Date.now();
      while (Date.now() - t1 < patience && !who.every((w) => seen[w][type].has(target))) await sleep(5);
      for (const w of who) if (seen[w][type].has(target)) lat[w][type].push(Number(seen[w][type].get(target) - t0) / 1e6);
      await sleep(10);
    };
    try {
      for (let i = 0; i < count; i++) await step('mount', i);
      // The next row starts from the same table.
      for (let i = 0; i < count; i++) await step('umount', i);
    } finally {
      for (const c of children) c.kill('SIGTERM');
    }
    return lat;
  };
  const f = (xs, count = N) => (xs.length ? `p50 ${pct(xs, 50).toFixed(2)} ms  p95 ${pct(xs, 95).toFixed(2)} ms  max ${Math.max(...xs).toFixed(2)} ms  (seen ${xs.length}/${count})` : 'none seen');
  const row = (name, lat, count = N) => [`${name} mount   ${f(lat.mount, count)}`, `${' '.repeat(name.length)} umount  ${f(lat.umount, count)}`];
  try {
    // At 50,000 mounts findmnt takes many seconds per event (and two cores' worth
    // beside mntns): it gets a few mounts of its own, not a side-by-side row.
    const huge = TABLE >= 20000;
    const findmntCount = flag('findmnt-mounts', huge ? Math.min(N, 5) : N);
    const both = huge ? null : await measure(['mntns', 'findmnt']);
    const mntnsAlone = await measure(['mntns']);
    const plainAlone = await measure(['mntns --no-mount-events']);
    const findmntAlone = findmntCount > 0 ? await measure(['findmnt'], findmntCount) : { findmnt: { mount: [], umount: [] } };
    console.log(`mount(2)/umount(2) → event latency, ${N} mounts per row, in a namespace of the host's mounts + ${TABLE}`);
    const out = [];
    if (both) out.push(...row('  side by side:  mntns watch --json    ', both.mntns), ...row('                 findmnt --poll -N PID ', both.findmnt));
    out.push(...row('  each alone:    mntns watch --json    ', mntnsAlone.mntns), `                   (with who made each: the kernel's mount events are the change source)`);
    out.push(...row('                 … --no-mount-events   ', plainAlone['mntns --no-mount-events']));
    out.push(...row('                 findmnt --poll -N PID ', findmntAlone.findmnt, findmntCount));
    for (const l of out) console.log(l);
    const p95 = (xs) => (xs.length ? pct(xs, 95) : Infinity);
    const fm = Math.max(p95(findmntAlone.findmnt.mount), p95(findmntAlone.findmnt.umount));
    const mm = Math.max(p95(mntnsAlone.mntns.mount), p95(mntnsAlone.mntns.umount));
    console.log(`  ratio mntns p95 / findmnt p95 (each alone, mount and umount): ${(mm / fm).toFixed(4)}`);
    console.log(`  target: mntns p95 <= ${huge ? 10 : 50} ms${huge ? ' at 50,000 mounts, with no whole read per event' : ''} and no worse than findmnt`);
  } finally {
    helper.stdin.end();
  }
}

async function idle() {
  const lab = await startLab(`${SHARED}/lab/scale`, ['--procs', String(PROCS)]);
  try {
    const watch = spawn(process.execPath, [CLI, 'watch', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
    await new Promise((r) => watch.stderr.on('data', (d) => String(d).includes('watching') && r()));
    await sleep(WARMUP * 1000);
    const watchCpu = await cpuOver(watch.pid, IDLE);
    watch.kill('SIGTERM');
    const env = { ...process.env, TERM: 'xterm-256color' };
    delete env.CI;
    const tui = ptySpawn(process.execPath, [CLI], { name: 'xterm-256color', cols: 160, rows: 50, env });
    let screen = '';
    tui.onData((d) => (screen += d.slice(-2000)));
    for (let i = 0; i < 300 && !/refreshed \d/.test(screen); i++) await sleep(100);
    await sleep(WARMUP * 1000);
    const tuiCpu = await cpuOver(tui.pid, IDLE);
    tui.write('q');
    await sleep(500);
    tui.kill();
    console.log(`idle CPU over ${IDLE} s, from ${WARMUP} s after start, with ${lab.info.processes} processes in ${lab.info.namespaces.length} lab namespaces (+ the host's)`);
    console.log(`  mntns watch --json   ${watchCpu}`);
    console.log(`  mntns (TUI)          ${tuiCpu}`);
    console.log('  target: <= 1 % of one core each');
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
  const churner = spawn(
    'sh',
    ['-c', `end=$(($(date +%s)+${CHURN})); while [ $(date +%s) -lt $end ]; do for i in 1 2 3 4 5 6 7 8 9 10; do /bin/true & unshare --mount /bin/true & done; wait; sleep 0.05; done`],
    { stdio: 'ignore' },
  );
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

/**
 * CPU of `mntns watch` (and of its poll thread alone) while one process clones
 * threads at RATE/s and nothing else changes: each thread fork and exit is a
 * process-connector event, dropped in the kernel by mntns's socket filter.
 */
async function threads() {
  const rate = flag('threads', 4000);
  const secs = 10;
  const bin = `${tmpdir()}/mntns-bench-threads`;
  const cc = spawnSync('cc', ['-O2', '-pthread', '-o', bin, `${REPO}/bench/threads.c`], { encoding: 'utf8' });
  if (cc.status !== 0) return console.log(`thread churn: skipped (no C compiler: ${cc.stderr ?? cc.error?.message})`);
  const watch = spawn(process.execPath, [CLI, 'watch', '--json'], { stdio: ['ignore', 'ignore', 'pipe'] });
  await new Promise((r) => watch.stderr.on('data', (d) => String(d).includes('watching') && r()));
  await sleep(2000);
  const threadTicks = () => new Map(readdirSync(`/proc/${watch.pid}/task`).map((t) => [t, cpuTicks(`${watch.pid}/task/${t}`)]));
  const churner = spawn(bin, [String(rate), String(secs + 2)], { stdio: 'ignore' });
  await sleep(1000);
  const before = threadTicks();
  const all = cpuOver(watch.pid, secs);
  const whole = await all;
  const after = threadTicks();
  const busiest = Math.max(...[...after].map(([t, v]) => v - (before.get(t) ?? v)));
  churner.kill('SIGKILL');
  watch.kill('SIGTERM');
  rmSync(bin, { force: true });
  console.log(`thread churn: ${rate} thread clones/s for ${secs} s, no process or mount change`);
  console.log(`  mntns watch          ${whole}`);
  console.log(`  its busiest thread   ${((busiest / TICK / secs) * 100).toFixed(2)} % of one core (the poll thread spun at 31–44 % before the kernel-side filter)`);
}

/**
 * A mount storm (RATE mount+umount pairs a second from bench/churn.c, in a lab
 * namespace) watched in turn by mntns (mount events the change source), mntns
 * --no-mount-events and findmnt --poll: each one's CPU over the storm, as a share
 * of a core per 1,000 pairs a second, and whether its view of the lab ends
 * equal to findmnt's one-shot read (no event lost).
 */
async function storm() {
  const rate = flag('storm', 1000);
  const secs = 10;
  const bin = `${tmpdir()}/mntns-bench-churn`;
  const cc = spawnSync('cc', ['-O2', '-o', bin, `${REPO}/bench/churn.c`], { encoding: 'utf8' });
  if (cc.status !== 0) return console.log(`mount storm: skipped (no C compiler: ${cc.stderr ?? cc.error?.message})`);
  // A private namespace with a tmpfs of its own; the shell execs the churner (same pid) once asked.
  const lab = spawn(
    'unshare',
    ['--mount', '--propagation', 'private', '--', 'sh', '-c', 'd=$(mktemp -d) && mount -t tmpfs storm "$d" && echo "$$ $d" && read go && exec "$1" mounts "$2" "$d"', 'sh', bin, String(rate)],
    {
      stdio: ['pipe', 'pipe', 'inherit'],
    },
  );
  const out = [];
  lines(lab, (l) => out.push(l));
  while (out.length === 0) await sleep(20);
  const [pid, dir] = out[0].split(' ');
  const rows = [];
  const watchers = {
    mntns: () => spawn(process.execPath, [CLI, 'watch', '--json', '--pid', pid], { stdio: ['ignore', 'pipe', 'pipe'] }),
    'mntns --no-mount-events': () => spawn(process.execPath, [CLI, 'watch', '--json', '--pid', pid, '--no-mount-events'], { stdio: ['ignore', 'pipe', 'pipe'] }),
    findmnt: () => spawn('findmnt', ['--poll=mount,umount', '-N', pid, '-o', 'ACTION,TARGET', '-r', '-n'], { stdio: ['ignore', 'pipe', 'ignore'] }),
  };
  const made = () =>
    Number(
      [...out]
        .reverse()
        .find((l) => l.startsWith('mounts '))
        ?.split(' ')[1] ?? 0,
    );
  let started = false;
  for (const [name, make] of Object.entries(watchers)) {
    const w = make();
    const mounted = new Set();
    let events = 0;
    lines(w, (l) => {
      events++;
      const [type, target] =
        name === 'findmnt'
          ? l.split(' ')
          : (() => {
              const e = JSON.parse(l);
              return [e.type, e.mount?.target];
            })();
      if (!target?.startsWith(dir + '/')) return;
      if (type === 'mount') mounted.add(target);
      if (type === 'umount') mounted.delete(target);
    });
    if (name === 'findmnt') await sleep(1000);
    else await new Promise((r) => w.stderr.on('data', (d) => String(d).includes('watching') && r()));
    if (!started) {
      lab.stdin.write('go\n');
      started = true;
      await sleep(1000);
    }
    const pairs0 = made();
    const cpu = cpuTicks(w.pid);
    await sleep(secs * 1000);
    const used = (cpuTicks(w.pid) - cpu) / TICK / secs;
    const pairs = (made() - pairs0) / secs;
    rows.push({ name, used, pairs, w, mounted, events });
  }
  lab.kill('SIGTERM'); // the churner stops; whatever it left mounted stays until the namespace goes
  await sleep(3000);
  const real = new Set(
    spawnSync('findmnt', ['-N', pid, '-rn', '-o', 'TARGET'], { encoding: 'utf8' })
      .stdout.split('\n')
      .filter((t) => t.startsWith(dir + '/')),
  );
  console.log(`mount storm: ${rate} mount+umount pairs/s asked for, ${secs} s watched by each in turn`);
  for (const r of rows) {
    const same = real.size === r.mounted.size && [...real].every((t) => r.mounted.has(t));
    console.log(
      `  ${r.name.padEnd(24)} ${(r.used * 100).toFixed(1).padStart(5)} % of a core at ${r.pairs.toFixed(0)} pairs/s = ${((r.used * 100 * 1000) / Math.max(1, r.pairs)).toFixed(1)} % per 1,000 pairs/s; ${r.events} lines; final state ${same ? 'equal to' : `NOT equal to (${r.mounted.size} still mounted on its stream)`} findmnt's one-shot read (${real.size} left mounted)`,
    );
    r.w.kill('SIGTERM');
  }
  rmSync(bin, { force: true });
  spawnSync('rmdir', [dir]);
}

const only = process.argv.find((a) => ['latency', 'idle', 'churn', 'threads', 'storm'].includes(a));
if (!only || only === 'latency') await latency();
if (!only || only === 'idle') await idle();
if (!only || only === 'churn') await churn();
if (!only || only === 'threads') await threads();
if (!only || only === 'storm') await storm();

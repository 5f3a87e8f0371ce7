/**
 * `mntns lab`: the TUI over a throwaway lab (lab/mntns-lab.sh) — only the lab's
 * namespaces, a LAB banner, every action allowed, and nothing of it left after q.
 */
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from './model/types.js';
import type { TuiOptions } from './tui.js';

const SCRIPT = fileURLToPath(new URL('../lab/mntns-lab.sh', import.meta.url));

/**
 * Namespaces with a process descending from `root`, or in `extra` (made by
 * mntns meanwhile), each named after its experiment's role (`lab:host`,
 * `lab:container-leaks`, …): the argv[0] the lab gave its own processes, `roles`
 * (only those: a name another process gives itself is not taken).
 */
export function labView(root: number, extra: () => ReadonlySet<number>, roles: ReadonlySet<number> = new Set()): (s: Snapshot) => Snapshot {
  return (s) => {
    const parent = new Map<number, number>();
    for (const ns of s.namespaces) for (const p of ns.processes) parent.set(p.pid, p.ppid);
    const inLab = (pid: number): boolean => {
      for (let p: number | undefined = pid, hops = 0; p !== undefined && p > 1 && hops < 64; p = parent.get(p), hops++) if (p === root) return true;
      return false;
    };
    const made = extra();
    const role = (ns: Snapshot['namespaces'][number]): string | undefined => ns.processes.find((p) => roles.has(p.pid) && p.cmdline[0]?.startsWith('lab:'))?.cmdline[0];
    const namespaces = s.namespaces
      .filter((ns) => made.has(ns.inode) || ns.processes.some((p) => inLab(p.pid)))
      .map((ns) => {
        const name = role(ns);
        return name && ns.name !== name ? { ...ns, name } : ns;
      });
    const keep = new Set(namespaces.map((n) => n.inode));
    const peerGroups = s.peerGroups.filter((g) => [...g.members, ...g.slaves].some((r) => keep.has(r.ns)));
    return { ...s, namespaces, peerGroups };
  };
}

export async function runLab(opts: TuiOptions): Promise<number> {
  // A process group of its own: its teardown ends the whole group (lab/mntns-lab.sh),
  // and a Ctrl-C meant for mntns is not sent to it as well.
  const lab = spawn(SCRIPT, [], { stdio: ['pipe', 'pipe', 'inherit'], detached: true });
  const line = await new Promise<string | null>((resolve) => {
    let buf = '';
    lab.stdout!.on('data', (d) => {
      buf += d;
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    lab.once('exit', () => resolve(null));
  });
  if (line === null) {
    process.stderr.write('mntns: the lab could not start (it needs root, unshare and mount)\n');
    return 1;
  }
  const { root, pids } = JSON.parse(line) as { root: number; lab: string; pids: number[] };
  const stopped = new Promise<void>((r) => lab.once('exit', () => r()));
  const end = (): void => {
    if (lab.exitCode === null && lab.signalCode === null) lab.kill('SIGTERM');
  };
  process.once('exit', end);
  try {
    const { runTui } = await import('./tui.js');
    return await runTui({
      ...opts,
      banner: ` LAB: leak · its fix · peers · slave chain · /proc trap `,
      shape: (made) => labView(root, made, new Set(pids)),
    });
  } finally {
    end();
    await stopped;
  }
}

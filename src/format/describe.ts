/** Short human labels for namespaces and processes, shared by `--tree` and the TUI. */
import type { MountBy, MountNamespace, Process, Snapshot } from '../model/types.js';
import { sanitize } from './sanitize.js';

/**
 * A process's command in short, for text that gets pasted (`--tree`): its
 * program and how many arguments — the whole argv can hold secrets (a
 * backend's environment as JSON, tokens); `--verbose` shows it.
 */
export function shortCommandOf(p: Process): string {
  if (p.kernel || p.cmdline.length === 0) return sanitize(`[${p.comm}]`);
  const rest = p.cmdline.length - 1;
  return sanitize(p.cmdline[0]) + (rest ? ` … (${rest} argument${rest === 1 ? '' : 's'})` : '');
}

/** A process's command as people know it: argv joined, or `[comm]` for kernel threads. */
export function commandOf(p: Process): string {
  if (p.kernel || p.cmdline.length === 0) return sanitize(`[${p.comm}]`);
  return sanitize(p.cmdline.join(' '));
}

/** Commands that say nothing about what a namespace is for: holders, shells, container inits. */
const GENERIC = new Set([
  'sleep',
  'sh',
  'bash',
  'dash',
  'zsh',
  'ash',
  'tini',
  'dumb-init',
  'catatonit',
  'pause',
  'cat',
  'tail',
  'unshare',
  'nsenter',
  'su',
  'sudo',
  'runuser',
  'setpriv',
  'conmon',
  'containerd-shim',
]);

/**
 * The process that best represents a namespace: its oldest (lowest pid)
 * non-kernel process with a telling command (not `sleep`, a shell or a
 * container's init), else its oldest non-kernel one, else its oldest.
 */
export function representative(ns: MountNamespace): Process | null {
  const user = ns.processes.filter((p) => !p.kernel);
  const telling = user.filter((p) => !GENERIC.has(p.comm));
  const pool = telling.length ? telling : user.length ? user : ns.processes;
  return pool.reduce<Process | null>((best, p) => (best === null || p.pid < best.pid ? p : best), null);
}

/** `docker:abc123`, `systemd:foo.service`, or ''. */
export function containerLabel(ns: MountNamespace): string {
  for (const p of ns.processes) if (p.container) return sanitize(`${p.container.kind}:${p.container.name}`);
  return '';
}

/** `mnt:[4026532180]`: a namespace by its inode, as lsns and /proc/PID/ns/mnt write it. */
export const nsId = (inode: number): string => `mnt:[${inode}]`;

/**
 * `mnt:[4026532180] nginx`: how every screen and message names a namespace — by
 * its name (a container's, a unit's), else its most telling process's command,
 * `(no processes)` when only held; the bare id when it is not known.
 */
export function nsLabel(ns: MountNamespace | undefined, inode: number): string {
  if (ns?.name) return `${nsId(inode)} ${sanitize(ns.name)}`;
  const rep = ns ? representative(ns) : null;
  return `${nsId(inode)}${rep ? ' ' + sanitize(rep.comm) : ns && ns.processes.length === 0 ? ' (no processes)' : ''}`;
}

/** "12 processes unreadable: EACCES" style summary, grouped by error code. */
export function summariseErrors(snap: Snapshot): string {
  const by = new Map<string, number>();
  for (const e of snap.errors) by.set(e.code, (by.get(e.code) ?? 0) + 1);
  return [...by.entries()].map(([code, n]) => `${n} process${n === 1 ? '' : 'es'} unreadable: ${code}`).join(', ');
}

/**
 * `by mount (pid 4242) ← bash ← sshd`, `by pid 4242 ← bash ← sshd` when it was
 * gone before it could be read (its ancestors from its fork), '' when nothing is known; `made in mnt:[X]` for a copy that
 * arrived from there. Raw: sanitise to draw.
 */
export function whoWords(by: MountBy | null | undefined, from?: number): string {
  if (!by) return '';
  const up = by.chain
    .slice(0, 3)
    .map((p) => ` ← ${p.comm}`)
    .join('');
  const who = by.comm === null ? `by pid ${by.pid}${up}` : `by ${by.comm} (pid ${by.pid})${up}`;
  return from === undefined ? who : `${who}, made in ${nsId(from)}`;
}

/** Who keeps a namespace: a few processes, or its bind mounts and fds. */
export function holdersText(hit: Pick<MountNamespace, 'processes' | 'holders'>): string {
  const procs = hit.processes.filter((p) => !p.kernel);
  const shown = procs.slice(0, 3).map((p) => `${p.pid} ${sanitize(p.comm)}`);
  const parts = procs.length ? [`${shown.join(', ')}${procs.length > 3 ? ` and ${procs.length - 3} more` : ''}`] : [];
  for (const h of hit.holders) parts.push(h.kind === 'bind' ? `bind mount ${sanitize(h.path)}` : `fd ${h.fd} of pid ${h.pid}`);
  return parts.length ? parts.join('; ') : 'nobody (kernel threads only)';
}

/**
 * Whether this process may act on mount namespaces at all: setns(CLONE_NEWNS) and
 * mount(2) propagation changes both need CAP_SYS_ADMIN. Read once from
 * /proc/self/status, so a non-root user is told up front instead of meeting
 * EPERM halfway through an action.
 */
import { readFileSync } from 'node:fs';

const CAP_SYS_ADMIN = 21n;

/** Why actions can't work here, or null when they can. */
export function actionsRefusal(procRoot = '/proc'): string | null {
  let capEff: bigint;
  try {
    const m = /^CapEff:\s*([0-9a-f]+)$/m.exec(readFileSync(`${procRoot}/self/status`, 'latin1'));
    if (!m) return null; // can't tell: let the action try and report its errno
    capEff = BigInt(`0x${m[1]}`);
  } catch {
    return null;
  }
  if ((capEff >> CAP_SYS_ADMIN) & 1n) return null;
  const uid = process.geteuid?.() ?? -1;
  return `actions need root: entering a namespace and changing propagation take CAP_SYS_ADMIN (mntns runs as uid ${uid})`;
}

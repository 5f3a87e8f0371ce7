/**
 * The credentials a process runs with, from its /proc/PID/status (proc(5)):
 * what a shell started "as it runs" takes on (enter-thread.ts).
 */
export interface Credentials {
  /** Real, effective, saved. */
  uids: [number, number, number];
  gids: [number, number, number];
  groups: number[];
  /** Capability sets as bit masks (bit N = capability N). */
  bounding: bigint;
  inheritable: bigint;
  noNewPrivs: boolean;
}

/** Parses the fields of a status file that make up its credentials; throws when one is missing. */
export function parseCredentials(status: string): Credentials {
  const field = (name: string): string => {
    const m = new RegExp(`^${name}:[ \\t]*(.*)$`, 'm').exec(status);
    if (!m) throw new Error(`no ${name} in its status`);
    return m[1].trim();
  };
  const ids = (name: string): [number, number, number] => {
    const [r, e, s] = field(name).split(/\s+/).map(Number);
    if (![r, e, s].every(Number.isInteger)) throw new Error(`bad ${name} in its status`);
    return [r, e, s];
  };
  const mask = (name: string): bigint => {
    const v = field(name);
    if (!/^[0-9a-f]{1,16}$/i.test(v)) throw new Error(`bad ${name} in its status`);
    return BigInt(`0x${v}`);
  };
  const groups = field('Groups');
  return {
    uids: ids('Uid'),
    gids: ids('Gid'),
    groups:
      groups === ''
        ? []
        : groups.split(/\s+/).map((g) => {
            if (!/^\d+$/.test(g)) throw new Error('bad Groups in its status');
            return Number(g);
          }),
    bounding: mask('CapBnd'),
    inheritable: mask('CapInh'),
    // The line is absent before Linux 4.10: taken as not set.
    noNewPrivs: /^NoNewPrivs:\s*1$/m.test(status),
  };
}

/** How many capabilities a mask holds. */
export function capabilityCount(mask: bigint): number {
  let n = 0;
  for (let m = mask; m; m >>= 1n) n += Number(m & 1n);
  return n;
}

/** An errno as its name (EINVAL): the one way mntns says an errno, as strerror's words vary by libc and locale. */
import { constants } from 'node:os';

export function errnoName(n: number): string {
  for (const [k, v] of Object.entries(constants.errno)) if (v === n) return k;
  return `errno ${n}`;
}

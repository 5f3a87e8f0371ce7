/** uid → user name from a passwd file, read once (like ps and htop do). */
import { readFileSync } from 'node:fs';

/** Pure: the uid → name map of passwd(5) text; malformed lines are skipped. */
export function parsePasswd(text: string): Map<number, string> {
  const out = new Map<number, string>();
  for (const line of text.split('\n')) {
    const f = line.split(':');
    if (f.length >= 3 && /^\d+$/.test(f[2]) && !out.has(Number(f[2]))) out.set(Number(f[2]), f[0]);
  }
  return out;
}

/** A lookup that falls back to the number for unknown uids. */
export function readUserNames(path = '/etc/passwd'): (uid: number) => string {
  let names = new Map<number, string>();
  try {
    names = parsePasswd(readFileSync(path, 'utf8'));
  } catch {
    /* no passwd file (containers): numbers it is */
  }
  return (uid) => (uid < 0 ? '?' : (names.get(uid) ?? String(uid)));
}

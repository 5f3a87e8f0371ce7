/** I/O half of the mountinfo parser: read one process's table. */
import { readFileSync } from 'node:fs';
import { parseMountinfo, type ParsedMountinfo } from './mountinfo.js';

/** Reads and parses `/proc/PID/mountinfo` (paths relative to PID's root, like `findmnt -N PID`). */
export function readMountinfo(procRoot: string, pid: number): ParsedMountinfo {
  return parseMountinfo(readFileSync(`${procRoot}/${pid}/mountinfo`, 'utf8'));
}

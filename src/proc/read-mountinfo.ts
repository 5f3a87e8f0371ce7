/** I/O half of the mountinfo parser: read one process's table. */
import { readFileSync } from 'node:fs';
import { parseMountinfoBytes, type ParsedMountinfo } from './mountinfo.js';

/** Reads and parses `/proc/PID/mountinfo` (paths relative to PID's root, like `findmnt -N PID`). */
export function readMountinfo(procRoot: string, pid: number): ParsedMountinfo {
  return parseMountinfoBytes(readFileSync(`${procRoot}/${pid}/mountinfo`, 'latin1'));
}

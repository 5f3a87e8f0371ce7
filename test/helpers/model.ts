/** Small builders of domain values and fake procfs entries for unit tests. */
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import type { MountNamespace, Process } from '../../src/model/types.js';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import type { Actions } from '../../src/actions/actions.js';

/** A plain process of mount namespace `mntns` running `cmd`. */
export const aProcess = (pid: number, mntns: number, cmd: string[], extra: Partial<Process> = {}): Process => ({
  pid,
  ppid: 1,
  comm: cmd[0],
  uid: 0,
  cmdline: cmd,
  mntns,
  pidns: null,
  userns: null,
  chrooted: false,
  rootPath: '/',
  container: null,
  kernel: false,
  ...extra,
});

/** Mount namespace `inode`, read through its first process, with the mounts of mountinfo `table`. */
export const aNamespace = (inode: number, processes: Process[], table: string, extra: Partial<MountNamespace> = {}): MountNamespace => ({
  inode,
  initial: true,
  readVia: processes[0]?.pid ?? null,
  holders: [],
  findings: [],
  mountErrors: [],
  processes,
  mounts: parseMountinfo(table).mounts,
  ...extra,
});

/** Process `pid` of mount namespace `ns` in the fake procfs at `dir`, with `table` as its mountinfo. */
export function fakeProcess(dir: string, pid: number, ns: number, table: string): void {
  mkdirSync(`${dir}/${pid}/ns`, { recursive: true });
  symlinkSync(`mnt:[${ns}]`, `${dir}/${pid}/ns/mnt`);
  symlinkSync('/', `${dir}/${pid}/root`);
  writeFileSync(`${dir}/${pid}/stat`, `${pid} (p${pid}) S 1 1 1 0 -1 4194560 0 0`);
  writeFileSync(`${dir}/${pid}/cmdline`, `p${pid}\0`);
  writeFileSync(`${dir}/${pid}/cgroup`, '0::/\n');
  writeFileSync(`${dir}/${pid}/mountinfo`, table);
}

/** Actions that do nothing and refuse everything, but for what `with` gives. */
export const stubActions = (overrides: Partial<Actions> = {}): Actions => ({
  setPropagation: async () => ({ ok: true as const, after: null }),
  made: () => new Map(),
  enterHow: () => ({ error: 'x' }),
  reread: () => {},
  unshare: async () => ({ ok: false as const, message: 'x' }),
  end: () => false,
  endAll: () => {},
  keepAll: () => null,
  pin: () => null,
  ...overrides,
});

/**
 * Every mount namespace the kernel has, processes or not, by walking the nsfs
 * ioctls NS_MNT_GET_PREV/NEXT from our own namespace (Linux ≥ 6.12). Only ioctls
 * on fds: safe on Node's main thread. Lets discovery skip the costly scan of
 * every process's fds when no namespace is left unexplained.
 */
import { closeSync, fstatSync, openSync } from 'node:fs';

const NS_MNT_GET_PREV = 0x8010b70b;
const NS_MNT_GET_NEXT = 0x8010b70c;
const ENOENT = 2;

interface Nsfs {
  ioctl(fd: number, req: number, arg: Buffer): number;
  errno(): number;
}
let nsfs: Nsfs | null | undefined;

async function load(): Promise<Nsfs | null> {
  if (nsfs !== undefined) return nsfs;
  try {
    const koffi = (await import('koffi')).default;
    const ioctl = koffi.load('libc.so.6').func('int ioctl(int fd, unsigned long req, _Inout_ uint8_t *arg)');
    nsfs = { ioctl, errno: () => koffi.errno() };
  } catch {
    nsfs = null;
  }
  return nsfs;
}

/** Inodes of all mount namespaces, or null when the kernel (or koffi) can't tell. */
export async function listMountNamespaces(procRoot = '/proc'): Promise<number[] | null> {
  const sys = await load();
  if (!sys) return null;
  const out: number[] = [];
  const info = Buffer.alloc(16); // struct mnt_ns_info { u32 size; u32 nr_mounts; u64 mnt_ns_id; }
  for (const req of [NS_MNT_GET_PREV, NS_MNT_GET_NEXT]) {
    let fd: number;
    try {
      fd = openSync(`${procRoot}/self/ns/mnt`, 'r');
    } catch {
      return null;
    }
    if (out.length === 0) out.push(fstatSync(fd).ino);
    for (;;) {
      info.fill(0);
      info.writeUInt32LE(16, 0);
      const next = sys.ioctl(fd, req, info);
      const errno = next < 0 ? sys.errno() : 0;
      closeSync(fd);
      if (next < 0) {
        if (errno !== ENOENT) return null; // ENOTTY/EINVAL: older kernel, EPERM: not allowed
        break;
      }
      fd = next;
      out.push(fstatSync(fd).ino);
    }
  }
  return out;
}

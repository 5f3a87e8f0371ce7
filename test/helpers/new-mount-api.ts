/** A mounter that uses the new mount API, for tests of who made a mount: python3's ctypes, nothing to build. */
import { spawnSync } from 'node:child_process';

/** fsopen/fsconfig/fsmount/move_mount (the new mount API) from python3's ctypes: a tmpfs at argv[1]. */
export const NEW_API_MOUNT = `
import ctypes, os, sys
libc = ctypes.CDLL(None, use_errno=True)
def sc(*a):
    r = libc.syscall(*a)
    if r < 0: raise OSError(ctypes.get_errno(), os.strerror(ctypes.get_errno()))
    return r
fs = sc(430, b"tmpfs", 0)                                      # fsopen
sc(431, fs, 6, None, None, 0)                                  # fsconfig(FSCONFIG_CMD_CREATE)
mnt = sc(432, fs, 0, 0)                                        # fsmount
sc(429, mnt, b"", -100, sys.argv[1].encode(), 4)               # move_mount(MOVE_MOUNT_F_EMPTY_PATH)
`;
export const hasPython = spawnSync('python3', ['-c', 'pass'], { stdio: 'ignore' }).status === 0;

import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { describe, expect, it } from 'vitest';
import { actionsRefusal } from '../../src/sys/privileges.js';
import { parseCgroupHint } from '../../src/proc/cgroup.js';
import { parseCmdline, parseNsLink, parseStat, readProcess, readProcFile } from '../../src/proc/process.js';
import { fakeProcess } from '../helpers/model.js';

describe('parseCgroupHint', () => {
  const id = 'a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2c3d4e5f6a7b8c9d0a1b2';
  it.each([
    [`0::/system.slice/docker-${id}.scope\n`, { kind: 'docker', name: id.slice(0, 12) }],
    [`12:memory:/docker/${id}\n0::/\n`, { kind: 'docker', name: id.slice(0, 12) }],
    [`0::/machine.slice/libpod-${id}.scope/container\n`, { kind: 'podman', name: id.slice(0, 12) }],
    [`0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1234.slice/cri-containerd-${id}.scope\n`, { kind: 'containerd', name: id.slice(0, 12) }],
    [`11:cpu:/kubepods/besteffort/pod5678/${id}\n`, { kind: 'kubepods', name: id.slice(0, 12) }],
    ['0::/lxc.payload.web1/init.scope\n', { kind: 'lxc', name: 'web1' }],
    ['0::/system.slice/nginx.service\n', { kind: 'systemd', name: 'nginx.service' }],
  ])('%s', (text, hint) => {
    expect(parseCgroupHint(text)).toEqual(hint);
  });
  it('gives no hint for the root, login sessions or init', () => {
    expect(parseCgroupHint('0::/\n')).toBeNull();
    expect(parseCgroupHint('0::/user.slice/user-0.slice/session-3.scope\n')).toBeNull();
    expect(parseCgroupHint('0::/init.scope\n')).toBeNull();
    expect(parseCgroupHint('')).toBeNull();
  });
});

describe('process files', () => {
  it('parses stat with spaces and parentheses in comm', () => {
    expect(parseStat('42 (a) b (c)) S 7 42 42 0 -1 4194560 0 0')).toEqual({ comm: 'a) b (c)', ppid: 7, flags: 4194560 });
    expect(parseStat('garbage')).toBeNull();
    // Fields found by their spaces: flags may end the text, and a text cut before it has none.
    expect(parseStat('1 (x) S 7 1 1 0 -1 4194560')).toEqual({ comm: 'x', ppid: 7, flags: 4194560 });
    expect(parseStat('1 (x) S 7 1 1 0 -1')).toBeNull();
    expect(parseStat('1 (x) S x 1 1 0 -1 0 0')).toBeNull();
    expect(parseStat('1 (x)')).toBeNull();
  });
  it('reads files bigger than its buffer whole, a character across its edge intact', () => {
    const dir = mkdtempSync(`${tmpdir()}/mntns-readers.`);
    try {
      fakeProcess(dir, 10, 4026532001, '');
      // 16,383 bytes then "é": the buffer's 16 KiB edge falls inside the character.
      const args = ['a'.repeat(16383) + 'é', 'x'.repeat(100000), '$(rm -rf /)'];
      writeFileSync(`${dir}/10/cmdline`, args.join('\0') + '\0');
      writeFileSync(`${dir}/10/cgroup`, '0::/system.slice/nginx.service\n');
      fakeProcess(dir, 11, 4026532001, '');
      writeFileSync(`${dir}/11/cgroup`, '0::/system.slice/nginx.service\n');
      const p = readProcess(dir, 10);
      expect(p.cmdline).toEqual(args);
      expect(p.container).toEqual({ kind: 'systemd', name: 'nginx.service' });
      // A table of megabytes, one character per byte, then a small file again.
      const big = Buffer.from(Array.from({ length: 3 << 20 }, (_, i) => 0x20 + (i % 224)));
      writeFileSync(`${dir}/10/mountinfo`, big);
      expect(readProcFile(`${dir}/10/mountinfo`, 'latin1')).toBe(big.toString('latin1'));
      expect(readProcess(dir, 11)).toMatchObject({ cmdline: ['p11'], container: { kind: 'systemd', name: 'nginx.service' }, comm: 'p11', ppid: 1 });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('reads a one-show procfs file whole in one read, and a bigger one whole too', () => {
    // The real thing: /proc/self/cgroup and /proc/self/stat are ONE() files.
    expect(readProcFile('/proc/self/cgroup', 'utf8', true)).toBe(readFileSync('/proc/self/cgroup', 'utf8'));
    expect(readProcFile('/proc/self/stat', 'utf8', true)).toMatch(/^\d+ \(.*\) [A-Z] .*\n$/);
    // A read that fills the buffer is not taken for the end.
    const dir = mkdtempSync(`${tmpdir()}/mntns-readers.`);
    try {
      const text = '0::/' + 'a/'.repeat(1 << 20) + '\n'; // more than the buffer ever is (at most 1 MiB kept)
      writeFileSync(`${dir}/cgroup`, text);
      expect(readProcFile(`${dir}/cgroup`, 'utf8', true)).toBe(text);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
  it('splits cmdline on NUL and keeps empty arguments', () => {
    expect(parseCmdline('sleep\0infinity\0')).toEqual(['sleep', 'infinity']);
    expect(parseCmdline('a\0\0b\0')).toEqual(['a', '', 'b']);
    expect(parseCmdline('')).toEqual([]);
  });
  it('reads namespace links', () => {
    expect(parseNsLink('mnt:[4026531832]')).toBe(4026531832);
    expect(parseNsLink('garbage')).toBeNull();
  });
});

describe('holderPaths', () => {
  it('reaches an fd through its process and a pin through a process of the namespace it is mounted in', async () => {
    const { holderPaths } = await import('../../src/proc/holders.js');
    const via = (inode: number) => (inode === 7 ? 42 : null);
    expect(
      holderPaths(
        [
          { kind: 'fd', pid: 5, fd: 3 },
          { kind: 'bind', path: '/run/pin a', ns: 7 },
          { kind: 'bind', path: '/x', ns: 8 },
        ],
        '/proc',
        via,
      ),
    ).toEqual(['/proc/5/fd/3', '/proc/42/root/run/pin a']);
  });
});

describe('actionsRefusal (CapEff from a fake procfs)', () => {
  const withStatus = (text: string): string => {
    const root = mkdtempSync(`${tmpdir()}/mntns-caps.`);
    mkdirSync(`${root}/self`);
    writeFileSync(`${root}/self/status`, text);
    return root;
  };
  it('acts with CAP_SYS_ADMIN, refuses with a reason without it, and lets an unknown status try', () => {
    const roots = [withStatus('Name:\tx\nCapEff:\t000001ffffffffff\n'), withStatus('Name:\tx\nCapEff:\t0000000000000000\n'), withStatus('Name:\tx\n')];
    try {
      expect(actionsRefusal(roots[0])).toBeNull();
      expect(actionsRefusal(roots[1])).toMatch(/^actions need root: .*CAP_SYS_ADMIN/);
      expect(actionsRefusal(roots[2])).toBeNull();
      expect(actionsRefusal('/nonexistent')).toBeNull();
    } finally {
      for (const r of roots) rmSync(r, { recursive: true });
    }
  });
});

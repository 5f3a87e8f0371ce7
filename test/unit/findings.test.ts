import { describe, expect, it } from 'vitest';
import { parseMountinfo } from '../../src/proc/mountinfo.js';
import { linkPeerGroups } from '../../src/model/peer-groups.js';
import { computeFindings } from '../../src/model/findings.js';
import type { MountNamespace } from '../../src/model/types.js';

const ns = (inode: number, initial: boolean, lines: string[]): MountNamespace => ({
  inode,
  initial,
  readVia: 1,
  processes: [],
  holders: [],
  mounts: parseMountinfo(lines.join('\n')).mounts,
  findings: [],
  mountErrors: [],
});
const name = (i: number) => `mnt:[${i}]`;

describe('computeFindings', () => {
  // systemd's default: / shared (group 1); a hand-made container copied it with
  // --propagation unchanged, so its / and everything below are peers of the host's.
  const host = ns(1, true, ['1 0 8:1 / / rw shared:1 - ext4 /dev/sda rw', '2 1 0:5 / /srv rw shared:2 - tmpfs s rw', '3 1 0:6 / /data rw shared:3 - tmpfs d rw']);
  const container = ns(2, false, ['11 10 8:1 / / rw shared:1 - ext4 /dev/sda rw', '12 11 0:5 / /srv rw shared:2 - tmpfs s rw', '13 11 0:6 / /data rw shared:3 - tmpfs d rw']);
  const other = ns(3, false, ['21 20 8:1 / / rw - ext4 /dev/sda rw', '23 21 0:6 / /data rw shared:3 - tmpfs d rw']);
  const f = computeFindings([host, container, other], linkPeerGroups([host, container, other]), name);

  it('/ shared with the initial namespace is one summary finding, not one per mount', () => {
    const c = f.get(2)!;
    expect(c.filter((x) => x.code === 'root-shared-with-initial')).toHaveLength(1);
    expect(c[0].message).toMatch(/systemd makes \/ shared/);
    expect(c[0].fix).toMatch(/P on \//);
    // Crossings with the host are folded into the summary; the one with ns 3 is its own line.
    const leaks = c.filter((x) => x.code === 'mount-leak');
    expect(leaks).toHaveLength(1);
    expect(leaks[0].namespaces).toEqual([3]);
    expect(leaks[0].message).toContain('/data');
  });
  it('the host side names both namespaces, grouped by who it shares with', () => {
    const h = f.get(1)!.filter((x) => x.code === 'mount-leak');
    expect(h.map((x) => x.namespaces)).toEqual([[2], [2, 3]]);
    expect(h[0].message).toMatch(/Mounts made under \/ here also appear in mnt:\[2\]/);
  });
  it('a namespace whose only crossing is a peer says so; nothing private is claimed', () => {
    expect(f.get(3)!.map((x) => x.code)).toEqual(['mount-leak']);
  });
  it('the same findings whatever order the namespaces are linked in, each list of namespaces ascending and distinct', () => {
    // Two mounts of one namespace in a group; a slave of a slave (group 5 receives from 3, ns 8 from 5).
    const twice = ns(7, false, ['31 30 8:1 / / rw - ext4 /dev/sda rw', '32 31 0:6 / /data rw shared:3 - tmpfs d rw', '33 31 0:6 / /data2 rw shared:3 master:9 - tmpfs d rw']);
    const middle = ns(6, false, ['41 40 8:1 / / rw - ext4 /dev/sda rw', '42 41 0:6 / /data rw shared:5 master:3 - tmpfs d rw']);
    const end = ns(8, false, ['51 50 8:1 / / rw - ext4 /dev/sda rw', '52 51 0:6 / /data rw master:5 - tmpfs d rw']);
    const all = [host, container, other, twice, middle, end];
    const byInode = computeFindings(all, linkPeerGroups(all), name);
    const reversed = [...all].reverse();
    expect(computeFindings(reversed, linkPeerGroups(reversed), name)).toEqual(byInode);
    for (const list of byInode.values()) for (const x of list) expect(x.namespaces).toEqual([...new Set(x.namespaces)].sort((a, b) => a - b));
    expect(byInode.get(8)!.find((x) => x.code === 'mount-receives')!.namespaces).toEqual([1, 2, 3, 6, 7]);
  });
  it('fully private when nothing crosses', () => {
    const lone = ns(9, false, ['1 0 8:1 / / rw - ext4 /dev/sda rw']);
    expect(
      computeFindings([lone], linkPeerGroups([lone]), name)
        .get(9)!
        .map((x) => [x.code, x.severity]),
    ).toEqual([['private', 'info']]);
  });

  it('a mount explosion: one source stacked again and again on one target is a warning about the top one; a few are not', () => {
    const stack = (n: number, from: number) => Array.from({ length: n }, (_, i) => `${from + i} ${i === 0 ? 1 : from + i - 1} 0:9 / /run/x rw - tmpfs loop rw`);
    const many = ns(5, false, ['1 0 8:1 / / rw - ext4 /dev/sda rw', ...stack(20, 100), '200 1 0:10 / /run/y rw - tmpfs other rw']);
    const few = ns(6, false, ['1 0 8:1 / / rw - ext4 /dev/sda rw', ...stack(3, 100)]);
    const g = computeFindings([many, few], linkPeerGroups([many, few]), name);
    const boom = g.get(5)!.filter((x) => x.code === 'mount-explosion');
    expect(boom).toHaveLength(1);
    expect(boom[0]).toMatchObject({ severity: 'warning', mount: 119, mounts: [119] });
    expect(boom[0].message).toMatch(/^20 mounts of loop \(tmpfs\) are stacked on \/run\/x/);
    expect(g.get(6)!.some((x) => x.code === 'mount-explosion')).toBe(false);
  });
});

describe('the fix a leak offers', () => {
  // The lab's leak: host-root shared, and host-root/mnt (where the container mounted) shared below it.
  const lab = (inode: number, base: number) =>
    ns(inode, inode === 1, [
      `${base} 0 8:1 / / rw - ext4 /dev/a rw`,
      `${base + 1} ${base} 0:40 / /lab/host-root rw shared:7 - tmpfs r rw`,
      `${base + 2} ${base + 1} 0:41 / /lab/host-root/mnt rw shared:8 - tmpfs leaked rw`,
    ]);
  it('is P when shared mounts lie below the top one, and says why p alone is not enough', () => {
    const [host, box] = [lab(1, 1), lab(2, 11)];
    const leak = computeFindings([host, box], linkPeerGroups([host, box]), name)
      .get(2)!
      .find((x) => x.code === 'mount-leak')!;
    expect(leak.mount).toBe(12);
    expect(leak.fix).toMatch(/^make \/lab\/host-root and every mount below it private \(P\): \/lab\/host-root\/mnt below it is shared too, so p on \/lab\/host-root alone leaves that leaking/);
  });
  it('is p (or P) when nothing shared lies below', () => {
    const flat = (inode: number, base: number) => ns(inode, inode === 1, [`${base} 0 8:1 / / rw - ext4 /dev/a rw`, `${base + 1} ${base} 0:40 / /lab/host-root rw shared:7 - tmpfs r rw`]);
    const [host, box] = [flat(1, 1), flat(2, 11)];
    const leak = computeFindings([host, box], linkPeerGroups([host, box]), name)
      .get(2)!
      .find((x) => x.code === 'mount-leak')!;
    expect(leak.fix).toMatch(/^make \/lab\/host-root private \(p\), or recursively with everything below \(P\)/);
  });
});

/** runSetPropagation in real lab namespaces: success, and failures explained in plain words. */
import { readFileSync } from 'node:fs';
import { afterAll, expect, it } from 'vitest';
import { parseMountinfo, parseMountinfoBytes, unescapeBytes } from '../../src/proc/mountinfo.js';
import type { Mount } from '../../src/model/types.js';
import { runSetPropagation, runUniqueMountId } from '../../src/sys/propagation.js';
import { describeRoot, run, runCli, startLab, stopAllLabs } from '../helpers/lab.js';

afterAll(stopAllLabs);

describeRoot('runSetPropagation', () => {
  it('changes one namespace only, and explains what went wrong', async () => {
    const lab = await startLab('peers');
    const { ns1, ns2, X, lab: dir } = lab.info;
    const nsPath = `/proc/${ns1.pid}/ns/mnt`;
    const idOf = (target: string): number =>
      parseMountinfo(readFileSync(`/proc/${ns1.pid}/mountinfo`, 'utf8'))
        .mounts.filter((m) => m.target === target)
        .at(-1)!.id;
    const x = idOf(X);
    expect(runSetPropagation(nsPath, X, x, 'private', false)).toEqual({ ok: true });
    const fields = async (pid: number) => JSON.parse(await run('findmnt', ['-J', '-N', String(pid), '-o', 'OPT-FIELDS', '--mountpoint', X])).filesystems[0]['opt-fields'];
    expect(await fields(ns1.pid)).toBeNull();
    expect(await fields(ns2.pid)).toMatch(/shared:\d+/); // the peer in the other namespace is untouched
    // A plain directory is not the mount shown: nothing is changed on the mount it lies in.
    await run('nsenter', ['-t', String(ns1.pid), '-m', '--', 'mkdir', `${dir}/plain dir`]);
    const notMount = runSetPropagation(nsPath, `${dir}/plain dir`, x, 'shared', false);
    expect(notMount).toMatchObject({ ok: false, code: 'ESTALE' });
    expect(!notMount.ok && notMount.message).toMatch(/not the mount shown/);
    const missing = runSetPropagation(nsPath, `${dir}/no such`, x, 'shared', false);
    expect(missing).toMatchObject({ ok: false, code: 'ENOENT' });
    const gone = runSetPropagation('/proc/999999999/ns/mnt', '/', 1, 'private', false);
    expect(gone.ok).toBe(false);
    await lab.stop();
  });
});

describeRoot('the mount a propagation change acts on', () => {
  it('is the one shown, or none: a reused id, a mount stacked on top, a path that became a symlink', async () => {
    const lab = await startLab('peers');
    const { ns1, lab: dir } = lab.info;
    const nsPath = `/proc/${ns1.pid}/ns/mnt`;
    const inNs = (...argv: string[]) => run('nsenter', ['-t', String(ns1.pid), '-m', '--', ...argv]);
    const table = () => parseMountinfo(readFileSync(`/proc/${ns1.pid}/mountinfo`, 'utf8')).mounts;
    const opt = async (target: string) => JSON.parse(await run('findmnt', ['-J', '-N', String(ns1.pid), '-o', 'OPT-FIELDS', '--mountpoint', target])).filesystems.at(-1)['opt-fields'];
    await inNs('mkdir', '-p', `${dir}/r/a`, `${dir}/r/b`);
    await inNs('mount', '-t', 'tmpfs', 'AAA', `${dir}/r/a`);
    const shown = table().find((m) => m.target === `${dir}/r/a`)!;
    // The id is reused: a is gone, b takes its id (ids are handed out smallest-free).
    await inNs('umount', `${dir}/r/a`);
    await inNs('mount', '-t', 'tmpfs', 'BBB', `${dir}/r/b`);
    await inNs('mount', '--make-shared', `${dir}/r/b`);
    const b = table().find((m) => m.target === `${dir}/r/b`)!;
    expect(b.id).toBe(shown.id);
    const reused = runSetPropagation(nsPath, shown.target, shown.id, 'private', false);
    expect(reused).toMatchObject({ ok: false, code: 'ESTALE' });
    expect(await opt(`${dir}/r/b`)).toMatch(/shared:\d+/); // b is untouched
    // Asked for b's id at b's path, but a mount sits on b now: the one on top is not b.
    await inNs('mount', '-t', 'tmpfs', 'TOP', `${dir}/r/b`);
    expect(runSetPropagation(nsPath, b.target, b.id, 'private', false)).toMatchObject({ ok: false, code: 'ESTALE' });
    await inNs('umount', `${dir}/r/b`);
    // The path's last part replaced by a symlink to another mount: not followed.
    await inNs('mkdir', '-p', `${dir}/s/real`);
    await inNs('mount', '-t', 'tmpfs', 'REAL', `${dir}/s/real`);
    await inNs('ln', '-s', `${dir}/r/b`, `${dir}/s/link`);
    expect(runSetPropagation(nsPath, `${dir}/s/link`, b.id, 'private', false)).toMatchObject({ ok: false });
    expect(await opt(`${dir}/r/b`)).toMatch(/shared:\d+/);
    // The same directory bound again at the same place after an umount: the same
    // id, device, root, parent, fstype and source — only the never-reused id differs.
    await inNs('mkdir', '-p', `${dir}/src`, `${dir}/t`);
    await inNs('mount', '--bind', `${dir}/src`, `${dir}/t`);
    const t1 = table().find((m) => m.target === `${dir}/t`)!;
    const unique = runUniqueMountId(nsPath, t1.target, t1.id);
    expect(unique).toMatch(/^\d+$/);
    await inNs('umount', `${dir}/t`);
    await inNs('mount', '--bind', `${dir}/src`, `${dir}/t`);
    const t2 = table().find((m) => m.target === `${dir}/t`)!;
    expect({ ...t2, propagation: null }).toEqual({ ...t1, propagation: null }); // mountinfo cannot tell them apart
    expect(runSetPropagation(nsPath, t2.target, t2.id, 'shared', false, undefined, unique!)).toMatchObject({ ok: false, code: 'ESTALE' });
    expect(runSetPropagation(nsPath, t2.target, t2.id, 'shared', false, undefined, runUniqueMountId(nsPath, t2.target, t2.id)!)).toEqual({ ok: true });
    // And the mount itself, asked for by its own id and path: done.
    expect(runSetPropagation(nsPath, b.target, b.id, 'private', false)).toEqual({ ok: true });
    expect(await opt(`${dir}/r/b`)).toBeNull();
    await lab.stop();
  });
});

describeRoot('names that are not UTF-8', () => {
  it('keep their exact bytes in --json (two such names never collide), and an action reaches exactly the one chosen', async () => {
    const lab = await startLab('peers');
    const { ns1, lab: dir } = lab.info;
    // Two names whose bytes differ but decode to the same text (each invalid byte is U+FFFD).
    await run('nsenter', [
      '-t',
      String(ns1.pid),
      '-m',
      '--',
      'sh',
      '-c',
      `for n in '\\377\\376' '\\376\\377'; do d="${dir}/b$(printf "$n")"; mkdir "$d" && mount -t tmpfs x "$d" && mount --make-shared "$d"; done`,
    ]);
    const r = await runCli(['--json', '--ns', String(ns1.ns)]);
    expect(r.code, r.stderr).toBe(0);
    const mounts = (JSON.parse(r.stdout).namespaces[0].mounts as Mount[]).filter((m) => m.target.startsWith(`${dir}/b`));
    expect(mounts.map((m) => m.target)).toEqual([`${dir}/b\ufffd\ufffd`, `${dir}/b\ufffd\ufffd`]);
    expect(mounts.map((m) => m.targetRaw)).toEqual([`${dir}/b\\377\\376`, `${dir}/b\\376\\377`]);
    expect([...unescapeBytes(mounts[1].targetRaw!)].slice(-2)).toEqual([0xfe, 0xff]);
    // The second one, by its bytes: only it changes.
    const nsPath = `/proc/${ns1.pid}/ns/mnt`;
    expect(runSetPropagation(nsPath, mounts[1].target, mounts[1].id, 'private', false, unescapeBytes(mounts[1].targetRaw!))).toEqual({ ok: true });
    const now = parseMountinfoBytes(readFileSync(`/proc/${ns1.pid}/mountinfo`, 'latin1')).mounts.filter((m) => m.targetRaw?.startsWith(`${dir}/b`));
    expect(now.map((m) => [m.targetRaw, m.propagation.shared !== null])).toEqual([
      [`${dir}/b\\377\\376`, true],
      [`${dir}/b\\376\\377`, false],
    ]);
    await lab.stop();
  });
});

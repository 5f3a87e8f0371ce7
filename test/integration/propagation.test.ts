/** runSetPropagation in real lab namespaces: success, and failures explained in plain words. */
import { afterAll, expect, it } from 'vitest';
import { runSetPropagation } from '../../src/sys/propagation.js';
import { describeRoot, run, startLab, stopAllLabs } from '../helpers/lab.js';

afterAll(stopAllLabs);

describeRoot('runSetPropagation', () => {
  it('changes one namespace only, and explains EINVAL and ENOENT', async () => {
    const lab = await startLab('peers');
    const { ns1, ns2, X, lab: dir } = lab.info;
    const nsPath = `/proc/${ns1.pid}/ns/mnt`;
    expect(runSetPropagation(nsPath, X, 'private', false)).toEqual({ ok: true });
    const fields = async (pid: number) => JSON.parse(await run('findmnt', ['-J', '-N', String(pid), '-o', 'OPT-FIELDS', '--mountpoint', X])).filesystems[0]['opt-fields'];
    expect(await fields(ns1.pid)).toBeNull();
    expect(await fields(ns2.pid)).toMatch(/shared:\d+/); // the peer in the other namespace is untouched
    await run('nsenter', ['-t', String(ns1.pid), '-m', '--', 'mkdir', `${dir}/plain dir`]);
    const notMount = runSetPropagation(nsPath, `${dir}/plain dir`, 'shared', false);
    expect(notMount).toMatchObject({ ok: false, code: 'EINVAL' });
    expect(!notMount.ok && notMount.message).toMatch(/not a mount point/);
    const missing = runSetPropagation(nsPath, `${dir}/no such`, 'shared', false);
    expect(missing).toMatchObject({ ok: false, code: 'ENOENT' });
    const gone = runSetPropagation('/proc/999999999/ns/mnt', '/', 'private', false);
    expect(gone.ok).toBe(false);
    await lab.stop();
  });
});

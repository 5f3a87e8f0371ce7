/**
 * The JSON Schemas in schema/ against what the built mntns writes: `--json` on
 * this host and on lab namespaces (hostile names: raw bytes; a leak: findings;
 * a pinned namespace: holders), `diff`/`where` aside, and `watch --json` events
 * of every type. The schemas are strict (no unknown field), so a field added to
 * the output without the schema fails here.
 */
import { execFileSync, spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import ajvModule from 'ajv';
import formats from 'ajv-formats';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { REPO, describeRoot, runCli, startLab, stopAllLabs, type Lab } from '../helpers/lab.js';
import { WatchRun } from '../helpers/watch.js';
import { parseMountinfo } from '../../src/proc/mountinfo.js';

const load = (name: string): object => JSON.parse(readFileSync(`${REPO}/schema/${name}`, 'utf8'));
// Both are CommonJS: what TypeScript calls their default is the module's `default` field.
const ajv = new ajvModule.default({ allErrors: true, strict: true });
formats.default(ajv);
ajv.addSchema(load('snapshot.schema.json'), 'snapshot.schema.json');
const snapshot = ajv.getSchema('snapshot.schema.json')!;
const event = ajv.compile(load('event.schema.json'));
const why = (v: { errors?: unknown[] | null }): string => JSON.stringify(v.errors?.slice(0, 3));

let lab: Lab | null = null;
afterEach(async () => {
  await lab?.stop();
  lab = null;
});
afterAll(stopAllLabs);

describe('the schemas', () => {
  it('refuse what the contract does not have: an unknown field, a wrong type, a missing field', () => {
    const m = parseMountinfo('1 0 8:1 / / rw - ext4 /dev/a rw').mounts[0];
    const ok = {
      version: 1,
      time: '2026-12-01T00:00:00.000Z',
      namespaces: [{ inode: 1, initial: true, readVia: 1, processes: [], holders: [], mounts: [m], findings: [], mountErrors: [] }],
      peerGroups: [],
      errors: [],
    };
    expect(snapshot(ok), why(snapshot)).toBe(true);
    expect(snapshot({ ...ok, extra: 1 })).toBe(false);
    expect(snapshot({ ...ok, version: 2 })).toBe(false);
    expect(snapshot({ ...ok, namespaces: [{ ...ok.namespaces[0], mounts: [{ ...m, id: '1' }] }] })).toBe(false);
    expect(event({ time: ok.time, type: 'mount', ns: 1 })).toBe(false);
    expect(event({ time: ok.time, type: 'mount', ns: 1, mount: m, by: null }), why(event)).toBe(true);
  });
});

describeRoot('the schemas against mntns', () => {
  it('--json of this host, of hostile names, a leak and a pinned namespace fits the snapshot schema', async () => {
    const host = JSON.parse((await runCli(['--json'])).stdout);
    expect(snapshot(host), why(snapshot)).toBe(true);
    for (const scenario of ['hostile', 'leak']) {
      lab = await startLab(scenario);
      const s = JSON.parse((await runCli(['--json'])).stdout);
      expect(snapshot(s), `${scenario}: ${why(snapshot)}`).toBe(true);
      await lab.stop();
      lab = null;
    }
    const held = spawn(`${REPO}/test/fixtures/held-namespaces.sh`, [], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      await new Promise((r) => held.stdout!.once('data', r));
      const s = JSON.parse((await runCli(['--json'])).stdout);
      expect(s.namespaces.some((n: { holders: Array<{ kind: string }> }) => n.holders.some((h) => h.kind === 'fd'))).toBe(true);
      expect(snapshot(s), why(snapshot)).toBe(true);
    } finally {
      held.kill('SIGTERM');
      await new Promise((r) => (held.exitCode !== null ? r(null) : held.once('exit', r)));
    }
  });
  it('every event of watch --json fits the event schema: mount, umount, change, namespaces and processes coming and going', async () => {
    lab = await startLab('peers');
    const { ns1, X } = lab.info;
    const w = new WatchRun(['--rescan', '0.5']);
    try {
      await w.ready();
      const inNs = (...argv: string[]) => execFileSync('nsenter', ['-t', String(ns1.pid), '-m', '--', ...argv]);
      inNs('mkdir', '-p', `${X}/s`);
      inNs('mount', '-t', 'tmpfs', 'schema', `${X}/s`);
      await w.event((e) => e.type === 'mount' && e.mount?.target === `${X}/s`, 'the mount');
      // A remount wakes the table's poll but sends no mount event: the change is
      // seen by the read that follows, so the umount waits for it (on a busy host
      // that read came after an umount made at once, and saw no change to report).
      inNs('mount', '-o', 'remount,ro', `${X}/s`);
      await w.event((e) => e.type === 'change' && e.mount?.target === `${X}/s`, 'the remount');
      inNs('umount', `${X}/s`);
      const other = await startLab('leak');
      await w.event((e) => e.type === 'namespace-added' && e.ns === other.info.container.ns, 'a namespace coming');
      await other.stop();
      await w.event((e) => e.type === 'namespace-removed' && e.ns === other.info.container.ns, 'it going');
      for (const t of ['mount', 'umount', 'change', 'process-added', 'process-removed']) await w.event((e) => e.type === t, t);
      for (const e of w.events) expect(event(e), `${e.type}: ${why(event)}`).toBe(true);
    } finally {
      await w.stop();
    }
  });
});

/** A mount's appearance — when, by whom, from where — kept by the store from mount events and shown in its details. */
import { describe, expect, it } from 'vitest';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { Store } from '../../src/store/store.js';
import { findingLines, mountDetails } from '../../src/ui/details.js';
import { indexSnapshot } from '../../src/ui/view-model.js';
import { linkPeerGroups, sortedGroups } from '../../src/model/peer-groups.js';
import type { Snapshot } from '../../src/model/types.js';
import { aNamespace, aProcess } from '../helpers/model.js';

const table = '1 0 8:1 / / rw - ext4 /dev/a rw\n30 1 0:40 / /srv rw shared:5 - tmpfs t rw\n';
const nss = [aNamespace(10, [aProcess(100, 10, ['init'])], table), aNamespace(20, [aProcess(200, 20, ['bash'])], table, { initial: false })];
const snap: Snapshot = { version: 1, time: '', namespaces: nss, peerGroups: sortedGroups(linkPeerGroups(nss)), errors: [] };
const srv = nss[0].mounts[1];
const by = {
  pid: 4242,
  comm: 'mount',
  cmdline: ['mount', '/srv'],
  ns: 20,
  ppid: 4241,
  chain: [
    { pid: 4241, comm: 'sh' },
    { pid: 1, comm: 'init' },
  ],
};
const text = (lines: ReturnType<typeof mountDetails>): string => lines.map((l) => l.map((s) => s.text).join('')).join('\n');

describe('a mount appearing', () => {
  it('is kept from its mount event until its umount, and told in its details: when, who and their ancestors, where it came from', async () => {
    const store = new Store(async () => snap);
    await store.rediscover();
    store.applyEvents(snap, [{ time: '2026-12-01T11:23:59.000Z', type: 'mount', ns: 10, mount: srv, by, from: 20 }]);
    const a = store.getState().appeared.get('10:30');
    expect(a).toEqual({ time: '2026-12-01T11:23:59.000Z', by, from: 20 });
    const t = text(mountDetails(indexSnapshot(snap), nss[0], srv, a));
    expect(t).toContain('appeared      11:23:59 by mount (pid 4242)');
    expect(t).toContain('command       mount /srv');
    expect(t).toContain('ancestors     sh (4241) ← init (1)');
    expect(t).toContain('arrived from  mnt:[20] bash (made there, propagated here)');
    // Process events leave it as it was; its umount ends it.
    const before = store.getState().appeared;
    store.applyEvents(snap, [{ time: 't', type: 'process-added', ns: 10, pid: 5 }]);
    expect(store.getState().appeared).toBe(before);
    store.applyEvents(snap, [{ time: 't', type: 'umount', ns: 10, mount: srv, by: null }]);
    expect(store.getState().appeared.has('10:30')).toBe(false);
  });
  it('by a process that could not be told, one gone before it could be read, or with no mount events at all', () => {
    const index = indexSnapshot(snap);
    expect(text(mountDetails(index, nss[0], srv, { time: '2026-12-01T11:00:00.000Z', by: { ...by, comm: null, cmdline: null, chain: [] } }))).toContain('by pid 4242 (gone before it could be read)');
    expect(text(mountDetails(index, nss[0], srv, { time: '2026-12-01T11:00:00.000Z', by: null }))).toContain('appeared      11:00:00 by a process that could not be told');
    expect(text(mountDetails(index, nss[0], srv, { time: '2026-12-01T11:00:00.000Z' }))).toMatch(/appeared +11:00:00\n/);
  });
});

describe('a finding about a mount seen arriving', () => {
  it('says who made it: for a mount explosion, who keeps doing it', () => {
    const explosion = {
      code: 'mount-explosion' as const,
      severity: 'warning' as const,
      mount: 30,
      mounts: [30],
      namespaces: [],
      message: '16 mounts of t (tmpfs) are stacked on /srv',
      fix: 'see who',
    };
    const withFinding = { ...nss[0], findings: [explosion] };
    const t = text(findingLines(withFinding, 'mnt:[10] init', 100, (id) => (id === 30 ? { time: '2026-12-01T11:23:59.000Z', by } : undefined)));
    expect(t).toContain('made at 11:23:59 by mount (pid 4242) ← sh ← init');
    expect(text(findingLines(withFinding, 'mnt:[10] init', 100))).not.toContain('made at');
  });
});

describe('the journal', () => {
  it('keeps the newest N events (--journal N), and saves them as NDJSON to a new file only (0600), never over one', async () => {
    const store = new Store(
      async () => snap,
      null,
      (s) => s,
      3,
    );
    await store.rediscover();
    for (let i = 0; i < 5; i++) store.applyEvents(snap, [{ time: `t${i}`, type: 'process-added', ns: 10, pid: i }]);
    expect(store.getState().events.map((e) => e.time)).toEqual(['t2', 't3', 't4']);
    const dir = mkdtempSync(`${tmpdir()}/mntns-journal.`);
    try {
      const path = `${dir}/j.ndjson`;
      expect(store.saveJournal(path)).toBe(3);
      expect(
        readFileSync(path, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).pid),
      ).toEqual([2, 3, 4]);
      expect(statSync(path).mode & 0o777).toBe(0o600);
      expect(() => store.saveJournal(path)).toThrow(/EEXIST/);
      symlinkSync(`${dir}/elsewhere`, `${dir}/link`);
      expect(() => store.saveJournal(`${dir}/link`)).toThrow(/EEXIST/);
      expect(existsSync(`${dir}/elsewhere`)).toBe(false);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

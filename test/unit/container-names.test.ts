import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { afterAll, describe, expect, it } from 'vitest';
import { containerNamer } from '../../src/proc/container-names.js';
import { representative, nsLabel } from '../../src/format/describe.js';
import { aNamespace, aProcess } from '../helpers/model.js';

// A fake host root with each runtime's state where that runtime keeps it.
const root = mkdtempSync(`${tmpdir()}/mntns-names.`);
afterAll(() => rmSync(root, { recursive: true, force: true }));
const put = (path: string, json: unknown): void => {
  mkdirSync(`${root}/${path}`.replace(/\/[^/]+$/, ''), { recursive: true });
  writeFileSync(`${root}/${path}`, typeof json === 'string' ? json : JSON.stringify(json));
};
const id = (c: string) => c.repeat(64);
put(`var/lib/docker/containers/${id('a')}/config.v2.json`, { Name: '/web-frontend', ID: id('a') });
put(`run/containerd/io.containerd.runtime.v2.task/k8s.io/${id('b')}/config.json`, {
  annotations: { 'io.kubernetes.cri.sandbox-name': 'api-7d9f', 'io.kubernetes.cri.sandbox-namespace': 'shop', 'io.kubernetes.cri.container-name': 'api' },
});
put(`run/containers/storage/overlay-containers/${id('c')}/userdata/config.json`, {
  annotations: { 'io.kubernetes.pod.name': 'db-0', 'io.kubernetes.pod.namespace': 'data', 'io.kubernetes.container.name': 'postgres' },
});
put('var/lib/containers/storage/overlay-containers/containers.json', [{ id: id('d'), names: ['toolbox'] }]);
put(`var/lib/docker/containers/${id('e')}/config.v2.json`, '{"Name": truncated');

describe('container names from the runtime state', () => {
  const name = containerNamer(root);
  it('reads docker, containerd (CRI), CRI-O and podman', () => {
    expect(name({ kind: 'docker', name: id('a').slice(0, 12) })).toBe('web-frontend');
    expect(name({ kind: 'kubepods', name: id('b').slice(0, 12) })).toBe('shop/api-7d9f/api');
    expect(name({ kind: 'containerd', name: id('c').slice(0, 12) })).toBe('data/db-0/postgres');
    expect(name({ kind: 'podman', name: id('d').slice(0, 12) })).toBe('toolbox');
    expect(name({ kind: 'systemd', name: 'nginx.service' })).toBe('nginx.service');
  });
  it('gives null, never an error, for a container it cannot tell: unknown, malformed, unreadable', () => {
    expect(name({ kind: 'docker', name: id('e').slice(0, 12) })).toBeNull();
    expect(name({ kind: 'docker', name: id('f').slice(0, 12) })).toBeNull();
    expect(containerNamer(`${root}/nowhere`)({ kind: 'podman', name: 'x' })).toBeNull();
  });
});

describe('what a namespace is called', () => {
  it('its name where known, else its most telling process (not sleep or a shell), else its oldest', () => {
    const ns = aNamespace(7, [aProcess(10, 7, ['sleep', 'infinity']), aProcess(12, 7, ['bash']), aProcess(20, 7, ['nginx'])], '');
    expect(representative(ns)?.comm).toBe('nginx');
    expect(nsLabel(ns, 7)).toBe('mnt:[7] nginx');
    expect(nsLabel({ ...ns, name: 'shop/api\u001b' }, 7)).toBe('mnt:[7] shop/api\\e');
    expect(nsLabel(aNamespace(8, [aProcess(30, 8, ['sleep'])], ''), 8)).toBe('mnt:[8] sleep');
  });
});

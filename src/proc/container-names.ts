/**
 * A container's name as people know it, from its runtime's own state on this
 * host (under `root`, injectable for tests): docker's config.v2.json, the OCI
 * spec's Kubernetes annotations (containerd's and CRI-O's task state), podman's
 * containers.json. Readable only where the runtime keeps it, and only as root;
 * anything missing or malformed gives null — a name is a nicety, never a
 * failure. The files are the runtime's, but the names in them were chosen by
 * whoever started the container: the caller sanitises before display.
 */
import { readdirSync, readFileSync } from 'node:fs';
import type { ContainerHint } from '../model/types.js';

/** Runtime state files are small; a bigger one is not what we think it is. */
const MAX_BYTES = 4 << 20;

function readJson(path: string): unknown {
  try {
    const text = readFileSync(path, 'utf8');
    return text.length > MAX_BYTES ? null : JSON.parse(text);
  } catch {
    return null;
  }
}

/** The entry of `dir` whose name starts with the (short) id, or null. */
function byPrefix(dir: string, id: string): string | null {
  try {
    return readdirSync(dir).find((n) => n.startsWith(id)) ?? null;
  } catch {
    return null;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);

/** `pod/container` (in `namespace/`) from an OCI spec's annotations, as kubectl names them. */
function fromAnnotations(spec: unknown): string | null {
  const a = (spec as { annotations?: Record<string, unknown> } | null)?.annotations;
  if (!a || typeof a !== 'object') return null;
  const pod = str(a['io.kubernetes.pod.name']) ?? str(a['io.kubernetes.cri.sandbox-name']);
  const podNs = str(a['io.kubernetes.pod.namespace']) ?? str(a['io.kubernetes.cri.sandbox-namespace']);
  const container = str(a['io.kubernetes.container.name']) ?? str(a['io.kubernetes.cri.container-name']);
  if (!pod) return null;
  return `${podNs ? `${podNs}/` : ''}${pod}${container ? `/${container}` : ''}`;
}

/** Where each runtime keeps a container's state, by the id's prefix. */
function lookup(root: string, hint: ContainerHint): string | null {
  const id = hint.name;
  if (hint.kind === 'docker') {
    const dir = `${root}/var/lib/docker/containers`;
    const full = byPrefix(dir, id);
    const name = full ? str((readJson(`${dir}/${full}/config.v2.json`) as { Name?: unknown } | null)?.Name) : null;
    return name ? name.replace(/^\//, '') : null;
  }
  if (hint.kind === 'containerd' || hint.kind === 'kubepods') {
    for (const dir of [`${root}/run/containerd/io.containerd.runtime.v2.task/k8s.io`, `${root}/run/containers/storage/overlay-containers`]) {
      const full = byPrefix(dir, id);
      if (!full) continue;
      const name = fromAnnotations(readJson(`${dir}/${full}/config.json`)) ?? fromAnnotations(readJson(`${dir}/${full}/userdata/config.json`));
      if (name) return name;
    }
    return null;
  }
  if (hint.kind === 'podman') {
    for (const base of [`${root}/var/lib/containers/storage/overlay-containers`, `${root}/run/containers/storage/overlay-containers`]) {
      const list = readJson(`${base}/containers.json`);
      if (!Array.isArray(list)) continue;
      const c = list.find((x) => typeof (x as { id?: unknown }).id === 'string' && (x as { id: string }).id.startsWith(id)) as { names?: unknown } | undefined;
      const name = Array.isArray(c?.names) ? str(c.names[0]) : null;
      if (name) return name;
    }
    return null;
  }
  return null;
}

/** Names by hint, cached for one snapshot (a container's processes share one). */
export function containerNamer(root = ''): (hint: ContainerHint) => string | null {
  const cache = new Map<string, string | null>();
  return (hint) => {
    if (hint.kind === 'systemd' || hint.kind === 'lxc') return hint.name;
    const key = `${hint.kind}:${hint.name}`;
    if (!cache.has(key)) cache.set(key, lookup(root, hint));
    return cache.get(key)!;
  };
}

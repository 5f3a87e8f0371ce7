/**
 * Pure: a container or unit hint from the text of /proc/PID/cgroup.
 * Covers the layouts docker, containerd (incl. Kubernetes), podman, LXC and systemd
 * write under cgroup v1 and v2; anything else gives no hint rather than a guess.
 */
import type { ContainerHint } from '../model/types.js';

const ID = '([0-9a-f]{12,64})';
const RULES: Array<[RegExp, ContainerHint['kind']]> = [
  [new RegExp(`(?:/docker/|docker-)${ID}`), 'docker'],
  [new RegExp(`(?:libpod-|/libpod_parent/libpod-)(?:conmon-)?${ID}`), 'podman'],
  [new RegExp(`cri-containerd-${ID}`), 'containerd'],
  [new RegExp(`/kubepods[^\\n]*?/(?:[^/]*-)?${ID}(?:\\.scope)?$`), 'kubepods'],
  [/(?:\/lxc\/|lxc\.payload\.)([^/\s]+)/, 'lxc'],
];

/** Returns the most specific hint in a cgroup file, or null. */
export function parseCgroupHint(text: string): ContainerHint | null {
  const lines = text.split('\n').filter(Boolean);
  // Prefer the unified hierarchy (0::), then name=systemd, then any.
  const paths = [...lines.filter((l) => l.startsWith('0::')), ...lines.filter((l) => l.includes(':name=systemd:')), ...lines].map((l) => l.slice(l.indexOf(':', l.indexOf(':') + 1) + 1));
  for (const p of paths) {
    for (const [re, kind] of RULES) {
      const m = re.exec(p);
      if (m) return { kind, name: kind === 'lxc' ? m[1] : m[1].slice(0, 12) };
    }
  }
  for (const p of paths) {
    const unit = /\/([^/]+\.(?:service|scope))$/.exec(p);
    if (unit && !unit[1].startsWith('session-') && unit[1] !== 'init.scope') return { kind: 'systemd', name: unit[1] };
  }
  return null;
}

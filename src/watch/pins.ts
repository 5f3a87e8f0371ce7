/**
 * Pin directories (where namespaces are kept alive by bind-mounting
 * /proc/PID/ns/mnt onto a file, as `ip netns` does) watched with chokidar.
 * inotify works on real directories like these — never on /proc, where it sees
 * neither new mounts nor new processes — and it reports the pin file appearing or
 * going; the bind mount itself is seen by re-reading the tables.
 */
import { watch, type FSWatcher } from 'chokidar';

/** Calls `onChange` (debounced) whenever a file appears in or leaves one of `dirs`. */
export function watchPins(dirs: string[], onChange: () => void, debounceMs = 50): { close(): Promise<void> } {
  if (dirs.length === 0) return { close: async () => {} };
  let timer: NodeJS.Timeout | null = null;
  const fire = (): void => {
    if (timer) return;
    timer = setTimeout(() => {
      timer = null;
      onChange();
    }, debounceMs);
  };
  const w: FSWatcher = watch(dirs, { ignoreInitial: true, depth: 0, persistent: false });
  w.on('add', fire).on('unlink', fire).on('change', fire);
  return {
    close: async () => {
      if (timer) clearTimeout(timer);
      await w.close();
    },
  };
}

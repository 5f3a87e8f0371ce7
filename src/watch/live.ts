/** Wires a Watcher to the real system: discovery, reader threads, the poll thread. */
import { takeSnapshot } from '../discover/snapshot.js';
import { ReaderPool } from '../discover/reader-pool.js';
import { listMountNamespaces } from '../sys/ns-list.js';
import { readMountinfoOfNamespace } from '../sys/ns-worker.js';
import { MountinfoPoller } from '../sys/mountinfo-poller.js';
import { Watcher, type WatcherOptions } from './watcher.js';
import { watchPins } from './pins.js';
import type { Snapshot } from '../model/types.js';

export interface LiveOptions extends WatcherOptions {
  procRoot: string;
  /** Pin directories to watch (chokidar): a pin appearing or going triggers a rescan. */
  pins?: string[];
  onError?: (message: string) => void;
  /** Follow the kernel's mount events (who made each mount); default yes, on the real /proc. */
  mountEvents?: boolean;
  /** The first snapshot's namespaces and processes, before their mounts are read (see SnapshotOptions.preview). */
  onPreview?: (snap: Snapshot) => void;
}

/** A watcher over `procRoot`; `close()` ends it and its threads. */
export function liveWatcher(opts: LiveOptions): { watcher: Watcher; close(): Promise<void> } {
  const own = opts.procRoot === '/proc';
  let firstPreview = opts.onPreview;
  const watcher = new Watcher(
    {
      // Reader threads only for the length of a full scan (rare after the first):
      // idle threads still cost a little CPU, and idle is what a watcher mostly is.
      takeSnapshot: async () => {
        const pool = new ReaderPool();
        const preview = firstPreview;
        firstPreview = undefined;
        try {
          return await takeSnapshot({
            preview,
            procRoot: opts.procRoot,
            pid: opts.pid,
            reader: pool,
            readHeld: readMountinfoOfNamespace,
            listNamespaces: own ? () => listMountNamespaces() : undefined,
          });
        } finally {
          await pool.close();
        }
      },
      listNamespaces: own ? () => listMountNamespaces() : undefined,
      readHeld: readMountinfoOfNamespace,
      poller: (h) => new MountinfoPoller({ ...h, onError: opts.onError }),
      // Who made each mount, on the real /proc. As root it should work (Linux ≥ 6.15):
      // say so when it does not; as another user it cannot, and the rest works anyway.
      mountEvents: own && opts.mountEvents !== false ? { notice: (m) => (process.getuid?.() === 0 ? opts.onError?.(m) : opts.trace?.(m)) } : undefined,
    },
    opts,
  );
  const pins = watchPins(opts.pins ?? [], () => void watcher.rediscover());
  return {
    watcher,
    close: async () => {
      await pins.close();
      await watcher.stop();
    },
  };
}

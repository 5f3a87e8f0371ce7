/** Wires a Watcher to the real system: discovery, reader threads, the poll thread. */
import { takeSnapshot } from '../discover/snapshot.js';
import { ReaderPool } from '../discover/reader-pool.js';
import { listMountNamespaces } from '../sys/ns-list.js';
import { readMountinfoOfNamespace } from '../sys/ns-worker.js';
import { MountinfoPoller } from '../sys/mountinfo-poller.js';
import { Watcher, type WatcherOptions } from './watcher.js';

export interface LiveOptions extends WatcherOptions {
  procRoot: string;
  onError?: (message: string) => void;
}

/** A watcher over `procRoot`, with its reader threads; `close()` ends both. */
export function liveWatcher(opts: LiveOptions): { watcher: Watcher; close(): Promise<void> } {
  const pool = new ReaderPool();
  const own = opts.procRoot === '/proc';
  const watcher = new Watcher(
    {
      takeSnapshot: () =>
        takeSnapshot({
          procRoot: opts.procRoot,
          pid: opts.pid,
          reader: pool,
          readHeld: readMountinfoOfNamespace,
          listNamespaces: own ? () => listMountNamespaces() : undefined,
        }),
      listNamespaces: own ? () => listMountNamespaces() : undefined,
      readHeld: readMountinfoOfNamespace,
      poller: (onFire) => new MountinfoPoller(onFire, opts.onError),
    },
    opts,
  );
  return {
    watcher,
    close: async () => {
      await watcher.stop();
      await pool.close();
    },
  };
}

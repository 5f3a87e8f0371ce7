/** Shared bits of the thread and fd plumbing in sys/, discover/ and watch/. */
import { closeSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Path of a compiled worker entry next to the calling module. Under the test
 * runner the caller is a .ts source whose sibling .js does not exist: use the
 * built copy in dist/ (npm test builds first).
 */
export function threadEntry(callerUrl: string, file: string): string {
  const here = fileURLToPath(new URL(file, callerUrl));
  return existsSync(here) ? here : here.replace(/\/src\//, '/dist/');
}

/** Closes an fd that may already be closed. */
export function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    /* already closed */
  }
}

/** Where keys come from: the terminal in the TUI, a feed in component tests. */
import { KeyParser, type KeyPress } from './parse-keys.js';

export type KeyListener = (k: KeyPress) => void;

export interface KeySource {
  subscribe(listener: KeyListener): () => void;
}

/** How long a lone ESC waits for the rest of a sequence (xterm sends them whole; ssh may split them). */
export const ESC_WAIT_MS = 30;

/** Turns chunks of terminal text into keys for its listeners, one key at a time, in order. */
export class KeyFeed implements KeySource {
  private readonly listeners = new Set<KeyListener>();
  private readonly parser = new KeyParser();
  private escTimer: NodeJS.Timeout | null = null;

  subscribe(listener: KeyListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  write(chunk: string): void {
    if (this.escTimer) clearTimeout(this.escTimer);
    this.escTimer = null;
    this.emit(this.parser.push(chunk));
    if (this.parser.waiting()) {
      this.escTimer = setTimeout(() => {
        this.escTimer = null;
        this.emit(this.parser.flush());
      }, ESC_WAIT_MS);
    }
  }

  /** Forgets a half-read sequence (the terminal changes hands). */
  reset(): void {
    if (this.escTimer) clearTimeout(this.escTimer);
    this.escTimer = null;
    this.parser.flush();
  }

  private emit(keys: KeyPress[]): void {
    for (const k of keys) for (const l of [...this.listeners]) l(k);
  }
}

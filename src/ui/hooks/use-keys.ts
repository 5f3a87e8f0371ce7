/** Calls `handler` for every key from `source`, always the newest handler (it closes over the latest render). */
import { useEffect, useRef } from 'react';
import type { KeySource } from '../keys/key-source.js';
import type { Key, KeyPress } from '../keys/parse-keys.js';

export function useKeys(source: KeySource, handler: (input: string, key: Key, press: KeyPress) => void): void {
  const ref = useRef(handler);
  ref.current = handler;
  useEffect(() => source.subscribe((k) => ref.current(k.input, k.key, k)), [source]);
}

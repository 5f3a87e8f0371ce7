import { describe, expect, it } from 'vitest';
import { FAN_MNT_ATTACH, FAN_MNT_DETACH, FAN_Q_OVERFLOW, parseFanotify } from '../../src/sys/fanotify.js';

/** One event as the kernel lays it out: fanotify_event_metadata (24 bytes), then a type-7 record (hdr, pad, u64 mount id). */
function event(mask: number, pid: number, mountId?: bigint): Buffer {
  const rec = mountId === undefined ? Buffer.alloc(0) : Buffer.alloc(16);
  if (mountId !== undefined) {
    rec.writeUInt8(7, 0);
    rec.writeUInt16LE(16, 2);
    rec.writeBigUInt64LE(mountId, 8);
  }
  const meta = Buffer.alloc(24);
  meta.writeUInt32LE(24 + rec.length, 0);
  meta.writeUInt8(3, 4); // FANOTIFY_METADATA_VERSION
  meta.writeUInt16LE(24, 6);
  meta.writeBigUInt64LE(BigInt(mask), 8);
  meta.writeInt32LE(-1, 16); // FAN_NOFD
  meta.writeInt32LE(pid, 20);
  return Buffer.concat([meta, rec]);
}

describe('parseFanotify', () => {
  it('reads attach, detach and a move (both) with their pid and 64-bit mount id', () => {
    const buf = Buffer.concat([event(FAN_MNT_ATTACH, 4242, 2148035265n), event(FAN_MNT_DETACH, 7, 2148035266n), event(FAN_MNT_ATTACH | FAN_MNT_DETACH, 9, 2148035267n)]);
    expect(parseFanotify(buf, buf.length)).toEqual([
      { mask: FAN_MNT_ATTACH, pid: 4242, mountId: 2148035265n },
      { mask: FAN_MNT_DETACH, pid: 7, mountId: 2148035266n },
      { mask: FAN_MNT_ATTACH | FAN_MNT_DETACH, pid: 9, mountId: 2148035267n },
    ]);
  });
  it('says overflow for the queue-overflow event, and stops at a torn event instead of misreading it', () => {
    const buf = Buffer.concat([event(FAN_Q_OVERFLOW, -1), event(FAN_MNT_ATTACH, 1, 2148035265n)]);
    expect(parseFanotify(buf, buf.length)).toEqual(['overflow', { mask: FAN_MNT_ATTACH, pid: 1, mountId: 2148035265n }]);
    expect(parseFanotify(buf, buf.length - 3)).toEqual(['overflow']);
  });
});

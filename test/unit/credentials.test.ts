import { describe, expect, it } from 'vitest';
import { capabilityCount, parseCredentials } from '../../src/sys/credentials.js';

// Recorded from a process started with `setpriv --reuid 65534 --regid 65534 --groups 100,101 --no-new-privs --bounding-set -all,+chown` (Linux 6.18).
const STATUS = `Name:\tsleep
Umask:\t0022
State:\tS (sleeping)
Tgid:\t29141
Uid:\t65534\t65534\t65534\t65534
Gid:\t65534\t65534\t65534\t65534
FDSize:\t64
Groups:\t100 101 
CapInh:\t0000000000000000
CapPrm:\t0000000000000000
CapEff:\t0000000000000000
CapBnd:\t0000000000000001
CapAmb:\t0000000000000000
NoNewPrivs:\t1
Seccomp:\t0
`;

describe('parseCredentials', () => {
  it('reads ids, groups, the bounding and inheritable sets and no_new_privs', () => {
    expect(parseCredentials(STATUS)).toEqual({ uids: [65534, 65534, 65534], gids: [65534, 65534, 65534], groups: [100, 101], bounding: 1n, inheritable: 0n, noNewPrivs: true });
  });
  it('an empty Groups line is no groups; a status before 4.10 (no NoNewPrivs line) is not set', () => {
    const old = STATUS.replace('Groups:\t100 101 ', 'Groups:\t').replace(/^NoNewPrivs.*\n/m, '');
    expect(parseCredentials(old)).toMatchObject({ groups: [], noNewPrivs: false });
  });
  it('throws on a missing or malformed field rather than guessing (a guess would be root)', () => {
    expect(() => parseCredentials(STATUS.replace(/^Uid.*\n/m, ''))).toThrow(/no Uid/);
    expect(() => parseCredentials(STATUS.replace('CapBnd:\t0000000000000001', 'CapBnd:\tzz'))).toThrow(/bad CapBnd/);
    expect(() => parseCredentials(STATUS.replace('Groups:\t100 101', 'Groups:\t100 x'))).toThrow(/bad Groups/);
    expect(() => parseCredentials(STATUS.replace('Gid:\t65534\t65534', 'Gid:\t65534\tx'))).toThrow(/bad Gid/);
  });
  it('counts capabilities', () => {
    expect(capabilityCount(0x1fffeffffffn)).toBe(40);
    expect(capabilityCount(0n)).toBe(0);
  });
});

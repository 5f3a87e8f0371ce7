/**
 * Fuzzing the pure readers with what a hostile or broken system could hand them:
 * random bytes, truncated and mutated real lines, 4,096-byte paths, invalid
 * UTF-8. Deterministic (seeded), so a failure names a case that can be replayed.
 * Invariants: nothing throws; every line of a table is either a mount or a
 * reported error with its line number; good lines around bad ones come out as
 * they would alone; whatever comes out is terminal-safe after the sanitiser.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMountinfo, parseMountinfoLine } from '../../src/proc/mountinfo.js';
import { parseCgroupHint } from '../../src/proc/cgroup.js';
import { parseCmdline, parseNsLink, parseStat } from '../../src/proc/process.js';
import { parsePasswd } from '../../src/proc/users.js';
import { isSafe, sanitize } from '../../src/format/sanitize.js';
import { displayWidth, fit } from '../../src/format/width.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');
const REAL = ['mountinfo-hostile.txt', 'mountinfo-chrooted.txt', 'mountinfo-leak-container.txt', 'mountinfo-proc-host.txt', 'mountinfo-slavens.txt']
  .flatMap((f) => fixture(f).split('\n'))
  .filter(Boolean);

/** mulberry32: small, seeded, good enough to pick mutations. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

// Bytes a hostile name could carry, weighted toward the interesting ones.
const NASTY = [0x00, 0x07, 0x08, 0x09, 0x0a, 0x0d, 0x1b, 0x20, 0x2d, 0x3a, 0x5c, 0x7f, 0x80, 0x9b, 0xc3, 0xe2, 0xff];

function randomBytes(r: () => number, n: number): Buffer {
  const b = Buffer.alloc(n);
  for (let i = 0; i < n; i++) b[i] = r() < 0.3 ? NASTY[Math.floor(r() * NASTY.length)] : Math.floor(r() * 256);
  return b;
}

/** One mutation of a real line, as bytes: truncate, flip, insert, delete, or splice in junk. */
function mutate(r: () => number, line: string): Buffer {
  let b = Buffer.from(line, 'utf8');
  const at = () => Math.floor(r() * (b.length + 1));
  switch (Math.floor(r() * 6)) {
    case 0:
      return b.subarray(0, at());
    case 1: {
      b = Buffer.from(b);
      for (let k = 0; k < 1 + r() * 3; k++) if (b.length) b[Math.min(b.length - 1, at())] = Math.floor(r() * 256);
      return b;
    }
    case 2: {
      const i = at();
      return Buffer.concat([b.subarray(0, i), randomBytes(r, 1 + Math.floor(r() * 8)), b.subarray(i)]);
    }
    case 3: {
      const i = at();
      return Buffer.concat([b.subarray(0, i), b.subarray(Math.min(b.length, i + 1 + Math.floor(r() * 10)))]);
    }
    case 4: // a field doubled or dropped: the separator and counts move
      return Buffer.from(line.replace(/ - /, r() < 0.5 ? ' - - ' : ' '), 'utf8');
    default:
      return randomBytes(r, Math.floor(r() * 200));
  }
}

function assertSafeOutput(strings: string[]): void {
  for (const s of strings) {
    const shown = sanitize(s);
    expect(isSafe(shown)).toBe(true);
    // Measuring and fitting never throw, and a fitted cell is exactly as wide as asked.
    expect(displayWidth(fit(shown, 30))).toBe(30);
  }
}

describe('fuzz: mountinfo parser', () => {
  const TABLES = 4000;
  it(`${TABLES} tables of real lines mixed with mutated and random ones: every line a mount or a reported error, good lines kept`, () => {
    const r = rng(1);
    let lines = 0;
    let bad = 0;
    let superseded = 0;
    for (let t = 0; t < TABLES; t++) {
      const parts: Buffer[] = [];
      const good = new Map<number, string>(); // line number → real line put there untouched
      const n = 1 + Math.floor(r() * 12);
      for (let i = 0; i < n; i++) {
        const real = REAL[Math.floor(r() * REAL.length)];
        if (r() < 0.5) {
          parts.push(Buffer.from(real, 'utf8'));
        } else {
          parts.push(mutate(r, real));
        }
      }
      const text = Buffer.concat(parts.flatMap((p) => [p, Buffer.from('\n')])).toString('utf8');
      // Line numbers as the parser counts them (a mutation may have added a newline).
      const split = text.split('\n');
      split.forEach((l, i) => {
        if (REAL.includes(l)) good.set(i + 1, l);
      });
      const parsed = parseMountinfo(text);
      const nonEmpty = split.filter((l) => l !== '').length;
      // A line is a mount, an error, or left out for a later line with its mount id.
      expect(parsed.mounts.length + parsed.errors.length + parsed.superseded.length).toBe(nonEmpty);
      const ids = parsed.mounts.map((m) => m.id);
      expect(new Set(ids).size).toBe(ids.length);
      for (const lineNo of parsed.superseded) {
        const later = split.slice(lineNo).map((l) => parseMountinfoLine(l));
        expect(later.some((m) => typeof m !== 'string' && m.id === (parseMountinfoLine(split[lineNo - 1]) as { id: number }).id)).toBe(true);
      }
      superseded += parsed.superseded.length;
      for (const e of parsed.errors) {
        expect(split[e.line - 1]).toBe(e.text);
        expect(e.reason.length).toBeGreaterThan(0);
        expect(typeof parseMountinfoLine(e.text)).toBe('string');
      }
      // Every untouched real line comes out exactly as it parses alone, in its place:
      // mounts are the non-empty lines that are neither errors nor superseded, in order.
      const errorLines = new Set(parsed.errors.map((e) => e.line));
      const supersededLines = new Set(parsed.superseded);
      let k = 0;
      split.forEach((l, i) => {
        if (l === '' || errorLines.has(i + 1) || supersededLines.has(i + 1)) return;
        const m = parsed.mounts[k++];
        if (good.has(i + 1)) expect(m).toEqual(parseMountinfoLine(l));
      });
      expect(k).toBe(parsed.mounts.length);
      for (const lineNo of good.keys()) expect(errorLines.has(lineNo)).toBe(false);
      assertSafeOutput(parsed.mounts.flatMap((m) => [m.root, m.target, m.source, m.fstype, m.options, m.superOptions, ...m.otherFields]));
      assertSafeOutput(parsed.errors.map((e) => e.text));
      lines += nonEmpty;
      bad += parsed.errors.length;
    }
    expect(lines).toBeGreaterThan(TABLES * 3);
    expect(bad).toBeGreaterThan(TABLES / 2);
    expect(superseded).toBeGreaterThan(0); // real lines repeat: the rule was exercised
  });

  it('4,096-byte paths, escaped and raw, parse exactly', () => {
    const r = rng(2);
    for (let k = 0; k < 200; k++) {
      const raw = [...randomBytes(r, 4096)].map((b) => (b === 0x0a || b === 0x20 || b === 0x09 || b === 0x5c ? 0x61 : b === 0 ? 0x62 : b));
      const path = '/' + Buffer.from(raw).toString('latin1');
      const escaped = path.replace(/a/g, '\\040'); // the kernel's escape for a space
      const m = parseMountinfoLine(`36 35 98:0 / ${escaped} rw shared:1 - tmpfs src rw`);
      expect(typeof m).not.toBe('string');
      if (typeof m !== 'string') expect(m.target).toBe(path.replace(/a/g, ' '));
      assertSafeOutput([path]);
    }
  });

  it('invalid UTF-8 in every field: no throw, replacement characters, no control byte after the sanitiser', () => {
    const r = rng(3);
    for (let k = 0; k < 2000; k++) {
      const junk = () => Buffer.concat([Buffer.from('x'), randomBytes(r, 1 + Math.floor(r() * 20)).map((b) => (b === 0x20 || b === 0x0a ? 0xff : b))]);
      const line = Buffer.concat([Buffer.from('36 35 98:0 /'), junk(), Buffer.from(' /'), junk(), Buffer.from(' rw - tmpfs '), junk(), Buffer.from(' rw')]);
      const parsed = parseMountinfo(line.toString('utf8'));
      expect(parsed.mounts.length + parsed.errors.length).toBe(1);
      assertSafeOutput(parsed.mounts.flatMap((m) => [m.root, m.target, m.source]));
    }
  });
});

describe('fuzz: process readers', () => {
  const CASES = 5000;
  it(`cgroup, stat, cmdline, ns links and passwd: ${CASES} random and mutated inputs each, no throw, sane results`, () => {
    const r = rng(4);
    const cgroups = [
      '0::/system.slice/docker-0123456789abcdef0123456789abcdef.scope',
      '12:pids:/kubepods/burstable/pod1/0123456789abcdef',
      '0::/lxc.payload.web/init.scope',
      '0::/user.slice/session-2.scope',
    ];
    const stats = ['1234 (sleep) S 1 1234 1234 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 12345', '2 (kthreadd) S 0 0 0 0 -1 2129984 0 0', '77 (a) b (c)) R 5 77 77 0 -1 0 0'];
    for (let k = 0; k < CASES; k++) {
      const cg = r() < 0.5 ? mutate(r, cgroups[k % cgroups.length]).toString('utf8') : randomBytes(r, 300).toString('utf8');
      const hint = parseCgroupHint(cg);
      if (hint) {
        expect(['docker', 'podman', 'containerd', 'kubepods', 'lxc', 'systemd']).toContain(hint.kind);
        assertSafeOutput([hint.name]);
      }
      const st = parseStat(r() < 0.5 ? mutate(r, stats[k % stats.length]).toString('utf8') : randomBytes(r, 120).toString('utf8'));
      if (st) {
        expect(Number.isFinite(st.ppid)).toBe(true);
        assertSafeOutput([st.comm]);
      }
      const argv = parseCmdline(randomBytes(r, Math.floor(r() * 300)).toString('utf8'));
      assertSafeOutput(argv);
      // ns links: half real ones mutated; a number comes out only from an intact `type:[digits]`.
      const link = r() < 0.5 ? mutate(r, 'mnt:[4026531840]').toString('latin1') : randomBytes(r, 20).toString('latin1');
      const ino = parseNsLink(link);
      if (ino === null) expect(link).not.toMatch(/^[a-z_]+:\[\d+\]$/);
      else expect(link).toMatch(new RegExp(`^[a-z_]+:\\[0*${ino}\\]$`));
      // passwd: every name it returns is a field 0 of a line whose field 2 is that uid.
      const passwd = r() < 0.5 ? mutate(r, 'root:x:0:0:root:/root:/bin/bash\nnobody:x:65534:65534::/:/sbin/nologin').toString('utf8') : randomBytes(r, 200).toString('utf8');
      for (const [uid, name] of parsePasswd(passwd))
        expect(passwd.split('\n').some((l) => l.split(':')[0] === name && /^\d+$/.test(l.split(':')[2] ?? '') && Number(l.split(':')[2]) === uid)).toBe(true);
    }
  });

  it('adversarial cgroup paths (long, repetitive) get their exact answer (a backtracking regex would hang here)', () => {
    const answers = [];
    for (const s of [
      '0::/kubepods' + '/a-'.repeat(20000),
      '0::' + '/docker-'.repeat(10000),
      '0::/kubepods' + '/0123456789ab-'.repeat(3000) + 'x',
      '0::' + 'libpod-conmon-'.repeat(5000),
      '0::/lxc/' + 'a'.repeat(100000) + ' ',
      '0::' + '/x.service'.repeat(10000) + '/',
    ]) {
      answers.push(parseCgroupHint(s));
    }
    // Only the lxc path names a container; its name is the path's last part, whole.
    expect(answers.map((h) => h?.kind ?? null)).toEqual([null, null, null, null, 'lxc', null]);
    expect(answers[4]!.name).toMatch(/^a{100000}/);
  });
});

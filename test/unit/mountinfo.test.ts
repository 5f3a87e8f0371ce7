import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseMountinfo, parseMountinfoBytes, parseMountinfoLine, parseOptionalFields, unescapeBytes, unescapeMountinfo } from '../../src/proc/mountinfo.js';
import { HOSTILE_NAMES } from '../helpers/hostile-names.js';

const fixture = (name: string) => readFileSync(new URL(`../fixtures/${name}`, import.meta.url), 'utf8');

describe('unescapeMountinfo', () => {
  it('decodes the four escapes the kernel writes', () => {
    expect(unescapeMountinfo('a\\040b\\011c\\012d\\134e')).toBe('a b\tc\nd\\e');
  });
  it('decodes escaped bytes of a UTF-8 sequence back into one character', () => {
    expect(unescapeMountinfo('\\303\\251')).toBe('é');
  });
  it('leaves a backslash that starts no octal escape alone', () => {
    expect(unescapeMountinfo('a\\x\\12')).toBe('a\\x\\12');
    expect(unescapeMountinfo('end\\')).toBe('end\\');
    expect(unescapeMountinfo('\\400')).toBe('\\400'); // > 0xff is not a byte
  });
});

describe('parseOptionalFields', () => {
  it('reads every propagation tag and keeps unknown ones', () => {
    expect(parseOptionalFields(['shared:12', 'master:3', 'propagate_from:1', 'unbindable', 'future:9'])).toEqual({
      propagation: { shared: 12, master: 3, propagateFrom: 1, unbindable: true },
      otherFields: ['future:9'],
    });
  });
  it('treats a malformed number as an unknown field, not a zero', () => {
    expect(parseOptionalFields(['shared:x']).otherFields).toEqual(['shared:x']);
    expect(parseOptionalFields(['shared:x']).propagation.shared).toBeNull();
  });
});

describe('parseMountinfoLine', () => {
  it('parses the man page example', () => {
    const m = parseMountinfoLine('36 35 98:0 /mnt1 /mnt/parent rw,noatime master:1 - ext3 /dev/root rw,errors=continue');
    expect(m).toEqual({
      id: 36,
      parent: 35,
      major: 98,
      minor: 0,
      root: '/mnt1',
      target: '/mnt/parent',
      options: 'rw,noatime',
      fstype: 'ext3',
      source: '/dev/root',
      superOptions: 'rw,errors=continue',
      propagation: { shared: null, master: 1, propagateFrom: null, unbindable: false },
      otherFields: [],
      hidden: false,
    });
  });
  it('parses a line with no optional fields and with several', () => {
    expect(parseMountinfoLine('22 27 0:21 / /proc rw,relatime - proc proc rw')).toMatchObject({ target: '/proc', fstype: 'proc' });
    expect(parseMountinfoLine('66 63 0:40 / /c rw master:2 propagate_from:1 - tmpfs a rw')).toMatchObject({
      propagation: { shared: null, master: 2, propagateFrom: 1, unbindable: false },
    });
  });
  it('finds the separator even when a path is literally "-"', () => {
    const m = parseMountinfoLine('40 1 0:5 / /- rw shared:1 - tmpfs - rw');
    expect(m).toMatchObject({ target: '/-', source: '-', propagation: { shared: 1 } });
  });
  it('reports malformed lines with a reason', () => {
    expect(parseMountinfoLine('garbage')).toMatch(/separator/);
    expect(parseMountinfoLine('1 1 0:5 / - tmpfs t rw')).toMatch(/separator|too few/);
    expect(parseMountinfoLine('x 1 0:5 / / rw - tmpfs t rw')).toMatch(/not a number/);
    expect(parseMountinfoLine('1 1 05 / / rw - tmpfs t rw')).toMatch(/major:minor/);
    expect(parseMountinfoLine('1 1 0:5 / / rw shared:1 - tmpfs t')).toMatch(/fewer than 3/);
    expect(parseMountinfoLine('1 1 0:5 / / rw - tmpfs t')).toMatch(/too few/);
  });
});

describe('parseMountinfo on recorded tables', () => {
  it('keeps good lines around a bad one and reports it with its line number', () => {
    const r = parseMountinfo('1 0 0:1 / / rw - ext4 /dev/a rw\nbroken line\n2 1 0:2 / /x rw - tmpfs t rw\n');
    expect(r.mounts.map((m) => m.id)).toEqual([1, 2]);
    expect(r.errors).toEqual([{ line: 2, text: 'broken line', reason: expect.any(String) }]);
  });

  it('a torn read (recorded: c60 unmounted and final0 mounted with its id between two reads) keeps the later line only', () => {
    const text = fixture('mountinfo-torn.txt');
    const lines = text.split('\n').filter(Boolean);
    const { mounts, errors, superseded } = parseMountinfo(text);
    expect(errors).toEqual([]);
    expect(superseded).toEqual([lines.length - 1]);
    expect(mounts).toHaveLength(lines.length - 1);
    expect(new Set(mounts.map((m) => m.id)).size).toBe(mounts.length);
    expect(mounts.filter((m) => m.id === 64).map((m) => m.target.split('/').pop())).toEqual(['final0']);
  });

  it('decodes every hostile path exactly (recorded from scenario hostile)', () => {
    const { mounts, errors } = parseMountinfo(fixture('mountinfo-hostile.txt'));
    expect(errors).toEqual([]);
    const names = mounts.filter((m) => m.target.includes('/h/')).map((m) => m.target.slice(m.target.indexOf('/h/') + 3));
    expect(names).toEqual(HOSTILE_NAMES);
    expect(mounts.some((m) => m.target.endsWith('/d40'))).toBe(true);
  });

  it('reads master:N propagate_from:N through a chrooted process (recorded from scenario slave)', () => {
    const { mounts } = parseMountinfo(fixture('mountinfo-chrooted.txt'));
    expect(mounts.map((m) => [m.target, m.propagation])).toEqual([
      ['/a', { shared: 1, master: null, propagateFrom: null, unbindable: false }],
      ['/c', { shared: null, master: 2, propagateFrom: 1, unbindable: false }],
    ]);
  });

  it('sees the stacked /proc of the proc trap (recorded from scenario proc)', () => {
    const { mounts } = parseMountinfo(fixture('mountinfo-proc-host.txt'));
    const procs = mounts.filter((m) => m.target === '/proc');
    expect(procs.length).toBe(2);
    expect(procs[1].parent).toBe(procs[0].id);
    expect(procs.every((m) => m.propagation.shared !== null)).toBe(true);
  });
});

describe('parseMountinfo with the previous parse (re-reads)', () => {
  const table = fixture('mountinfo-hostile.txt');
  it('gives the same mounts as a fresh parse, unchanged lines as the very same objects', () => {
    const first = parseMountinfo(table, new Map());
    expect(first.fresh).toEqual(first.mounts);
    const again = parseMountinfo(table, first.byLine);
    expect(again.mounts).toEqual(parseMountinfo(table).mounts);
    for (let i = 0; i < again.mounts.length; i++) expect(again.mounts[i]).toBe(first.mounts[i]);
    expect(again.fresh).toEqual([]);
    expect(again.lines).toEqual(table.split('\n').filter(Boolean));
  });
  it('parses a changed line and forgets a removed one', () => {
    const lines = table.trimEnd().split('\n');
    const changed = lines[1].replace(' ro,', ' rw,');
    expect(changed).not.toBe(lines[1]);
    const next = [lines[0], changed, ...lines.slice(3), 'garbage line'].join('\n');
    const first = parseMountinfo(table, new Map());
    const again = parseMountinfo(next, first.byLine);
    expect(again.mounts).toEqual(parseMountinfo(next).mounts);
    expect(again.errors).toEqual([{ line: lines.length, text: 'garbage line', reason: expect.any(String) }]);
    expect([...again.byLine!.keys()]).not.toContain(lines[2]);
    expect(again.fresh!.map((m) => m.target)).toEqual([first.mounts[1].target]); // the changed line; garbage is an error
  });
  it('a torn read with the previous parse: the superseded line is neither kept nor remembered', () => {
    const torn = fixture('mountinfo-torn.txt');
    const lines = torn.split('\n').filter(Boolean);
    const first = parseMountinfo(lines.slice(0, -1).join('\n'), new Map()); // before final0 showed up
    const again = parseMountinfo(torn, first.byLine);
    expect(again.mounts).toEqual(parseMountinfo(torn).mounts);
    expect(again.fresh!.map((m) => m.target.split('/').pop())).toEqual(['final0']);
    expect(again.byLine!.has(lines.at(-2)!)).toBe(false);
    expect(again.byLine!.size).toBe(again.mounts.length);
  });
});

describe('parseMountinfoBytes: names are bytes, not text', () => {
  it('gives every name back exactly, in 2,000 random byte names (invalid UTF-8, controls, escapes)', () => {
    let seed = 11;
    const rand = (n: number) => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) % n;
    const seen = new Map<string, string>(); // exact bytes (hex) → how it came out
    for (let i = 0; i < 2000; i++) {
      const name = Buffer.from(Array.from({ length: 1 + rand(12) }, () => 1 + rand(255)).filter((b) => b !== 0x2f));
      if (name.length === 0) continue;
      // As the kernel writes it: space, tab, newline and backslash escaped, the rest raw.
      const field = Buffer.concat([...name].map((b) => ([0x20, 0x09, 0x0a, 0x5c].includes(b) ? Buffer.from(`\\${b.toString(8).padStart(3, '0')}`) : Buffer.from([b]))));
      const line = Buffer.concat([Buffer.from('7 1 0:9 / /m/'), field, Buffer.from(' rw - tmpfs t rw')]).toString('latin1');
      const m = parseMountinfoLine(line, true);
      if (typeof m === 'string') throw new Error(m);
      const exact = m.targetRaw !== undefined ? unescapeBytes(m.targetRaw) : Buffer.from(m.target);
      expect(exact.equals(Buffer.concat([Buffer.from('/m/'), name])), JSON.stringify(m.targetRaw ?? m.target)).toBe(true);
      // Valid UTF-8 needs no raw form; the text always decodes the same bytes.
      const valid = Buffer.from(name.toString('utf8')).equals(name);
      expect(m.targetRaw === undefined).toBe(valid);
      seen.set(name.toString('hex'), m.targetRaw ?? m.target);
    }
    // Distinct bytes never collide in what comes out.
    expect(new Set(seen.values()).size).toBe(seen.size);
  });

  it('reads UTF-8 names as text, as the string parser does', () => {
    const t = Buffer.from('1 0 8:1 / /srv/中文-émoji-🙂\\040x rw - ext4 /dev/sda rw').toString('latin1');
    expect(parseMountinfoLine(t, true)).toMatchObject({ target: '/srv/中文-émoji-🙂 x', fstype: 'ext4', source: '/dev/sda' });
    expect(parseMountinfoBytes(`${t}\n`).mounts[0].targetRaw).toBeUndefined();
  });
});

describe('parseMountinfo with SameLines (the copies of one table in many namespaces)', () => {
  const table = (base: number) =>
    [
      `${base} ${base - 1} 0:40 / /tmp/lab rw,relatime master:2 - tmpfs lab rw`,
      `${base + 1} ${base} 0:40 /src /tmp/lab/m\\040x rw,relatime master:3 propagate_from:1 - tmpfs lab rw`,
      `${base + 2} ${base} 0:41 / /tmp/lab/\xffraw ro - tmpfs lab rw`, // latin1: a byte that is not UTF-8
      '',
    ].join('\n');
  it('gives each copy the mounts a fresh parse gives, ids its own, fields shared with the first copy', () => {
    const seen = new Map();
    const first = parseMountinfoBytes(table(100), undefined, seen).mounts;
    const copy = parseMountinfoBytes(table(500), undefined, seen).mounts;
    expect(copy).toEqual(parseMountinfoBytes(table(500)).mounts);
    expect(copy.map((m) => [m.id, m.parent])).toEqual([
      [500, 499],
      [501, 500],
      [502, 500],
    ]);
    expect(copy[2].targetRaw).toBe('/tmp/lab/\\377raw');
    expect(copy[1].propagation).toBe(first[1].propagation);
    // Each copy's mounts are its own objects: a hidden flag set on one stays there.
    first[0].hidden = true;
    expect(copy[0].hidden).toBe(false);
  });
  it('still refuses a copy whose ids do not parse', () => {
    const seen = new Map();
    parseMountinfo(table(100), undefined, false, seen);
    const bad = parseMountinfo(table(100).replace(/^100 99/, '1x0 99'), undefined, false, seen);
    expect(bad.errors.map((e) => e.reason)).toEqual(['mount id or parent id is not a number']);
    expect(bad.mounts).toHaveLength(2);
  });
});

import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from '../../src/cli-args.js';

describe('parseArgs', () => {
  it('defaults to the TUI on /proc', () => {
    expect(parseArgs([])).toMatchObject({ mode: 'tui', procRoot: '/proc' });
  });
  it('reads the snapshot modes and selections', () => {
    expect(parseArgs(['--json', '--pid', '42'])).toMatchObject({ mode: 'json', pid: 42 });
    expect(parseArgs(['--tree', '--ns=4026531832', '--proc', '/host/proc/'])).toMatchObject({ mode: 'tree', ns: 4026531832, procRoot: '/host/proc' });
    expect(parseArgs(['watch', '--json', '--pid', '1'])).toMatchObject({ mode: 'watch', json: true, pid: 1 });
    expect(parseArgs(['lab'])).toMatchObject({ mode: 'lab' });
    expect(parseArgs(['--readonly', '--no-color', '--pins', '/run/pins'])).toMatchObject({ readonly: true, noColor: true, pins: ['/run/pins'] });
  });
  it.each([
    [['--pid'], /--pid needs a positive number/],
    [['--pid', 'abc'], /--pid needs a positive number/],
    [['--pid', '0'], /positive/],
    [['--ns', '-5'], /positive/],
    [['--json', '--tree'], /exclude/],
    [['--pid', '1', '--ns', '2'], /exclude/],
    [['--frobnicate'], /unknown option/],
    [['stray'], /unexpected argument/],
    [['watch', '--tree'], /--json, not --tree/],
    [['lab', '--json'], /takes no/],
  ])('rejects %j', (argv, msg) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(msg);
  });
  it('help and version win', () => {
    expect(parseArgs(['--json', '--help']).mode).toBe('help');
    expect(parseArgs(['-V']).mode).toBe('version');
  });
});

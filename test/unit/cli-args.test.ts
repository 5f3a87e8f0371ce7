import { describe, expect, it } from 'vitest';
import { OPTION_DOCS } from '../../src/cli-spec.js';
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
    // 3,000,000 s overflowed setTimeout (fires after 1 ms): a hot loop.
    [['--rescan', '3000000'], /from 0.1 to 86400/],
    [['--rescan', '0.01'], /from 0.1 to 86400/],
    [['--journal', '0'], /--journal needs a positive number/],
    [['--journal', '2000000'], /--journal keeps at most 1000000 events/],
    // An option is never taken as another option's value.
    [['--proc', '--json'], /--proc needs a directory/],
    [['--pins', '--tree'], /--pins needs a directory/],
    [['--pid', '--json'], /--pid needs a positive number, got nothing/],
    [['--json=1'], /--json takes no value/],
    [['--help=x'], /--help takes no value/],
    [['--readonly=yes'], /--readonly takes no value/],
    // Split by node:util's parser, judged by ours.
    [['-help'], /unknown option "-help"/],
    [['watch', 'lab'], /unexpected argument "lab"/],
    [['--', 'x'], /unexpected "--"/],
    [['diff', '1'], /diff takes two namespaces/],
    [['diff', '1', '2', '3'], /diff takes two namespaces .*got 3/],
    [['where'], /where takes one PATH, SOURCE or MAJ:MIN, got 0/],
    [['where', '/x', '--tree'], /where takes --json, not --tree/],
    [['diff', '1', '2', '--pid', '3'], /diff takes no --pid or --ns/],
    [['--from'], /--from needs a snapshot file/],
    [['watch', '--from', 'x.json'], /watch follows \/proc live/],
    [['lab', '--from', 'x.json'], /lab makes live namespaces/],
    [['--tree', '-o', 'target,nope'], /-o takes a comma list of TARGET, SOURCE/],
    [['--json', '--list'], /shape --tree/],
    [['--verbose'], /shape --tree/],
  ])('rejects %j', (argv, msg) => {
    expect(() => parseArgs(argv)).toThrow(UsageError);
    expect(() => parseArgs(argv)).toThrow(msg);
  });
  it('reads diff and where with their operands, --from with any mode but watch and lab', () => {
    expect(parseArgs(['diff', '1', 'old.json', '--json'])).toMatchObject({ mode: 'diff', json: true, operands: ['1', 'old.json'] });
    expect(parseArgs(['where', '--json', '/srv/data'])).toMatchObject({ mode: 'where', json: true, operands: ['/srv/data'] });
    expect(parseArgs(['where', '--', '-odd'])).toMatchObject({ mode: 'where', operands: ['-odd'] });
    expect(parseArgs(['--from', '-', '--tree'])).toMatchObject({ mode: 'tree', from: '-' });
    expect(parseArgs(['--from', 's.json'])).toMatchObject({ mode: 'tui', from: 's.json' });
    expect(parseArgs(['diff', 'a.json', 'b.json', '--from', 'c.json'])).toMatchObject({ mode: 'diff', from: 'c.json' });
  });
  it('reads findmnt habits for --tree: -o (any case, in order), --list, --verbose', () => {
    expect(parseArgs(['--tree', '-o', 'target,maj:min,Propagation', '--list', '--verbose'])).toMatchObject({ mode: 'tree', columns: ['TARGET', 'MAJ:MIN', 'PROPAGATION'], list: true, verbose: true });
    expect(parseArgs(['--tree', '--output=source'])).toMatchObject({ columns: ['SOURCE'] });
  });
  it('--osc52 lets the TUI copy; off without it', () => {
    expect(parseArgs([]).osc52).toBe(false);
    expect(parseArgs(['--osc52']).osc52).toBe(true);
  });
  it('a subcommand may follow options, and their values', () => {
    expect(parseArgs(['--proc', '/x', 'watch', '--json'])).toMatchObject({ mode: 'watch', json: true, procRoot: '/x' });
  });
  it('--no-mount-events turns the kernel mount events off (they are on without it), and takes no value', () => {
    expect(parseArgs([]).noMountEvents).toBe(false);
    expect(parseArgs(['watch', '--no-mount-events']).noMountEvents).toBe(true);
    expect(() => parseArgs(['--no-mount-events=1'])).toThrow(/--no-mount-events takes no value/);
  });
  it('takes --journal (events the TUI keeps), 10,000 without it', () => {
    expect(parseArgs([]).journal).toBe(10_000);
    expect(parseArgs(['--journal', '50000']).journal).toBe(50_000);
  });
  it('takes --rescan up to a day', () => {
    expect(parseArgs(['--rescan', '86400']).rescanSeconds).toBe(86400);
    expect(parseArgs(['--rescan=2.5']).rescanSeconds).toBe(2.5);
  });
  it('completion takes one shell and nothing else', () => {
    expect(parseArgs(['completion', 'fish'])).toMatchObject({ mode: 'completion', shell: 'fish' });
    expect(() => parseArgs(['completion'])).toThrow('completion takes one shell: bash, zsh, fish');
    expect(() => parseArgs(['completion', 'tcsh'])).toThrow('completion takes one shell');
    expect(() => parseArgs(['completion', 'bash', '--json'])).toThrow('completion takes no options');
  });
  it('takes every option the one description lists (cli-spec), by its long and its short name', () => {
    for (const o of OPTION_DOCS) {
      const value = o.values === 'pid' || o.values === 'ns' || o.values === 'number' ? '5' : o.values === 'columns' ? 'TARGET' : o.values === 'types' ? 'mount' : '/x';
      const mode = o.long === 'path' || o.long === 'type' ? ['watch'] : o.long === 'output' || o.long === 'list' || o.long === 'verbose' ? ['--tree'] : [];
      for (const name of [`--${o.long}`, ...(o.short ? [`-${o.short}`] : [])]) expect(() => parseArgs([...mode, name, ...(o.arg ? [value] : [])]), name).not.toThrow();
    }
  });
  it('help and version win', () => {
    expect(parseArgs(['--json', '--help']).mode).toBe('help');
    expect(parseArgs(['-V']).mode).toBe('version');
  });
});

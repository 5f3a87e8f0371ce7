/** The mount names of the `hostile` lab scenario (and test/fixtures/mountinfo-hostile.txt, recorded from it), in mount order. */
export const HOSTILE_NAMES = [
  'with space',
  'tab\there',
  'new\nline',
  'back\\slash',
  'dollar$(touch mntns-pwned)',
  'semi;touch mntns-pwned2;',
  'title\x1b]0;pwned\x07',
  'clear\x1b[2J\x1b[Hboom',
  '中文-émoji-🙂',
  'L'.repeat(200),
  '-rf',
  'quote\'double"mix',
];

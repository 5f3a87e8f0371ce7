/**
 * Prints one plain closing line, `vitest: N passed, N failed, N skipped`, so CI
 * logs state the count in a form any reader (human or script) understands.
 */
import type { Reporter, TestModule } from 'vitest/node';

export default class SummaryReporter implements Reporter {
  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    let passed = 0;
    let failed = 0;
    let skipped = 0;
    // Suites skipped for a reason say it in their name ("… [skipped: needs root]"): list them.
    const why = new Map<string, number>();
    const failures: string[] = [];
    for (const m of modules) {
      for (const t of m.children.allTests()) {
        const state = t.result().state;
        if (state === 'passed') passed++;
        else if (state === 'failed') {
          failed++;
          failures.push(`${m.moduleId.replace(/^.*\/test\//, 'test/')} > ${t.fullName}`);
        } else {
          skipped++;
          const suite = t.parent.type === 'suite' ? t.parent.fullName : t.fullName;
          why.set(suite, (why.get(suite) ?? 0) + 1);
        }
      }
      if (m.state() === 'failed' && [...m.children.allTests()].length === 0) failed++; // a file that failed to load
    }
    for (const [suite, n] of why) process.stdout.write(`\nskipped ${n}: ${suite}`);
    for (const f of failures) process.stdout.write(`\nfailed: ${f}`);
    process.stdout.write(`\nvitest: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  }
}

/** The highlight clock: it ticks once when the newest highlight fades, never in a loop of renders. */
import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { describe, expect, it, vi } from 'vitest';
import { HIGHLIGHT_MS, useFadeClock } from '../../src/ui/hooks/use-fade-clock.js';

describe('useFadeClock', () => {
  it('renders a few times while a highlight is on, not in a loop, and ticks when it fades', async () => {
    let renders = 0;
    let last = 0;
    function Probe({ changedAt }: { changedAt: ReadonlyMap<string, number> }) {
      renders++;
      last = useFadeClock(changedAt);
      return <Text>{String(last)}</Text>;
    }
    const ui = render(<Probe changedAt={new Map()} />);
    const start = Date.now();
    ui.rerender(<Probe changedAt={new Map([['ns:1', start]])} />);
    await new Promise((r) => setTimeout(r, 300));
    // The highlight is still on: nothing to draw again until it fades.
    expect(renders).toBeLessThanOrEqual(3);
    // It fades: the clock moves past it, once.
    await vi.waitFor(() => expect(last).toBeGreaterThanOrEqual(start + HIGHLIGHT_MS), { timeout: HIGHLIGHT_MS + 1000 });
    expect(renders).toBeLessThanOrEqual(4);
    ui.unmount();
  });
});

/** Draws the App with Ink on the Terminal's stdout; keys come from the Terminal, never from Ink. */
import { PassThrough } from 'node:stream';
import { render, type Instance } from 'ink';
import { App, type AppProps } from './App.js';
import type { Terminal } from './terminal.js';
import { ColourContext } from './theme.js';

/** Ink gets no terminal input: keys come from the Terminal, which lets go of the tty when others own it. */
const NO_STDIN = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.ReadStream;

export function renderApp(terminal: Terminal, colour: boolean, props: Omit<AppProps, 'keys' | 'suspend' | 'copy'>, osc52 = false): Instance {
  return render(
    <ColourContext.Provider value={colour}>
      <App {...props} keys={terminal} suspend={() => terminal.suspend()} copy={osc52 ? (b) => terminal.copy(b) : undefined} />
    </ColourContext.Provider>,
    // Not incremental: Ink 6.8's incremental writer moves the cursor one line short
    // after a frame that ends in a newline (any frame shorter than the terminal),
    // drawing every later frame one row low — its cursor arithmetic around the
    // trailing newline, as in vadimdemedes/ink#982 and ink#1023.
    // maxFps: Ink's frame limit is a throttle every frame waits on, keys too (at
    // 60, a key pressed 5 ms after a frame waited 12 ms for its slot); the store's
    // changes are paced before they reach React (hooks/use-store-state.ts), so
    // Ink's limit only keeps two keys of one read from drawing twice.
    { stdout: terminal.stdout, stdin: NO_STDIN, exitOnCtrlC: false, patchConsole: false, incrementalRendering: false, maxFps: 500 },
  );
}

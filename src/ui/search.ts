/** The one search matcher of the TUI: the `/` prompt, n/N and the match marks in the mount pane. */

/** Case-insensitive unless the query has a capital letter (smartcase, as in less and vim). */
export function smartcase(text: string): (hay: string) => boolean {
  const sensitive = text !== text.toLowerCase();
  const needle = sensitive ? text : text.toLowerCase();
  return (hay) => (sensitive ? hay : hay.toLowerCase()).includes(needle);
}

/** Text without control characters (C0, DEL, C1): what may go into the prompt. */
export const printable = (text: string): string => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');

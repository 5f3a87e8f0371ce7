/** One event as an NDJSON line, the recording format (`watch --json`, the TUI's `w`): JSON escaping keeps control characters safe. */
export const eventJson = (event: object): string => JSON.stringify(event) + '\n';

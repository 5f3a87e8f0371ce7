/** A process, namespace or procfs asked for that is not there: said in one line, exit 1. */
export class LookupError extends Error {}

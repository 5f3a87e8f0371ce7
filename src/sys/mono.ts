/**
 * CLOCK_MONOTONIC in milliseconds, the same in every thread (performance.now()
 * counts from each thread's own start): the poll thread stamps when it read a
 * mount event, the main thread when a whole read began, and the two are compared.
 */
export const monoMs = (): number => Number(process.hrtime.bigint()) / 1e6;

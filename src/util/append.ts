/**
 * `target.push(...items)` without the spread: a lazy umount of a big tree or a
 * storm can hand over hundreds of thousands of items, past V8's argument limit
 * (a RangeError, "Maximum call stack size exceeded").
 */
export function append<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

/** Waiting with a time budget: a caller on the line does not wait for a slow promise. */

/** The value, or undefined once `ms` have passed (a value that is not a promise comes at once). */
export function withBudget<T>(value: T | Promise<T>, ms: number): Promise<T | undefined> {
  if (!(value instanceof Promise)) return Promise.resolve(value);
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<undefined>((resolve) => {
    timer = setTimeout(() => resolve(undefined), ms);
  });
  return Promise.race([value, late]).finally(() => clearTimeout(timer));
}

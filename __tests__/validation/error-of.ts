/** The message `fn` throws; fails the test with `accepted` when it throws nothing. */
export function errorOf(fn: () => unknown, accepted = "no error"): string {
  try {
    fn();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error(accepted);
}

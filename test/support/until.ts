/**
 * Polls `check` until it holds, every `everyMs`; past `ms` it throws, naming `what` (and what
 * `detail` says of the state then). Returns how long it took, for tests that compare waits.
 */
export async function until(
  check: () => boolean | Promise<boolean>,
  what: string,
  ms = 30_000,
  options: { everyMs?: number; detail?: () => Promise<string> } = {},
): Promise<number> {
  const started = performance.now();
  while (!(await check())) {
    if (performance.now() - started > ms) {
      const detail = options.detail ? `: ${await options.detail()}` : '';
      throw new Error(`timed out waiting for ${what}${detail}`);
    }
    await new Promise((r) => setTimeout(r, options.everyMs ?? 25));
  }
  return performance.now() - started;
}

/**
 * What the app under test logs (in-process instances and spawned processes) is kept here, not
 * printed: `log-capture.setup.ts` shows it for a failing test only. Outside the test runner (a
 * benchmark) every line is printed as it comes.
 */
const MAX_LINES = 5_000;
const captured: string[] = [];
const inTestRunner = Boolean(process.env.VITEST);

export function captureLogLine(source: string, line: string): void {
  if (!inTestRunner) {
    process.stderr.write(`[${source}] ${line}\n`);
    return;
  }
  captured.push(`[${source}] ${line}`);
  if (captured.length > MAX_LINES) captured.splice(0, captured.length - MAX_LINES);
}

/** The lines kept so far, emptied. */
export function takeCapturedLines(): string[] {
  return captured.splice(0);
}

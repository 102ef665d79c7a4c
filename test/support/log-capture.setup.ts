/**
 * Registered for every test file (vitest `setupFiles`): the app's log lines a test produced are
 * printed only when that test fails, so a passing suite's output is the runner's own.
 */
import { afterEach } from 'vitest';
import { takeCapturedLines } from './captured-log.js';

// A test's lines, and its file's setup before the first test, go with that test.
afterEach(({ task }) => {
  const lines = takeCapturedLines();
  if (task.result?.state === 'fail' && lines.length > 0)
    console.log(`--- what the app logged up to this failure (${lines.length} lines) ---\n${lines.join('\n')}`);
});

/**
 * One CSV cell, quoted when needed. Text that a spreadsheet would run as a formula (=, @, or + and -
 * not followed by a plain number such as a phone) gets a leading apostrophe: exports and error
 * reports carry text from outside, and opening one must never execute it.
 */
export function csvCell(value: string | number | null): string {
  if (value === null) return '';
  let s = String(value);
  if (/^[=@\t\r]/.test(s) || /^[+-](?![\d\s().-]*$)/.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

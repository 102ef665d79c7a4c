/** Text in parts of at most `max` characters, cut between lines where it can be (a longer line is cut). */
export function splitLines(text: string, max: number): string[] {
  const parts: string[] = [];
  let part = '';
  for (const line of text.split('\n')) {
    const next = part ? `${part}\n${line}` : line;
    if (next.length <= max) {
      part = next;
      continue;
    }
    if (part) parts.push(part);
    part = line.length > max ? line.slice(0, max) : line;
  }
  if (part || parts.length === 0) parts.push(part);
  return parts;
}

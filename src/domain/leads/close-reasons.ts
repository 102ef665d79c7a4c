import type { CloseReason, TeamPolicy } from './lead.js';

/** Used when a team lists no reasons of its own; their names in each language are in the catalog. */
export const DEFAULT_CLOSE_REASONS: readonly CloseReason[] = [
  { key: 'no_budget', as: 'lost', labels: [] },
  { key: 'competitor', as: 'lost', labels: [] },
  { key: 'unreachable', as: 'lost', labels: [] },
  { key: 'no_need', as: 'lost', labels: [] },
  { key: 'bad_timing', as: 'lost', labels: [] },
  { key: 'other', as: 'lost', labels: [] },
  { key: 'spam', as: 'invalid', labels: [] },
  { key: 'test', as: 'invalid', labels: [] },
  { key: 'wrong_number', as: 'invalid', labels: [] },
];

export function closeReasonsOf(team: TeamPolicy): readonly CloseReason[] {
  return team.closeReasons ?? DEFAULT_CLOSE_REASONS;
}

/** The reason a person typed at the start of `text` ("competitor went with Acme", "没预算 明年再说"), and the rest. */
export function matchCloseReason(
  reasons: readonly CloseReason[],
  text: string,
  aliasesOf: (key: string) => readonly string[] = () => [],
): { reason: CloseReason; note: string } | null {
  const typed = text.trim().toLocaleLowerCase();
  let best: { reason: CloseReason; length: number } | null = null;
  for (const reason of reasons) {
    const words = [reason.key, reason.key.replace(/_/g, ' '), ...reason.labels, ...aliasesOf(reason.key)];
    for (const word of words.map((w) => w.trim().toLocaleLowerCase()).filter(Boolean)) {
      if (!typed.startsWith(word) || !endsWord(typed, word.length)) continue;
      if (!best || word.length > best.length) best = { reason, length: word.length };
    }
  }
  if (!best) return null;
  const note = text
    .trim()
    .slice(best.length)
    .replace(/^[\s:：,，;；.。-]+/, '');
  return { reason: best.reason, note };
}

/** A match must end at a word boundary, except in scripts written without spaces. */
function endsWord(text: string, at: number): boolean {
  const next = text.charAt(at);
  const last = text.charAt(at - 1);
  return next === '' || /[\s:：,，;；.。-]/.test(next) || /[\u3000-\u9fff]/.test(last);
}

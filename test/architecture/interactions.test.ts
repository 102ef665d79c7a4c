import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ACTION_IDS, FORM_ACTIONS, VIEW_IDS } from '../../src/messengers/shared/action-ids.js';
import { INTERACTIONS, SLACK_VIEWS } from '../../src/messengers/shared/interactions.js';

const MESSENGERS = join(import.meta.dirname, '../../src/messengers');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

describe('one interaction table for every messenger', () => {
  it('defines every button and every form submission exactly once', () => {
    const ids = [...Object.values(ACTION_IDS), ...Object.values(FORM_ACTIONS)].sort();
    expect([...INTERACTIONS.keys()].sort()).toEqual(ids);
    // Every Slack modal but the new-lead shortcut's own id is a form's submission in the table.
    const modals = Object.values(VIEW_IDS).filter((id) => id !== VIEW_IDS.newLeadShortcut);
    expect([...SLACK_VIEWS.keys()].sort()).toEqual(modals.sort());
    for (const row of SLACK_VIEWS.values()) expect(Object.values(FORM_ACTIONS)).toContain(row.id);
  });

  it('names no button or form id outside the shared ids, so no adapter can route one of its own', () => {
    // An id written out in an adapter (a Lark `value.action`, a Slack `action_id`) would bypass the table.
    const ids = [...Object.values(ACTION_IDS), ...Object.values(FORM_ACTIONS), ...Object.values(VIEW_IDS)];
    const literal = new RegExp(`['"\`](${ids.map((id) => id.replaceAll('.', '\\.')).join('|')})['"\`]`);
    const offenders = sourceFiles(MESSENGERS)
      .map((path) => ({ path: relative(MESSENGERS, path), text: readFileSync(path, 'utf8') }))
      .filter((f) => f.path !== join('shared', 'action-ids.ts') && literal.test(f.text))
      .map((f) => f.path);
    expect(offenders).toEqual([]);
  });

  it.each([
    ['Lark', 'lark/handlers/card-actions.ts'],
    ['the playground (web)', 'web/clicks.ts'],
  ])('routes every %s click through the table: the handler compares no action itself', (_, path) => {
    const handler = readFileSync(join(MESSENGERS, path), 'utf8');
    expect(handler).toContain('runInteraction(deps, INTERACTIONS');
    expect(handler).not.toMatch(/ACTION_IDS|FORM_ACTIONS|\.action ===|interaction ===/);
  });
});

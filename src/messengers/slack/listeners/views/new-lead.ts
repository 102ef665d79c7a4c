import type { App } from '@slack/bolt';
import { z } from 'zod';
import { validateLead } from '../../../../domain/intake/validate-lead.js';
import { t } from '../../../../i18n/catalog.js';
import { formProblems, presentFieldProblems } from '../../../../i18n/field-problems.js';
import { errorFields } from '../../../../infra/logger.js';
import { VIEW_IDS } from '../../../shared/action-ids.js';
import { presentError } from '../../../shared/presenters/error.presenter.js';
import { presentNewLeadForm } from '../../../shared/presenters/new-lead-form.presenter.js';
import { submitFormLead } from '../../../shared/submit-form-lead.js';
import { slackIdentity } from '../../identity.js';
import { buildNewLeadModal, buildResultModal, INPUT_ACTION } from '../../views/new-lead-modal.blocks.js';
import { textMessage } from '../../views/slack-text.js';
import type { SlackListenerDeps } from '../deps.js';

/** Opens the form; call it right after ack(), before anything slow: trigger_id lasts 3 s. */
export async function openNewLeadModal(
  deps: SlackListenerDeps,
  client: App['client'],
  triggerId: string,
  userId: string,
): Promise<string | null> {
  const locale = deps.directory.localeOf(userId);
  const teams = deps.directory.teamsOf(userId);
  if (teams.length === 0) return t(locale, 'modal.no_team');
  await client.views.open({
    trigger_id: triggerId,
    view: buildNewLeadModal(presentNewLeadForm(teams, deps.sources, locale)),
  });
  return null;
}

const stateSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.object({ value: z.string().nullish(), selected_option: z.object({ value: z.string() }).nullish() }),
  ),
);
const metadataSchema = z.object({ team: z.string().nullable() });

/** The modal's state → intake input; empty inputs are left out. */
function formInput(values: unknown, metadata: string): Record<string, string> | null {
  const state = stateSchema.safeParse(values);
  let meta: unknown;
  try {
    meta = JSON.parse(metadata || '{}');
  } catch {
    return null;
  }
  const parsedMeta = metadataSchema.safeParse(meta);
  if (!state.success || !parsedMeta.success) return null;
  const input: Record<string, string> = {};
  for (const [field, actions] of Object.entries(state.data)) {
    const action = actions[INPUT_ACTION];
    const value = action?.selected_option?.value ?? action?.value ?? '';
    if (value.trim() !== '') input[field] = value;
  }
  if (parsedMeta.data.team) input.team = parsedMeta.data.team;
  return input;
}

export function registerNewLeadModal(app: App, deps: SlackListenerDeps): void {
  app.shortcut(VIEW_IDS.newLeadShortcut, async ({ ack, shortcut, client }) => {
    await ack();
    const refused = await openNewLeadModal(deps, client, shortcut.trigger_id, shortcut.user.id);
    if (refused) await client.chat.postMessage({ channel: shortcut.user.id, ...textMessage(refused) });
  });

  // Validation, de-duplication and the write all finish well inside Slack's 3 s, so the answer
  // (field errors, or the outcome) goes back in the acknowledgement itself.
  app.view(VIEW_IDS.newLeadModal, async ({ ack, body, view }) => {
    const userId = body.user.id;
    const locale = deps.directory.localeOf(userId);
    const input = formInput(view.state.values, view.private_metadata);
    if (!input) {
      deps.log.warn('new-lead modal with malformed state ignored', { view: view.id });
      await ack({ response_action: 'errors', errors: { name: t(locale, 'modal.malformed') } });
      return;
    }
    const checked = validateLead(input, deps.teams, deps.sources);
    const problems = checked.ok ? formProblems(checked.lead.warnings) : checked.problems;
    if (!checked.ok || problems.length > 0) {
      const blocks = new Set(view.blocks.map((b) => b.block_id));
      const errors: Record<string, string> = {};
      for (const [field, messages] of Object.entries(presentFieldProblems(problems, locale))) {
        const block = blocks.has(field) ? field : 'name';
        errors[block] = [errors[block], ...messages].filter(Boolean).join('; ');
      }
      await ack({ response_action: 'errors', errors });
      return;
    }
    try {
      // The view id keys the submission: a retried delivery replays instead of adding twice.
      const actor = slackIdentity(userId, body.team?.id ?? body.user.team_id);
      const text = await submitFormLead(deps, { lead: checked.lead, actor, submissionKey: view.id }, locale);
      await ack({
        response_action: 'update',
        view: buildResultModal(t(locale, 'modal.title'), t(locale, 'modal.close'), text),
      });
    } catch (error) {
      const shown = presentError(error, locale);
      if (!shown.expected) deps.log.error('new lead from Slack failed', errorFields(error));
      await ack({ response_action: 'errors', errors: { name: shown.text } });
    }
  });
}

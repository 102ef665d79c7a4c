import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { followUpTarget } from '../../../../domain/follow-ups/log-follow-up.js';
import { t } from '../../../../i18n/catalog.js';
import { errorFields } from '../../../../infra/logger.js';
import { ACTION_IDS, leadIdValue, VIEW_IDS } from '../../../shared/action-ids.js';
import { followUpValues, submitFollowUpForm } from '../../../shared/follow-up-form.js';
import { presentError } from '../../../shared/presenters/error.presenter.js';
import { presentFollowUpForm } from '../../../shared/presenters/follow-up-form.presenter.js';
import { slackIdentity } from '../../identity.js';
import { buildFollowUpModal } from '../../views/follow-up-modal.blocks.js';
import { buildResultModal, INPUT_ACTION } from '../../views/new-lead-modal.blocks.js';
import type { SlackListenerDeps } from '../deps.js';

const stateSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.object({ value: z.string().nullish(), selected_option: z.object({ value: z.string() }).nullish() }),
  ),
);
const metadataSchema = z.object({ lead: leadIdValue.or(z.number().int().positive()) });

/** The lead a modal is about, from its private_metadata; null when it is missing or forged. */
export function leadOfMetadata(metadata: string): number | null {
  try {
    const parsed = metadataSchema.safeParse(JSON.parse(metadata || '{}'));
    return parsed.success ? Number(parsed.data.lead) : null;
  } catch {
    return null;
  }
}

/**
 * "Log follow-up" (on the lead card, the reminder DM and the home tab) opens the form for a lead the
 * person may log on; anyone else gets the reason in a small modal. The form's answer, or its field
 * errors, come back in the submission's acknowledgement.
 */
export function registerFollowUpForm(app: App, deps: SlackListenerDeps): void {
  app.action<BlockButtonAction>(ACTION_IDS.openFollowUp, async ({ ack, body, action, client }) => {
    await ack();
    const leadId = leadIdValue.safeParse(action.value);
    const locale = deps.directory.localeOf(body.user.id);
    if (!leadId.success) {
      deps.log.warn('follow-up button with malformed value ignored');
      return;
    }
    const actor = slackIdentity(body.user.id, body.team?.id ?? body.user.team_id);
    let view: ReturnType<typeof buildFollowUpModal>;
    try {
      const lead = await followUpTarget(deps, { leadId: leadId.data, actor });
      view = buildFollowUpModal(presentFollowUpForm(lead, locale));
    } catch (error) {
      const shown = presentError(error, locale);
      if (!shown.expected) deps.log.error('opening the follow-up form failed', errorFields(error));
      view = buildResultModal(t(locale, 'follow_up_form.title'), t(locale, 'modal.close'), shown.text);
    }
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.view(VIEW_IDS.followUpModal, async ({ ack, body, view }) => {
    const locale = deps.directory.localeOf(body.user.id);
    const state = stateSchema.safeParse(view.state.values);
    const leadId = leadOfMetadata(view.private_metadata);
    if (!state.success || leadId === null) {
      deps.log.warn('follow-up modal with malformed state ignored', { view: view.id });
      await ack({ response_action: 'errors', errors: { method: t(locale, 'modal.malformed') } });
      return;
    }
    const raw = Object.fromEntries(
      Object.entries(state.data).map(([field, actions]) => {
        const input = actions[INPUT_ACTION];
        return [field, input?.selected_option?.value ?? input?.value ?? ''];
      }),
    );
    const actor = slackIdentity(body.user.id, body.team?.id ?? body.user.team_id);
    // The view id keys the submission: a retried delivery of the same submit changes nothing more.
    const result = await submitFollowUpForm(
      deps,
      { leadId, actor, values: followUpValues(raw), requestId: `slack-view:${view.id}` },
      locale,
    );
    if (!result.ok) {
      if (result.unexpected) deps.log.error('follow-up from the Slack form failed', { leadId });
      await ack({ response_action: 'errors', errors: result.errors });
      return;
    }
    await ack({
      response_action: 'update',
      view: buildResultModal(t(locale, 'follow_up_form.title'), t(locale, 'modal.close'), result.text),
    });
  });
}

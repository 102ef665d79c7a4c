import type { App, BlockButtonAction } from '@slack/bolt';
import { z } from 'zod';
import { formatLeadRef, type Locale } from '../../../domain/leads/lead.js';
import { funnelReport } from '../../../domain/reports/funnel.js';
import { t } from '../../../i18n/catalog.js';
import { errorFields } from '../../../infra/logger.js';
import { ACTION_IDS, leadIdValue } from '../../shared/action-ids.js';
import { homeFor } from '../../shared/home.js';
import { LEAD_FORMS, type LeadForm, openLeadForm, submitLeadForm } from '../../shared/lead-forms.js';
import { presentError } from '../../shared/presenters/error.presenter.js';
import { presentFunnel } from '../../shared/presenters/funnel.presenter.js';
import { presentShown } from '../../shared/show-lead.js';
import { slackIdentity } from '../identity.js';
import { buildHomeView } from '../views/home.blocks.js';
import { buildOneFieldModal, buildResultModal, INPUT_ACTION } from '../views/new-lead-modal.blocks.js';
import type { SlackListenerDeps } from './deps.js';
import { leadOfMetadata } from './views/follow-up.js';

export const HOME_EVENT = 'app_home_opened';

/**
 * The App Home tab: published when the person opens it (and by the outbox after each change to
 * their desk, see the notifier). Its buttons open a lead's details or a release form.
 */
export function registerHome(app: App, deps: SlackListenerDeps): void {
  app.event(HOME_EVENT, async ({ event, body, client }) => {
    if (event.tab !== 'home') return;
    const who = slackIdentity(event.user, body.team_id);
    const view = buildHomeView(
      await homeFor(deps, who, deps.directory.localeOf(event.user), deps.directory.timeZoneOf(event.user)),
    );
    await client.views.publish({ user_id: event.user, view });
  });

  app.action<BlockButtonAction>(ACTION_IDS.showLead, async ({ ack, body, action, client }) => {
    await ack();
    const leadId = leadIdValue.safeParse(action.value);
    if (!leadId.success) return staleButton(deps, client, body, ACTION_IDS.showLead);
    await openTextModal(deps, client, body, formatLeadRef(leadId.data), 'showing a lead failed', (who, locale) =>
      presentShown(deps, who, leadId.data, locale, deps.directory.timeZoneOf(body.user.id)),
    );
  });

  // "Open the funnel" on a digest: this week's funnel of the team, for whoever may see it.
  app.action<BlockButtonAction>(ACTION_IDS.openFunnel, async ({ ack, body, action, client }) => {
    await ack();
    const team = TEAM_ID.safeParse(action.value);
    if (!team.success) return staleButton(deps, client, body, ACTION_IDS.openFunnel);
    const title = t(deps.directory.localeOf(body.user.id), 'digest.open_funnel');
    await openTextModal(deps, client, body, title, 'opening the funnel failed', async (who, locale) =>
      presentFunnel(await funnelReport(deps, { actor: who, team: team.data, period: 'this week' }), locale),
    );
  });

  for (const form of LEAD_FORMS) registerLeadForm(app, deps, form);
}

/** A one-field form about a lead (see LEAD_FORMS): its button opens the modal, its submission runs it. */
function registerLeadForm(app: App, deps: SlackListenerDeps, form: LeadForm): void {
  app.action<BlockButtonAction>(form.opensWith, async ({ ack, body, action, client }) => {
    await ack();
    const locale = deps.directory.localeOf(body.user.id);
    const close = t(locale, 'modal.close');
    const leadId = leadIdValue.safeParse(action.value);
    if (!leadId.success) return staleButton(deps, client, body, form.opensWith);
    const actor = slackIdentity(body.user.id, body.team?.id ?? body.user.team_id);
    const opening = await openLeadForm(deps, form, { leadId: leadId.data, actor }, locale);
    const view = opening.ok
      ? buildOneFieldModal({ callbackId: form.slackView, ...opening.view, close, leadId: leadId.data })
      : buildResultModal(opening.title, close, opening.text);
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.view(form.slackView, async ({ ack, body, view }) => {
    const locale = deps.directory.localeOf(body.user.id);
    const leadId = leadOfMetadata(view.private_metadata);
    const field = oneFieldState.safeParse(view.state.values[form.field]?.[INPUT_ACTION]);
    if (leadId === null || !field.success) {
      await ack({ response_action: 'errors', errors: { [form.field]: t(locale, 'modal.malformed') } });
      return;
    }
    const actor = slackIdentity(body.user.id, body.team?.id ?? body.user.team_id);
    const value = field.data.value ?? field.data.selected_option?.value;
    const answer = await submitLeadForm(
      deps,
      form,
      { leadId, actor, requestId: `slack-view:${view.id}`, value },
      locale,
    );
    if (answer.ok)
      await ack({
        response_action: 'update',
        view: buildResultModal(answer.title, t(locale, 'modal.close'), answer.text),
      });
    else await ack({ response_action: 'errors', errors: { [answer.field]: answer.error } });
  });
}

/** The one input of a one-field modal: a text's value or a select's chosen option. */
const oneFieldState = z.object({
  value: z.string().nullish(),
  selected_option: z.object({ value: z.string() }).nullish(),
});

const TEAM_ID = z.string().regex(/^[a-z0-9-]{1,64}$/);

/** A button whose value is not ours (forged, or from an old view): said to the person, and logged. */
async function staleButton(
  deps: SlackListenerDeps,
  client: App['client'],
  body: BlockButtonAction,
  actionId: string,
): Promise<void> {
  deps.log.warn('Slack button with a malformed value ignored', { actionId });
  const locale = deps.directory.localeOf(body.user.id);
  const view = buildResultModal(
    t(locale, 'modal.stale_title'),
    t(locale, 'modal.close'),
    t(locale, 'toast.stale_button'),
  );
  await client.views.open({ trigger_id: body.trigger_id, view });
}

/** A read-only answer to a button (a lead's details, a funnel) in a modal; a refusal shows its reason there. */
async function openTextModal(
  deps: SlackListenerDeps,
  client: App['client'],
  body: BlockButtonAction,
  title: string,
  failure: string,
  produce: (who: ReturnType<typeof slackIdentity>, locale: Locale) => Promise<string>,
): Promise<void> {
  const locale = deps.directory.localeOf(body.user.id);
  const who = slackIdentity(body.user.id, body.team?.id ?? body.user.team_id);
  let answer: string;
  try {
    answer = await produce(who, locale);
  } catch (error) {
    const shown = presentError(error, locale, deps.directory.timeZoneOf(body.user.id));
    if (!shown.expected) deps.log.error(failure, errorFields(error));
    answer = shown.text;
  }
  await client.views.open({
    trigger_id: body.trigger_id,
    view: buildResultModal(title, t(locale, 'modal.close'), answer),
  });
}

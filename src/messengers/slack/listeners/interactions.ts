import type { App, BlockButtonAction, RespondFn, SlackViewMiddlewareArgs, ViewSubmitAction } from '@slack/bolt';
import { z } from 'zod';
import { t } from '../../../i18n/catalog.js';
import { errorFields } from '../../../infra/logger.js';
import { type Click, type Interaction, type Reply, runInteraction } from '../../shared/interaction.js';
import { INTERACTIONS } from '../../shared/interactions.js';
import { cardShowing } from '../../shared/lead-card-showing.js';
import { slackIdentity } from '../identity.js';
import { SLACK_CARDS } from '../lead-cards.js';
import { buildFormModal, buildResultModal, formErrors, INPUT_ACTION } from '../views/form-modal.blocks.js';
import { type SlackMessage, textMessage } from '../views/slack-text.js';
import type { SlackListenerDeps } from './deps.js';

/**
 * Every button and modal of the shared table (INTERACTIONS), as Slack delivers them: each request
 * becomes a neutral click, and its reply is drawn the Slack way.
 */
export function registerInteractions(app: App, deps: SlackListenerDeps): void {
  for (const row of INTERACTIONS.values()) {
    if (row.slackView) app.view<ViewSubmitAction>(row.slackView, (args) => onSubmission(deps, row, args));
    else app.action<BlockButtonAction>(row.id, (args) => onButton(deps, row, args));
  }
}

type ButtonArgs = {
  ack: () => Promise<void>;
  body: BlockButtonAction;
  action: { value?: string };
  respond: RespondFn;
  client: App['client'];
};

function clickOf(deps: SlackListenerDeps, row: Interaction, userId: string, workspaceId: string | undefined) {
  return {
    interaction: row.id,
    // An org-wide install sends no team: the user's own workspace stands in.
    actor: slackIdentity(userId, workspaceId),
    reader: { locale: deps.directory.localeOf(userId), timeZone: deps.directory.timeZoneOf(userId) },
  };
}

/**
 * A button: acknowledged at once, then run. Its answer replaces the message clicked through the
 * click's response URL (a claim's does so before the clicks queued behind it are answered); a
 * refusal is a private line beside it, or a modal for a button that opens one.
 */
async function onButton(deps: SlackListenerDeps, row: Interaction, { ack, body, action, respond, client }: ButtonArgs) {
  await ack();
  const draw = (reply: Reply) => drawButtonReply(deps, row, { body, respond, client }, reply);
  const click: Click = {
    ...clickOf(deps, row, body.user.id, body.team?.id ?? body.user.team_id),
    subject: { [row.carries]: action.value },
    form: {},
    // Only a click on a message carries a response URL to replace that message through.
    ...(body.response_url ? { replyNow: draw } : {}),
  };
  await draw(await runInteraction(deps, INTERACTIONS, click));
}

async function drawButtonReply(
  deps: SlackListenerDeps,
  row: Interaction,
  { body, respond, client }: Pick<ButtonArgs, 'body' | 'respond' | 'client'>,
  reply: Reply,
): Promise<void> {
  const close = t(deps.directory.localeOf(body.user.id), 'modal.close');
  const openModal = async (view: Parameters<App['client']['views']['open']>[0]['view']) =>
    void (await client.views.open({ trigger_id: body.trigger_id, view }));
  const toPerson = async (message: SlackMessage) =>
    void (await client.chat.postMessage({ channel: body.user.id, ...message }));
  switch (reply.kind) {
    case 'notice': {
      if (row.answersIn === 'view') return openModal(buildResultModal(reply.title, close, reply.text));
      const channel = body.channel?.id;
      if (!channel) return toPerson(textMessage(reply.text));
      // A channel the bot cannot post in (another workspace's, through a shared channel): the
      // click's own response URL still reaches the person, privately.
      await client.chat
        .postEphemeral({ channel, user: body.user.id, ...textMessage(reply.text) })
        .catch(async (error) => {
          if (!body.response_url) throw error;
          await respond({ response_type: 'ephemeral', replace_original: false, ...textMessage(reply.text) });
        });
      return;
    }
    case 'replace':
      // A click in a view (the Home tab, a modal) has no message to replace: the answer goes to the DM.
      if (!body.response_url) return toPerson(textMessage(reply.text));
      await respond({ replace_original: true, ...textMessage(reply.text) });
      return;
    case 'lead_card':
      return replaceClickedCard(deps, reply, body.response_url ? respond : undefined);
    case 'form':
      return openModal(buildFormModal(reply.form));
    case 'view':
      return openModal(buildResultModal(reply.title, close, reply.text));
    case 'answered':
      return;
  }
}

/** The claimed card, redrawn through the click; if that fails the outbox's edit still comes. */
async function replaceClickedCard(
  deps: SlackListenerDeps,
  { leadId, data }: Extract<Reply, { kind: 'lead_card' }>,
  respond: RespondFn | undefined,
) {
  if (!respond) return;
  try {
    const card = await cardShowing(deps, SLACK_CARDS, leadId, data);
    if (card) await respond({ replace_original: true, ...card });
  } catch (error) {
    deps.log.warn('claimed card not replaced through the click; the outbox edit follows', {
      leadId,
      ...errorFields(error),
    });
  }
}

const stateSchema = z.record(
  z.string(),
  z.record(
    z.string(),
    z.object({ value: z.string().nullish(), selected_option: z.object({ value: z.string() }).nullish() }),
  ),
);

/** A modal's inputs by block id: a text's value or a select's chosen option; null when damaged. */
function formValues(values: unknown): Record<string, string> | null {
  const state = stateSchema.safeParse(values);
  if (!state.success) return null;
  return Object.fromEntries(
    Object.entries(state.data).map(([field, actions]) => {
      const input = actions[INPUT_ACTION];
      return [field, input?.selected_option?.value ?? input?.value ?? ''];
    }),
  );
}

function metadataOf(metadata: string): unknown {
  try {
    return JSON.parse(metadata || '{}');
  } catch {
    return null;
  }
}

/**
 * A modal's submission: everything finishes well inside Slack's 3 s, so the answer (the modal
 * updated to the outcome, or each problem under its field) goes back in the acknowledgement.
 */
async function onSubmission(
  deps: SlackListenerDeps,
  row: Interaction,
  { ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction>,
): Promise<void> {
  const who = clickOf(deps, row, body.user.id, body.team?.id ?? body.user.team_id);
  const firstInput = view.blocks.find((b) => b.type === 'input')?.block_id ?? 'name';
  const form = formValues(view.state.values);
  if (!form) {
    deps.log.warn('modal with a malformed value ignored', { view: row.slackView });
    return ack({ response_action: 'errors', errors: { [firstInput]: t(who.reader.locale, 'modal.malformed') } });
  }
  const click: Click = {
    ...who,
    subject: metadataOf(view.private_metadata),
    form,
    // The view id keys the submission: a retried delivery of the same submit changes nothing more.
    requestId: `slack-view:${view.id}`,
    formId: view.id,
  };
  const reply = await runInteraction(deps, INTERACTIONS, click);
  const close = t(click.reader.locale, 'modal.close');
  switch (reply.kind) {
    case 'replace':
    case 'view':
      return ack({ response_action: 'update', view: buildResultModal(reply.title, close, reply.text) });
    case 'form':
      return ack({ response_action: 'errors', errors: formErrors(reply.form) });
    case 'notice':
      return ack({ response_action: 'errors', errors: { [firstInput]: reply.text } });
    default:
      return ack();
  }
}

import type {
  AllMiddlewareArgs,
  App,
  BlockButtonAction,
  SlackActionMiddlewareArgs,
  SlackViewMiddlewareArgs,
  ViewSubmitAction,
} from '@slack/bolt';
import { z } from 'zod';
import { formatLeadRef, type Locale } from '../../../domain/leads/lead.js';
import { assignableMembers, assignLead, releaseLead } from '../../../domain/leads/work-lead.js';
import type { Identity } from '../../../domain/members/identity.js';
import { funnelReport } from '../../../domain/reports/funnel.js';
import { requestExtension } from '../../../domain/sla/extensions.js';
import { t } from '../../../i18n/catalog.js';
import { errorFields } from '../../../infra/logger.js';
import { ACTION_IDS, leadIdValue, VIEW_IDS } from '../../shared/action-ids.js';
import { homeFor } from '../../shared/home.js';
import { presentWorked } from '../../shared/presenters/command-reply.presenter.js';
import { presentError } from '../../shared/presenters/error.presenter.js';
import { presentFunnel } from '../../shared/presenters/funnel.presenter.js';
import { REASON_FORMS, type ReasonFormKind } from '../../shared/reason-forms.js';
import { presentShown } from '../../shared/show-lead.js';
import { slackIdentity } from '../identity.js';
import { buildHomeView } from '../views/home.blocks.js';
import { buildOneFieldModal, buildResultModal, INPUT_ACTION } from '../views/new-lead-modal.blocks.js';
import type { SlackListenerDeps } from './deps.js';
import { leadOfMetadata } from './views/follow-up.js';

export const HOME_EVENT = 'app_home_opened';

const reasonState = z.object({
  reason: z.object({ [INPUT_ACTION]: z.object({ value: z.string().nullish() }) }),
});

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
    if (!leadId.success) return;
    await openTextModal(deps, client, body, formatLeadRef(leadId.data), 'showing a lead failed', (who, locale) =>
      presentShown(deps, who, leadId.data, locale, deps.directory.timeZoneOf(body.user.id)),
    );
  });

  // "Open the funnel" on a digest: this week's funnel of the team, for whoever may see it.
  app.action<BlockButtonAction>(ACTION_IDS.openFunnel, async ({ ack, body, action, client }) => {
    await ack();
    const team = TEAM_ID.safeParse(action.value);
    if (!team.success) return;
    const title = t(deps.directory.localeOf(body.user.id), 'digest.open_funnel');
    await openTextModal(deps, client, body, title, 'opening the funnel failed', async (who, locale) =>
      presentFunnel(await funnelReport(deps, { actor: who, team: team.data, period: 'this week' }), locale),
    );
  });

  // "Release" and "Ask for more time": a form asks why.
  const openReasonModal =
    (kind: ReasonFormKind, callbackId: string) =>
    async ({ ack, body, action, client }: SlackActionMiddlewareArgs<BlockButtonAction> & AllMiddlewareArgs) => {
      await ack();
      const locale = deps.directory.localeOf(body.user.id);
      const leadId = leadIdValue.safeParse(action.value);
      if (!leadId.success) return;
      const texts = REASON_FORMS[kind];
      await client.views.open({
        trigger_id: body.trigger_id,
        view: buildOneFieldModal({
          callbackId,
          title: t(locale, texts.title),
          about: formatLeadRef(leadId.data),
          field: { id: 'reason', label: t(locale, texts.reason), kind: 'long_text', optional: false },
          submit: t(locale, texts.submit),
          close: t(locale, 'modal.close'),
          leadId: leadId.data,
        }),
      });
    };
  app.action<BlockButtonAction>(ACTION_IDS.openRelease, openReasonModal('release', VIEW_IDS.releaseModal));
  app.action<BlockButtonAction>(ACTION_IDS.openExtension, openReasonModal('extension', VIEW_IDS.extensionModal));

  // "Reassign" on a digest: a manager picks who takes the lead over.
  app.action<BlockButtonAction>(ACTION_IDS.openAssign, async ({ ack, body, action, client }) => {
    await ack();
    const locale = deps.directory.localeOf(body.user.id);
    const leadId = leadIdValue.safeParse(action.value);
    if (!leadId.success) return;
    const who = slackIdentity(body.user.id, body.team?.id ?? body.user.team_id);
    const title = t(locale, 'assign_form.title');
    const close = t(locale, 'modal.close');
    let members: Awaited<ReturnType<typeof assignableMembers>>;
    try {
      members = await assignableMembers(deps, { leadId: leadId.data, actor: who });
    } catch (error) {
      const shown = presentError(error, locale);
      if (!shown.expected) deps.log.error('opening the reassign form failed', errorFields(error));
      await client.views.open({ trigger_id: body.trigger_id, view: buildResultModal(title, close, shown.text) });
      return;
    }
    const view =
      members.length === 0
        ? buildResultModal(title, close, t(locale, 'assign_form.nobody'))
        : buildOneFieldModal({
            callbackId: VIEW_IDS.assignModal,
            title,
            about: formatLeadRef(leadId.data),
            field: {
              id: 'member',
              label: t(locale, 'assign_form.member'),
              kind: 'select',
              optional: false,
              options: members.map((m) => ({ value: m.id, label: m.displayName })),
            },
            submit: t(locale, 'assign_form.submit'),
            close,
            leadId: leadId.data,
          });
    await client.views.open({ trigger_id: body.trigger_id, view });
  });

  app.view(VIEW_IDS.assignModal, async ({ ack, body, view }) => {
    const locale = deps.directory.localeOf(body.user.id);
    const chosen = z
      .object({
        member: z.object({ [INPUT_ACTION]: z.object({ selected_option: z.object({ value: z.uuid() }).nullish() }) }),
      })
      .safeParse(view.state.values);
    const leadId = leadOfMetadata(view.private_metadata);
    const memberId = chosen.success ? chosen.data.member[INPUT_ACTION].selected_option?.value : undefined;
    if (!memberId || leadId === null) {
      await ack({ response_action: 'errors', errors: { member: t(locale, 'modal.malformed') } });
      return;
    }
    const who = slackIdentity(body.user.id, body.team?.id ?? body.user.team_id);
    try {
      const worked = await assignLead(deps, { leadId, actor: who, requestId: `slack-view:${view.id}` }, { memberId });
      const assigneeName = worked.assignee?.displayName ?? '?';
      const timeZone = deps.teams.find(worked.lead.teamId)?.timeZone;
      const done = presentWorked(locale, 'assign', { lead: worked.lead, assigneeName }, timeZone);
      await ack({
        response_action: 'update',
        view: buildResultModal(t(locale, 'assign_form.title'), t(locale, 'modal.close'), done),
      });
    } catch (error) {
      const shown = presentError(error, locale);
      if (!shown.expected) deps.log.error('reassigning from the Slack form failed', errorFields(error));
      await ack({ response_action: 'errors', errors: { member: shown.text } });
    }
  });

  /** A submitted reason form: runs the use case and shows its answer, or the problem under the field. */
  const onReason =
    (
      kind: ReasonFormKind,
      run: (
        input: { leadId: number; actor: Identity; reason: string; viewId: string },
        locale: Locale,
      ) => Promise<string>,
    ) =>
    async ({ ack, body, view }: SlackViewMiddlewareArgs<ViewSubmitAction>) => {
      const locale = deps.directory.localeOf(body.user.id);
      const state = reasonState.safeParse(view.state.values);
      const leadId = leadOfMetadata(view.private_metadata);
      if (!state.success || leadId === null) {
        await ack({ response_action: 'errors', errors: { reason: t(locale, 'modal.malformed') } });
        return;
      }
      const actor = slackIdentity(body.user.id, body.team?.id ?? body.user.team_id);
      try {
        const reason = state.data.reason[INPUT_ACTION].value ?? '';
        const done = await run({ leadId, actor, reason, viewId: view.id }, locale);
        const title = t(locale, REASON_FORMS[kind].title);
        await ack({ response_action: 'update', view: buildResultModal(title, t(locale, 'modal.close'), done) });
      } catch (error) {
        const shown = presentError(error, locale);
        if (!shown.expected) deps.log.error(`${kind} from the Slack form failed`, errorFields(error));
        await ack({ response_action: 'errors', errors: { reason: shown.text } });
      }
    };

  app.view(
    VIEW_IDS.releaseModal,
    onReason('release', async ({ leadId, actor, reason, viewId }, locale) => {
      const released = await releaseLead(deps, { leadId, actor, requestId: `slack-view:${viewId}` }, reason);
      return t(locale, 'cmd.release.done', { ref: formatLeadRef(released.lead.id) });
    }),
  );
  // The reason of a request for more time goes to the team's managers.
  app.view(
    VIEW_IDS.extensionModal,
    onReason('extension', async ({ leadId, actor, reason }, locale) => {
      const asked = await requestExtension(deps, { leadId, actor, reason });
      return t(locale, 'extension.requested', { lead: formatLeadRef(asked.lead.id), count: asked.managers });
    }),
  );
}

const TEAM_ID = z.string().regex(/^[a-z0-9-]{1,64}$/);

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

import { formatLeadRef, type Locale } from '../../../domain/leads/lead.js';
import type { Digest } from '../../../domain/reports/digest.js';
import { t } from '../../../i18n/catalog.js';
import { ACTION_IDS } from '../action-ids.js';
import { presentFunnel } from './funnel.presenter.js';
import type { HomeView } from './home.presenter.js';

/**
 * A digest as the same view shape as the home tab (a title, a summary line, sections of items with
 * buttons), so both messengers render it with their home builders. Every number is in the text.
 */
export function presentDigest(digest: Digest, locale: Locale, dueAt: Date | null = null): HomeView {
  const { funnel, backlog } = digest;
  const zone = funnel.timeZone;
  const day = funnel.period.days?.first ?? '';
  const title = t(locale, digest.kind === 'weekly' ? 'digest.title_weekly' : 'digest.title_daily', {
    team: funnel.title.teams.join(', '),
    first: funnel.period.days?.first ?? '',
    last: funnel.period.days?.last ?? day,
  });
  const backlogLine = t(
    locale,
    'digest.backlog',
    {
      overdue: backlog.overdue,
      soon: backlog.dueSoon,
      pooled: backlog.pooled,
      dueOldest: backlog.oldestPooledAt ?? '–',
    },
    zone,
  );
  const late = digest.late && dueAt ? `${t(locale, 'digest.late', { due: dueAt }, zone)} ` : '';
  const undelivered =
    digest.undelivered > 0 ? `\n${t(locale, 'digest.undelivered', { count: digest.undelivered })}` : '';
  const numbers = presentFunnel(funnel, locale)
    .split('\n')
    .slice(1)
    .filter((line) => line !== '');
  return {
    title,
    summary: `${late}${backlogLine}${undelivered}`,
    cut: t(locale, 'view.cut_digest'),
    sections: [
      {
        heading: t(locale, 'digest.numbers'),
        items: [
          ...numbers.map((text) => ({ text, buttons: [] })),
          {
            text: t(locale, 'digest.funnel_hint'),
            buttons: [
              {
                actionId: ACTION_IDS.openFunnel,
                value: digest.teamId,
                label: t(locale, 'digest.open_funnel'),
                valueKind: 'team' as const,
              },
            ],
          },
        ],
        empty: null,
        more: null,
      },
      {
        heading: t(locale, 'digest.breached'),
        items: digest.breached.map(({ lead, ownerName }) => ({
          text: t(
            locale,
            'home.team_lead',
            {
              lead: `${formatLeadRef(lead.id)} ${lead.name}${lead.company ? ` (${lead.company})` : ''}`,
              owner: ownerName ?? '?',
              due: lead.followUpDueAt ?? '',
            },
            zone,
          ),
          buttons: [
            { actionId: ACTION_IDS.showLead, value: String(lead.id), label: t(locale, 'home.open') },
            { actionId: ACTION_IDS.openAssign, value: String(lead.id), label: t(locale, 'digest.reassign') },
            { actionId: ACTION_IDS.openRelease, value: String(lead.id), label: t(locale, 'digest.return_to_pool') },
          ],
        })),
        empty: digest.breached.length === 0 ? t(locale, 'home.team_nothing_overdue') : null,
        more:
          backlog.overdue > digest.breached.length
            ? t(locale, 'digest.more_overdue', { count: backlog.overdue - digest.breached.length })
            : null,
      },
    ],
  };
}

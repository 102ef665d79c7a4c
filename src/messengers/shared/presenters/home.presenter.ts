import type { Desk } from '../../../domain/leads/desk.js';
import { formatLeadRef, type Lead, type Locale } from '../../../domain/leads/lead.js';
import type { TeamDirectory } from '../../../domain/leads/lead-store.js';
import { t } from '../../../i18n/catalog.js';
import { ACTION_IDS } from '../action-ids.js';
import { type CardButton, followUpButton } from './lead-card.presenter.js';

export interface HomeItem {
  text: string;
  buttons: CardButton[];
}

export interface HomeSection {
  heading: string;
  items: HomeItem[];
  /** Shown when there are no items. */
  empty: string | null;
  /** "and 12 more", when the list was cut. */
  more: string | null;
}

/** The home view (Slack App Home, Lark menu card), for any messenger to render. */
export interface HomeView {
  title: string;
  summary: string;
  sections: HomeSection[];
  /** Said at the end when a messenger must cut the view to fit: where to see the rest. */
  cut: string;
}

const leadName = (lead: Lead) => `${formatLeadRef(lead.id)} ${lead.name}${lead.company ? ` (${lead.company})` : ''}`;

function button(actionId: string, leadId: number, label: string): CardButton {
  return { actionId, value: String(leadId), label };
}

/** The desk in the reader's language, every time in the reader's zone. */
export function presentHome(
  desk: Desk,
  teams: TeamDirectory,
  { locale, timeZone }: { locale: Locale; timeZone: string },
  now: Date,
): HomeView {
  const mine = desk.open.map((lead) => {
    const overdue = (lead.followUpDueAt?.getTime() ?? Number.POSITIVE_INFINITY) <= now.getTime();
    const key = overdue ? 'home.lead_overdue' : 'home.lead_due';
    return {
      text: t(locale, key, { lead: leadName(lead), due: lead.followUpDueAt ?? '' }, timeZone),
      buttons: [
        followUpButton(lead.id, locale),
        button(ACTION_IDS.showLead, lead.id, t(locale, 'home.open')),
        button(ACTION_IDS.openRelease, lead.id, t(locale, 'home.release')),
      ],
    };
  });
  const sections: HomeSection[] = [
    {
      heading: t(locale, 'home.mine', { count: desk.openCount }),
      items: mine,
      empty: mine.length === 0 ? t(locale, 'cmd.mine.empty') : null,
      more: desk.openCount > mine.length ? t(locale, 'home.more', { count: desk.openCount - mine.length }) : null,
    },
    {
      heading: t(locale, 'home.limits'),
      items: [
        ...desk.quotas.map((q) => ({
          text: t(locale, 'home.quota', {
            team: teams.find(q.teamId)?.name ?? q.teamId,
            left: Math.max(0, q.quota - q.used),
            quota: q.quota,
          }),
          buttons: [],
        })),
        ...desk.cooldowns.map((c) => ({
          text: t(locale, 'home.cooldown', { ref: formatLeadRef(c.leadId), until: c.until }, timeZone),
          buttons: [],
        })),
      ],
      empty: null,
      more: null,
    },
  ];
  const managing = desk.memberships.some((m) => m.role === 'manager' || m.role === 'admin');
  if (managing) {
    sections.push({
      heading: t(locale, 'home.team_overdue'),
      items: desk.teamOverdue.map(({ lead, ownerName }) => ({
        text: t(
          locale,
          'home.team_lead',
          { lead: leadName(lead), owner: ownerName ?? '?', due: lead.followUpDueAt ?? '' },
          timeZone,
        ),
        buttons: [button(ACTION_IDS.showLead, lead.id, t(locale, 'home.open'))],
      })),
      empty: desk.teamOverdue.length === 0 ? t(locale, 'home.team_nothing_overdue') : null,
      more: null,
    });
  }
  return {
    cut: t(locale, 'view.cut_home'),
    title: t(locale, 'home.title'),
    summary: t(locale, 'home.summary', {
      open: desk.openCount,
      overdue: desk.overdueCount,
      today: desk.dueTodayCount,
    }),
    sections,
  };
}

/**
 * A view's items as a messenger lays them out: an item with buttons stands alone; runs of items
 * without buttons (lines of numbers) are joined into texts of at most `maxChars`, so a long report
 * takes few blocks.
 */
export function condenseItems(
  items: readonly HomeItem[],
  maxChars: number,
): ({ kind: 'lines'; text: string } | { kind: 'item'; item: HomeItem })[] {
  const out: ({ kind: 'lines'; text: string } | { kind: 'item'; item: HomeItem })[] = [];
  let lines: string[] = [];
  const flush = () => {
    if (lines.length > 0) out.push({ kind: 'lines', text: lines.join('\n') });
    lines = [];
  };
  for (const item of items) {
    if (item.buttons.length > 0) {
      flush();
      out.push({ kind: 'item', item });
      continue;
    }
    if ([...lines, item.text].join('\n').length > maxChars) flush();
    lines.push(item.text);
  }
  flush();
  return out;
}

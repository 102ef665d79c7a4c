import { seededRandom } from '../domain/scoring/calibrate.js';
import type { Clock } from '../domain/shared/clock.js';
import { errorFields, type Logger } from '../infra/logger.js';
import { ACTION_IDS } from '../messengers/shared/action-ids.js';
import { demoLeads } from './demo-leads.js';

export interface DemoDayOptions {
  /** The running app, reached over HTTP as anyone outside would: the intake API and the playground's. */
  url: string;
  intakeKey: string;
  playgroundToken?: string | undefined;
  clock: Clock;
  /** How many times faster than the wall clock the demo clock runs. */
  speed: number;
  team: string;
  timeZone: string;
  /** The reps who act by themselves; everyone else (the person watching) is left alone. */
  bots: readonly string[];
  seed?: number;
  log: Logger;
}

/** Leads come in working hours, in demo time; the reps work a little longer. */
const WORK = { from: 9, leadsUntil: 18, repsUntil: 18.5 };
/** Two webinars end during the day, and their sign-ups arrive at once. */
const WEBINARS = [10.5, 14] as const;
const WEBINAR_LEADS = 6;
/** Every this many demo minutes the reps look at the channel and their desks. */
const TICK_MINUTES = 5;

const NOTES = [
  'Called, interested in a trial next week',
  'Sent the price list by e-mail',
  'No answer, will try again this afternoon',
  '已电话沟通，客户想看演示',
  '已发送报价，等待回复',
  '微信加了好友，约了下周拜访',
];

export interface DemoDayStats {
  leads: number;
  claims: number;
  followUps: number;
}

/**
 * A day of a sales team on the demo clock: leads arrive through the intake API (a couple of
 * webinars bring several at once), and the reps other than the person watching claim some and
 * follow up on most, through the playground's own clicks and commands, each at their own pace, so
 * the SLA's reminders, escalations and reclaims, and the managers' digest, happen on their own.
 */
export function startDemoDay(options: DemoDayOptions): { stop(): void; stats: DemoDayStats } {
  const random = seededRandom(options.seed ?? 20261207);
  const leads = demoLeads({ team: options.team, seed: options.seed ?? 20261207 });
  const diligence = new Map(options.bots.map((bot) => [bot, 0.35 + random() * 0.6]));
  const stats: DemoDayStats = { leads: 0, claims: 0, followUps: 0 };
  const timers = new Set<NodeJS.Timeout>();
  let stopped = false;
  const wallMs = (demoMinutes: number) => (demoMinutes * 60_000) / options.speed;
  const later = (demoMinutes: number, run: () => Promise<void>) => {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (stopped) return;
      run().catch((error: unknown) => options.log.warn('demo step failed', errorFields(error)));
    }, wallMs(demoMinutes));
    timers.add(timer);
  };
  const hour = () => localHour(options.clock.now(), options.timeZone);
  const headers = {
    'content-type': 'application/json',
    ...(options.playgroundToken ? { 'x-playground-token': options.playgroundToken } : {}),
  };
  const call = async (path: string, body?: unknown): Promise<Record<string, unknown>> => {
    const response = await fetch(`${options.url}${path}`, {
      method: body === undefined ? 'GET' : 'POST',
      headers: path.startsWith('/api/') ? { ...headers, authorization: `Bearer ${options.intakeKey}` } : headers,
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    });
    return (await response.json()) as Record<string, unknown>;
  };

  const sendLeads = async (count: number) => {
    for (let i = 0; i < count; i++) {
      const answer = await call('/api/leads', leads.next());
      if (typeof answer.id === 'number') stats.leads++;
    }
  };
  let webinarsDone = new Set<number>();
  let day = '';
  const arrive = async () => {
    const now = hour();
    const today = options.clock.now().toISOString().slice(0, 10);
    if (today !== day) [day, webinarsDone] = [today, new Set()];
    if (now >= WORK.from && now < WORK.leadsUntil) {
      const webinar = WEBINARS.find((at) => now >= at && !webinarsDone.has(at));
      if (webinar !== undefined) webinarsDone.add(webinar);
      await sendLeads(webinar !== undefined ? WEBINAR_LEADS : 1);
    }
    later(6 + random() * 24, arrive);
  };

  const claimSome = async () => {
    const channel = await call(`/playground/api/channel/${options.team}`);
    for (const leadId of claimable(channel)) {
      if (random() > 0.15) continue;
      const bot = options.bots[Math.floor(random() * options.bots.length)] as string;
      const answer = await call('/playground/api/click', {
        as: bot,
        interaction: ACTION_IDS.claimLead,
        subject: { lead: String(leadId) },
      });
      if (answer.kind === 'card') stats.claims++;
    }
  };
  const followUp = async (bot: string) => {
    const desk = await call(`/playground/api/desk?as=${encodeURIComponent(bot)}`);
    for (const leadId of ownedOnDesk(desk)) {
      if (random() > (diligence.get(bot) ?? 0.5) * 0.1) continue;
      const note = NOTES[Math.floor(random() * NOTES.length)] as string;
      await call('/playground/api/command', { as: bot, text: `log L-${leadId} call ${note}` });
      stats.followUps++;
      if (random() < 0.3) {
        const stage = random() < 0.6 ? 'contacted' : 'qualified';
        await call('/playground/api/command', { as: bot, text: `stage L-${leadId} ${stage}` });
      }
    }
  };
  const work = async () => {
    const now = hour();
    if (now >= WORK.from && now < WORK.repsUntil) {
      await claimSome();
      for (const bot of options.bots) await followUp(bot);
    }
    later(TICK_MINUTES, work);
  };

  later(1, arrive);
  later(TICK_MINUTES, work);
  return {
    stats,
    stop: () => {
      stopped = true;
      for (const timer of timers) clearTimeout(timer);
    },
  };
}

/** `time` (HH:MM) on the last working day (Monday to Friday) up to `now`, in a zone `offsetHours` from UTC. */
export function demoStart(now: Date, time: string, offsetHours: number): Date {
  const [hours = 8, minutes = 50] = time.split(':').map(Number);
  const local = new Date(now.getTime() + offsetHours * 3_600_000);
  const back = { 0: 2, 6: 1 }[local.getUTCDay()] ?? 0;
  const day = Date.UTC(local.getUTCFullYear(), local.getUTCMonth(), local.getUTCDate() - back);
  return new Date(day + (hours * 60 + minutes) * 60_000 - offsetHours * 3_600_000);
}

/** The hour of the day (9.5 is half past nine) at `at` in `timeZone`. */
export function localHour(at: Date, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
    .formatToParts(at)
    .reduce<Record<string, string>>((all, part) => Object.assign(all, { [part.type]: part.value }), {});
  return Number(parts.hour) + Number(parts.minute) / 60;
}

/** The leads with a Claim button in a channel as the playground answers it. */
function claimable(channel: Record<string, unknown>): number[] {
  const messages = (channel.messages ?? []) as { card: { kind: string; view: Record<string, unknown> } }[];
  return messages.flatMap(({ card }) => {
    if (card.kind === 'card') {
      const claim = card.view.claim as { value: string } | null;
      return claim ? [Number(claim.value)] : [];
    }
    const lines = (card.view.lines ?? []) as { leadId: number; claim: unknown }[];
    return lines.filter((line) => line.claim).map((line) => line.leadId);
  });
}

/** The leads on a desk that have a follow-up button: the ones the person owns. */
function ownedOnDesk(desk: Record<string, unknown>): number[] {
  const sections = (desk.sections ?? []) as { items: { buttons: { actionId: string; value: string }[] }[] }[];
  const ids = sections.flatMap((s) =>
    s.items.flatMap((item) => item.buttons.filter((b) => b.actionId === ACTION_IDS.openFollowUp)),
  );
  return [...new Set(ids.map((b) => Number(b.value)))];
}

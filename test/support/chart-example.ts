import type { FunnelCounts, FunnelReport, TrendDay } from '../../src/domain/reports/funnel.js';
import { dayLabels } from '../../src/domain/reports/period.js';

/** A cohort's counts: zero unless given. */
export const funnelCounts = (c: Partial<FunnelCounts>): FunnelCounts => ({
  leadsIn: 0,
  contacted: 0,
  qualified: 0,
  converted: 0,
  lost: 0,
  invalid: 0,
  owned: 0,
  contactedWithinSla: 0,
  reclaims: 0,
  firstContactMedianMs: null,
  firstContactP90Ms: null,
  convertMedianMs: null,
  dealValue: 0,
  ...c,
});

/** A fixed, plausible fortnight for a Chinese team: the charts' example and their tests draw it. */
export function exampleFunnelReport(): FunnelReport {
  const days = dayLabels({ first: '2026-11-16', last: '2026-11-29' });
  // A weekly rhythm: busy weekdays, quiet weekends.
  const trend: TrendDay[] = days.map((day, i) => {
    const weekend = i % 7 >= 5;
    const leadsIn = weekend ? 6 + (i % 3) : 28 + ((i * 7) % 11);
    return { day, leadsIn, contacted: Math.round(leadsIn * 0.72), converted: weekend ? 0 : 2 + (i % 4) };
  });
  return {
    title: { teams: ['华东销售 East'], rep: null },
    period: {
      name: 'this_week',
      from: new Date('2026-11-22T16:00:00Z'),
      to: new Date('2026-11-29T16:00:00Z'),
      previous: { from: new Date('2026-11-15T16:00:00Z'), to: new Date('2026-11-22T16:00:00Z') },
    },
    timeZone: 'Asia/Shanghai',
    current: funnelCounts({
      leadsIn: 186,
      contacted: 141,
      qualified: 63,
      converted: 17,
      owned: 170,
      contactedWithinSla: 128,
    }),
    previous: funnelCounts({ leadsIn: 172, contacted: 120, qualified: 51, converted: 12 }),
    channels: [],
    reps: [],
    trend,
  };
}

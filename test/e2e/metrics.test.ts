/**
 * GET /metrics in Prometheus' text format, through the real app: intake by source and outcome, the
 * handlers' latency by route, the outbox's depth per messenger read at the scrape, the SLA sweep's
 * work, and the process's own figures.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Leadpool } from '../../src/app.js';
import { ManualClock } from '../../src/domain/shared/clock.js';
import { postLead, startTestLeadpool, teamsYaml } from '../support/leadpool.js';
import { scrape as scrapeOf, seriesValue } from '../support/prometheus.js';

describe('/metrics', () => {
  let app: Leadpool;
  const clock = new ManualClock('2026-12-07T02:00:00Z');
  beforeAll(async () => {
    app = await startTestLeadpool({ clock, teams: teamsYaml({ followUp: '10m', remindBefore: '2m' }) });
  });
  afterAll(() => app?.stop());
  const scrape = () => scrapeOf(app.url);

  it('counts intake by source and outcome, and each handler by route and status', async () => {
    const before = await scrape();
    const created = { team: 'alpha', name: 'Metric Person', email: 'metric@person.example', source: 'website' };
    expect((await postLead(app, created)).status).toBe(201);
    expect((await postLead(app, created)).status).toBe(200);
    expect((await postLead(app, { team: 'alpha' })).status).toBe(400);
    const after = await scrape();
    const intake = (outcome: string, source: string) =>
      (seriesValue(after, `leadpool_intake_leads_total{source="${source}",outcome="${outcome}"}`) ?? 0) -
      (seriesValue(before, `leadpool_intake_leads_total{source="${source}",outcome="${outcome}"}`) ?? 0);
    expect(intake('created', 'website')).toBe(1);
    expect(intake('duplicate', 'website') + intake('merged', 'website')).toBe(1);
    expect(intake('invalid', 'none')).toBe(1);
    expect(
      seriesValue(after, 'leadpool_http_request_duration_seconds_count{method="POST",route="/api/leads",status="201"}'),
    ).toBeGreaterThanOrEqual(1);
    expect(seriesValue(after, 'leadpool_process_resident_memory_bytes')).toBeGreaterThan(0);
  });

  it("reads the outbox's depth per messenger when scraped, and counts the SLA sweep's work", async () => {
    // No messenger is on: the new lead's card waits for Slack and for Lark.
    const text = await scrape();
    expect(seriesValue(text, 'leadpool_outbox_pending{messenger="slack"}')).toBeGreaterThanOrEqual(1);
    expect(seriesValue(text, 'leadpool_outbox_oldest_seconds{messenger="slack"}')).toBeGreaterThanOrEqual(0);

    const lead = (
      (await (await postLead(app, { team: 'alpha', name: 'Sweep Metric', email: 's@m.example' })).json()) as {
        id: number;
      }
    ).id;
    const rep = await app.db.prisma.member.findFirstOrThrow({ where: { role: 'rep' } });
    await app.db.prisma.lead.update({
      where: { id: lead },
      data: {
        ownerId: rep.id,
        status: 'owned',
        ownedSince: clock.now(),
        followUpDueAt: new Date(clock.now().getTime() + 600_000),
        remindAt: clock.now(),
      },
    });
    const summary = await app.runSlaSweep();
    expect(summary.reminded).toBeGreaterThanOrEqual(1);
    expect(seriesValue(await scrape(), 'leadpool_sla_actions_total{action="reminded"}')).toBe(summary.reminded);
  });
});

-- A lead's intake channel and an audit row's team become columns reports can index.
ALTER TABLE "lead" ADD COLUMN     "channel" TEXT;

-- Leads stored before: their "created" audit row names the channel.
UPDATE "lead" l SET "channel" = e.reason
  FROM "lead_event" e
 WHERE e.lead_id = l.id AND e.action = 'created' AND e.reason IN ('api', 'batch_api', 'csv', 'chat');

ALTER TABLE "lead_event" ADD COLUMN     "team_id" TEXT;
UPDATE "lead_event" e SET "team_id" = l.team_id FROM "lead" l WHERE l.id = e.lead_id;
ALTER TABLE "lead_event" ALTER COLUMN "team_id" SET NOT NULL;

-- CreateIndex
CREATE INDEX "lead_team_id_created_at_idx" ON "lead"("team_id", "created_at");

-- CreateIndex
CREATE INDEX "lead_event_team_id_action_at_idx" ON "lead_event"("team_id", "action", "at");

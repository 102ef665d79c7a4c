-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "close_reason" TEXT,
ADD COLUMN     "closed_at" TIMESTAMPTZ(3),
ADD COLUMN     "contacted_at" TIMESTAMPTZ(3),
ADD COLUMN     "converted_at" TIMESTAMPTZ(3),
ADD COLUMN     "qualified_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "lead_event" ADD COLUMN     "from_stage" TEXT,
ADD COLUMN     "to_stage" TEXT;

-- CreateIndex
CREATE INDEX "lead_team_id_stage_idx" ON "lead"("team_id", "stage");

-- Leads contacted before stage times existed: their first follow-up is when they were first contacted.
UPDATE "lead" l SET "contacted_at" = f.first_at
  FROM (SELECT lead_id, min(at) AS first_at FROM "follow_up" GROUP BY lead_id) f
 WHERE f.lead_id = l.id AND l.stage <> 'new' AND l.contacted_at IS NULL;

-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "escalated_at" TIMESTAMPTZ(3),
ADD COLUMN     "reclaim_at" TIMESTAMPTZ(3);

-- Leads owned before this version are reclaimed at their deadline, as they were.
UPDATE "lead" SET "reclaim_at" = "follow_up_due_at" WHERE "follow_up_due_at" IS NOT NULL;

-- CreateIndex
CREATE INDEX "lead_status_reclaim_at_idx" ON "lead"("status", "reclaim_at");

-- DropIndex
DROP INDEX "lead_owner_id_status_idx";

-- CreateIndex
CREATE INDEX "claim_ban_member_id_until_idx" ON "claim_ban"("member_id", "until");

-- CreateIndex
CREATE INDEX "lead_team_id_status_follow_up_due_at_idx" ON "lead"("team_id", "status", "follow_up_due_at");

-- CreateIndex
CREATE INDEX "lead_owner_id_status_follow_up_due_at_idx" ON "lead"("owner_id", "status", "follow_up_due_at");

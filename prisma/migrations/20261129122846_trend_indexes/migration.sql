-- CreateIndex
CREATE INDEX "lead_team_id_contacted_at_idx" ON "lead"("team_id", "contacted_at");

-- CreateIndex
CREATE INDEX "lead_team_id_converted_at_idx" ON "lead"("team_id", "converted_at");

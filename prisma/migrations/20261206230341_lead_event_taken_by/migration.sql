-- CreateIndex
CREATE INDEX "lead_event_to_owner_id_action_idx" ON "lead_event"("to_owner_id", "action");

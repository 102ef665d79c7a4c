-- AlterTable
ALTER TABLE "lead_event" ADD COLUMN     "first_contact_at" TIMESTAMPTZ(3);

-- Takes before: the taker's first follow-up on the lead after taking it.
UPDATE "lead_event" e SET "first_contact_at" = (
  SELECT min(f.at) FROM "follow_up" f WHERE f.lead_id = e.lead_id AND f.member_id = e.to_owner_id AND f.at >= e.at)
 WHERE e.action IN ('claimed', 'assigned') AND e.to_owner_id IS NOT NULL;

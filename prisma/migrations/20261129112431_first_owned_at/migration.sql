-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "first_owned_at" TIMESTAMPTZ(3);

-- Leads taken before: their first claim or assignment in the audit log.
UPDATE "lead" l SET "first_owned_at" = e.first_at
  FROM (SELECT lead_id, min(at) AS first_at FROM "lead_event" WHERE action IN ('claimed', 'assigned') GROUP BY lead_id) e
 WHERE e.lead_id = l.id;

-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "taken_by_name" TEXT,
ADD COLUMN     "taken_how" TEXT;

-- Owned leads learn how their owner got them from their latest take in the audit log.
UPDATE "lead" AS l
   SET "taken_how" = t.action, "taken_by_name" = t.by
  FROM (SELECT DISTINCT ON (e.lead_id) e.lead_id, e.action,
               CASE WHEN e.action = 'assigned' THEN m.display_name END AS by
          FROM "lead_event" e
          JOIN "lead" x ON x.id = e.lead_id AND x.owner_id = e.to_owner_id AND x.status = 'owned'
          LEFT JOIN "member" m ON m.id = e.actor_id
         WHERE e.action IN ('claimed', 'assigned')
         ORDER BY e.lead_id, e.id DESC) AS t
 WHERE l.id = t.lead_id;

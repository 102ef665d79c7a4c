-- Outbox rows are delivered per messenger. Rows written before this were for Slack, the only
-- messenger then: they keep going there, ordered among themselves as before.

-- DropIndex
DROP INDEX "outbox_message_order_key_id_idx";

-- DropIndex
DROP INDEX "outbox_message_sent_at_available_at_idx";

-- AlterTable
ALTER TABLE "outbox_message" ADD COLUMN "sink" TEXT NOT NULL DEFAULT 'slack';
ALTER TABLE "outbox_message" ALTER COLUMN "sink" DROP DEFAULT;
UPDATE "outbox_message" SET "order_key" = 'slack:' || "order_key";

-- CreateIndex
CREATE INDEX "outbox_message_sink_sent_at_order_key_id_idx" ON "outbox_message"("sink", "sent_at", "order_key", "id");

-- CreateIndex
CREATE INDEX "outbox_message_sent_at_idx" ON "outbox_message"("sent_at");

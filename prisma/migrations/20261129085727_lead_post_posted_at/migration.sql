-- When each copy of a card was posted (Lark cards can be edited for 14 days). Copies posted before
-- this migration are dated at the migration: they are re-posted at most 14 days later than needed.
-- AlterTable
ALTER TABLE "lead_post" ADD COLUMN     "posted_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP;

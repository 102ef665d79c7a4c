-- AlterTable
ALTER TABLE "member" ADD COLUMN     "paused_at" TIMESTAMPTZ(3),
ADD COLUMN     "paused_until" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "follow_up" ADD COLUMN     "next_step" TEXT,
ADD COLUMN     "outcome" TEXT;

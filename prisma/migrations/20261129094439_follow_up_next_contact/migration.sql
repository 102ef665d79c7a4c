-- AlterTable
ALTER TABLE "follow_up" ADD COLUMN     "next_contact_at" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "match_on" TEXT;

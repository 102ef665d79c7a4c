-- AlterTable
ALTER TABLE "member" ADD COLUMN     "claim_version" INTEGER NOT NULL DEFAULT 0;

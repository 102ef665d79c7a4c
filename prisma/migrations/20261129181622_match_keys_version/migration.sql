-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "keys_version" INTEGER NOT NULL DEFAULT 1;

-- AlterTable
ALTER TABLE "member" ADD COLUMN     "time_zone" TEXT;

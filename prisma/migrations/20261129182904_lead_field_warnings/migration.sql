-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "field_warnings" JSONB;

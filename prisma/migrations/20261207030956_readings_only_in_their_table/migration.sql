/*
  Warnings:

  - You are about to drop the column `phone_alts` on the `lead` table. All the data in the column will be lost.

*/
-- Every value is also in lead_phone_reading, written in the same statement: that table is now the
-- only copy, so nothing is lost.
-- AlterTable
ALTER TABLE "lead" DROP COLUMN "phone_alts";

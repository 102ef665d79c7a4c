-- DropIndex
DROP INDEX "lead_team_id_name_key_core_key_idx";

-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "loose_key" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "match_possible" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "phone_ext" TEXT,
ALTER COLUMN "keys_version" SET DEFAULT 4;

-- CreateIndex
CREATE INDEX "lead_team_id_loose_key_core_key_idx" ON "lead"("team_id", "loose_key", "core_key");

-- Possible matches made before this column were all on a name at a similar company.
UPDATE "lead" SET "match_possible" = true WHERE "match_on" = 'name_core';

-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "core_key" TEXT;

-- CreateIndex
CREATE INDEX "lead_team_id_name_key_core_key_idx" ON "lead"("team_id", "name_key", "core_key");

-- Match keys version 3 adds the core key: rows stored before are re-keyed at start.
ALTER TABLE "lead" ALTER COLUMN "keys_version" SET DEFAULT 3;

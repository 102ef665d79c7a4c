-- Members get messenger identities (Slack and Lark); existing Slack user ids are carried over.
-- A card's message reference is keyed by messenger instead of "platform" (same values).

-- CreateTable
CREATE TABLE "member_identity" (
    "team_id" TEXT NOT NULL,
    "messenger" TEXT NOT NULL,
    "tenant" TEXT NOT NULL DEFAULT '',
    "external_id" TEXT NOT NULL,
    "member_id" UUID NOT NULL,

    CONSTRAINT "member_identity_pkey" PRIMARY KEY ("team_id","messenger","tenant","external_id")
);

-- CreateIndex
CREATE INDEX "member_identity_messenger_external_id_idx" ON "member_identity"("messenger", "external_id");

-- CreateIndex
CREATE INDEX "member_identity_member_id_idx" ON "member_identity"("member_id");

-- AddForeignKey
ALTER TABLE "member_identity" ADD CONSTRAINT "member_identity_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Carry over: every Slack user id becomes a Slack identity of its member (any workspace).
INSERT INTO "member_identity" ("team_id", "messenger", "tenant", "external_id", "member_id")
SELECT "team_id", 'slack', '', "slack_user_id", "id" FROM "member" WHERE "slack_user_id" IS NOT NULL;

-- DropIndex
DROP INDEX "member_team_id_slack_user_id_key";

-- AlterTable
ALTER TABLE "member" DROP COLUMN "slack_user_id";

-- AlterTable: rename keeps the data and the primary key's columns.
ALTER TABLE "lead_post" RENAME COLUMN "platform" TO "messenger";

-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "pool_id" TEXT;

-- CreateTable
CREATE TABLE "pool_share" (
    "team_id" TEXT NOT NULL,
    "pool_id" TEXT NOT NULL,
    "member_id" UUID NOT NULL,
    "assigned" INTEGER NOT NULL DEFAULT 0,

    CONSTRAINT "pool_share_pkey" PRIMARY KEY ("team_id","pool_id","member_id")
);

-- CreateIndex
CREATE INDEX "lead_status_pool_id_idx" ON "lead"("status", "pool_id");

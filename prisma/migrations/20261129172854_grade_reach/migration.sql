-- The old unique key (team_id, window_start) gains list_pool, which is '' for every existing row: no duplicates can appear.
-- DropIndex
DROP INDEX "card_burst_team_id_window_start_key";

-- AlterTable
ALTER TABLE "card_burst" ADD COLUMN     "list_pool" TEXT NOT NULL DEFAULT '';

-- CreateTable
CREATE TABLE "lead_alert" (
    "lead_id" INTEGER NOT NULL,
    "member_id" UUID NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lead_alert_pkey" PRIMARY KEY ("lead_id","member_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "card_burst_team_id_list_pool_window_start_key" ON "card_burst"("team_id", "list_pool", "window_start");

-- AddForeignKey
ALTER TABLE "lead_alert" ADD CONSTRAINT "lead_alert_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_alert" ADD CONSTRAINT "lead_alert_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

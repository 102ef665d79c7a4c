-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "card_burst_id" INTEGER;

-- AlterTable
ALTER TABLE "lead_post" ADD COLUMN     "burst_id" INTEGER;

-- CreateTable
CREATE TABLE "card_burst" (
    "id" SERIAL NOT NULL,
    "team_id" TEXT NOT NULL,
    "window_start" TIMESTAMPTZ(3) NOT NULL,
    "cards" INTEGER NOT NULL DEFAULT 0,
    "sealed_at" TIMESTAMPTZ(3),

    CONSTRAINT "card_burst_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "card_burst_team_id_window_start_key" ON "card_burst"("team_id", "window_start");

-- CreateIndex
CREATE INDEX "lead_card_burst_id_idx" ON "lead"("card_burst_id");

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_card_burst_id_fkey" FOREIGN KEY ("card_burst_id") REFERENCES "card_burst"("id") ON DELETE SET NULL ON UPDATE CASCADE;

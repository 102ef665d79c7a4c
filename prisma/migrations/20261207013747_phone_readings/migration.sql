-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "phone_alts" TEXT[] DEFAULT ARRAY[]::TEXT[],
ALTER COLUMN "keys_version" SET DEFAULT 5;

-- CreateTable
CREATE TABLE "lead_phone_reading" (
    "team_id" TEXT NOT NULL,
    "phone" TEXT NOT NULL,
    "lead_id" INTEGER NOT NULL,

    CONSTRAINT "lead_phone_reading_pkey" PRIMARY KEY ("team_id","phone","lead_id")
);

-- CreateIndex
CREATE INDEX "lead_phone_reading_lead_id_idx" ON "lead_phone_reading"("lead_id");

-- AddForeignKey
ALTER TABLE "lead_phone_reading" ADD CONSTRAINT "lead_phone_reading_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "convert_due_at" TIMESTAMPTZ(3),
ADD COLUMN     "convert_warn_at" TIMESTAMPTZ(3),
ADD COLUMN     "convert_warned_at" TIMESTAMPTZ(3);

-- CreateIndex
CREATE INDEX "lead_status_convert_due_at_idx" ON "lead"("status", "convert_due_at");

-- CreateIndex
CREATE INDEX "lead_status_convert_warn_at_idx" ON "lead"("status", "convert_warn_at");

-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "extended_ms" INTEGER NOT NULL DEFAULT 0;

-- CreateTable
CREATE TABLE "extension_request" (
    "id" SERIAL NOT NULL,
    "lead_id" INTEGER NOT NULL,
    "member_id" UUID NOT NULL,
    "reason" TEXT NOT NULL,
    "requested_at" TIMESTAMPTZ(3) NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "decided_by" UUID,
    "decided_at" TIMESTAMPTZ(3),
    "due_before" TIMESTAMPTZ(3),
    "due_after" TIMESTAMPTZ(3),

    CONSTRAINT "extension_request_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "extension_request_lead_id_status_idx" ON "extension_request"("lead_id", "status");

-- AddForeignKey
ALTER TABLE "extension_request" ADD CONSTRAINT "extension_request_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

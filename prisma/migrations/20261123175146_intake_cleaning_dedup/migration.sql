-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "attributes" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "budget_currency" TEXT,
ADD COLUMN     "budget_max" DECIMAL(14,2),
ADD COLUMN     "budget_min" DECIMAL(14,2),
ADD COLUMN     "campaign" TEXT,
ADD COLUMN     "company_key" TEXT,
ADD COLUMN     "company_size" TEXT,
ADD COLUMN     "decision_maker" TEXT,
ADD COLUMN     "decision_process" TEXT,
ADD COLUMN     "decision_role" TEXT,
ADD COLUMN     "duplicate_due_at" TIMESTAMPTZ(3),
ADD COLUMN     "duplicate_of_id" INTEGER,
ADD COLUMN     "external_id" TEXT,
ADD COLUMN     "fingerprint" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "grade" TEXT NOT NULL DEFAULT 'poor',
ADD COLUMN     "name_key" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "priority" TEXT NOT NULL DEFAULT 'low',
ADD COLUMN     "score" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "score_detail" JSONB NOT NULL DEFAULT '[]',
ADD COLUMN     "signals" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "sub_source" TEXT,
ADD COLUMN     "type" TEXT NOT NULL DEFAULT 'marketing';

-- CreateTable
CREATE TABLE "idempotency_key" (
    "scope" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "request_hash" TEXT NOT NULL,
    "status_code" INTEGER,
    "response" JSONB,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "idempotency_key_pkey" PRIMARY KEY ("scope","key")
);

-- CreateIndex
CREATE INDEX "idempotency_key_created_at_idx" ON "idempotency_key"("created_at");

-- CreateIndex
CREATE INDEX "lead_status_duplicate_due_at_idx" ON "lead"("status", "duplicate_due_at");

-- CreateIndex
CREATE INDEX "lead_team_id_email_idx" ON "lead"("team_id", "email");

-- CreateIndex
CREATE INDEX "lead_team_id_phone_idx" ON "lead"("team_id", "phone");

-- CreateIndex
CREATE INDEX "lead_team_id_external_id_idx" ON "lead"("team_id", "external_id");

-- CreateIndex
CREATE INDEX "lead_team_id_name_key_company_key_idx" ON "lead"("team_id", "name_key", "company_key");

-- CreateIndex
CREATE INDEX "lead_team_id_company_key_idx" ON "lead"("team_id", "company_key");

-- CreateIndex
CREATE INDEX "lead_duplicate_of_id_idx" ON "lead"("duplicate_of_id");

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_duplicate_of_id_fkey" FOREIGN KEY ("duplicate_of_id") REFERENCES "lead"("id") ON DELETE SET NULL ON UPDATE CASCADE;

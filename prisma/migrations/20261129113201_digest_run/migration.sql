-- CreateTable
CREATE TABLE "digest_run" (
    "team_id" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "period_key" TEXT NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "sent_at" TIMESTAMPTZ(3) NOT NULL,
    "late" BOOLEAN NOT NULL,

    CONSTRAINT "digest_run_pkey" PRIMARY KEY ("team_id","kind","period_key")
);

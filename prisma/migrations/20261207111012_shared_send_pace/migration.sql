-- CreateTable
CREATE TABLE "send_pace" (
    "key" TEXT NOT NULL,
    "tat" TIMESTAMPTZ(3) NOT NULL,
    "held_until" TIMESTAMPTZ(3) NOT NULL,
    "backlog_until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "send_pace_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "send_pace_tat_idx" ON "send_pace"("tat");

-- CreateTable
CREATE TABLE "team" (
    "id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "timezone" TEXT NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "team_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "member" (
    "id" UUID NOT NULL,
    "team_id" TEXT NOT NULL,
    "slack_user_id" TEXT,
    "display_name" TEXT NOT NULL,
    "role" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "member_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead" (
    "id" SERIAL NOT NULL,
    "team_id" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pooled',
    "stage" TEXT NOT NULL DEFAULT 'new',
    "name" TEXT NOT NULL,
    "company" TEXT,
    "title" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "region" TEXT,
    "industry" TEXT,
    "need" TEXT,
    "notes" TEXT,
    "source" TEXT,
    "owner_id" UUID,
    "owned_since" TIMESTAMPTZ(3),
    "follow_up_due_at" TIMESTAMPTZ(3),
    "remind_at" TIMESTAMPTZ(3),
    "reminder_sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lead_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "lead_event" (
    "id" BIGSERIAL NOT NULL,
    "lead_id" INTEGER NOT NULL,
    "action" TEXT NOT NULL,
    "actor_id" UUID,
    "actor_kind" TEXT NOT NULL,
    "from_owner_id" UUID,
    "to_owner_id" UUID,
    "reason" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "lead_event_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "follow_up" (
    "id" BIGSERIAL NOT NULL,
    "lead_id" INTEGER NOT NULL,
    "member_id" UUID NOT NULL,
    "method" TEXT NOT NULL,
    "note" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "follow_up_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "claim_ban" (
    "lead_id" INTEGER NOT NULL,
    "member_id" UUID NOT NULL,
    "until" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "claim_ban_pkey" PRIMARY KEY ("lead_id","member_id")
);

-- CreateTable
CREATE TABLE "lead_post" (
    "lead_id" INTEGER NOT NULL,
    "platform" TEXT NOT NULL,
    "channel_id" TEXT NOT NULL,
    "message_id" TEXT NOT NULL,

    CONSTRAINT "lead_post_pkey" PRIMARY KEY ("lead_id","platform")
);

-- CreateTable
CREATE TABLE "outbox_message" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "order_key" TEXT NOT NULL,
    "payload" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "available_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "locked_until" TIMESTAMPTZ(3),
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "sent_at" TIMESTAMPTZ(3),
    "dead_at" TIMESTAMPTZ(3),
    "last_error" TEXT,

    CONSTRAINT "outbox_message_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "member_team_id_slack_user_id_key" ON "member"("team_id", "slack_user_id");

-- CreateIndex
CREATE INDEX "lead_status_follow_up_due_at_idx" ON "lead"("status", "follow_up_due_at");

-- CreateIndex
CREATE INDEX "lead_status_remind_at_idx" ON "lead"("status", "remind_at");

-- CreateIndex
CREATE INDEX "lead_owner_id_status_idx" ON "lead"("owner_id", "status");

-- CreateIndex
CREATE INDEX "lead_team_id_status_idx" ON "lead"("team_id", "status");

-- CreateIndex
CREATE INDEX "lead_event_lead_id_at_idx" ON "lead_event"("lead_id", "at");

-- CreateIndex
CREATE INDEX "lead_event_actor_id_action_at_idx" ON "lead_event"("actor_id", "action", "at");

-- CreateIndex
CREATE INDEX "follow_up_lead_id_at_idx" ON "follow_up"("lead_id", "at");

-- CreateIndex
CREATE INDEX "outbox_message_sent_at_available_at_idx" ON "outbox_message"("sent_at", "available_at");

-- CreateIndex
CREATE INDEX "outbox_message_order_key_id_idx" ON "outbox_message"("order_key", "id");

-- AddForeignKey
ALTER TABLE "member" ADD CONSTRAINT "member_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_team_id_fkey" FOREIGN KEY ("team_id") REFERENCES "team"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead" ADD CONSTRAINT "lead_owner_id_fkey" FOREIGN KEY ("owner_id") REFERENCES "member"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_event" ADD CONSTRAINT "lead_event_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "follow_up" ADD CONSTRAINT "follow_up_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_ban" ADD CONSTRAINT "claim_ban_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "claim_ban" ADD CONSTRAINT "claim_ban_member_id_fkey" FOREIGN KEY ("member_id") REFERENCES "member"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "lead_post" ADD CONSTRAINT "lead_post_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

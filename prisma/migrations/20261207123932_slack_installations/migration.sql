-- CreateTable
CREATE TABLE "slack_installation" (
    "key" TEXT NOT NULL,
    "enterprise_id" TEXT,
    "team_id" TEXT,
    "is_enterprise_install" BOOLEAN NOT NULL,
    "sealed" TEXT NOT NULL,
    "installed_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "slack_installation_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "slack_installation_enterprise_id_idx" ON "slack_installation"("enterprise_id");

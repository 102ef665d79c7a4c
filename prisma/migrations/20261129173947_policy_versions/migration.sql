-- CreateTable
CREATE TABLE "policy_version" (
    "version" INTEGER NOT NULL,
    "doc" JSONB NOT NULL,
    "file_hash" TEXT,
    "source" TEXT NOT NULL,
    "actor_id" UUID,
    "summary" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "policy_version_pkey" PRIMARY KEY ("version")
);

-- CreateIndex
CREATE INDEX "policy_version_file_hash_idx" ON "policy_version"("file_hash");

-- CreateTable
CREATE TABLE "customer" (
    "id" SERIAL NOT NULL,
    "team_id" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "company_key" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "customer_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "contact" (
    "id" SERIAL NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "lead_id" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "title" TEXT,
    "email" TEXT,
    "phone" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "deal" (
    "lead_id" INTEGER NOT NULL,
    "customer_id" INTEGER NOT NULL,
    "member_id" UUID NOT NULL,
    "value" DECIMAL(14,2),
    "currency" TEXT,
    "expected_close" TIMESTAMPTZ(3),
    "won_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "deal_pkey" PRIMARY KEY ("lead_id")
);

-- CreateIndex
CREATE UNIQUE INDEX "customer_team_id_company_key_key" ON "customer"("team_id", "company_key");

-- CreateIndex
CREATE UNIQUE INDEX "contact_lead_id_key" ON "contact"("lead_id");

-- CreateIndex
CREATE INDEX "contact_customer_id_idx" ON "contact"("customer_id");

-- CreateIndex
CREATE INDEX "deal_customer_id_idx" ON "deal"("customer_id");

-- CreateIndex
CREATE INDEX "deal_won_at_idx" ON "deal"("won_at");

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "contact" ADD CONSTRAINT "contact_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deal" ADD CONSTRAINT "deal_lead_id_fkey" FOREIGN KEY ("lead_id") REFERENCES "lead"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "deal" ADD CONSTRAINT "deal_customer_id_fkey" FOREIGN KEY ("customer_id") REFERENCES "customer"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

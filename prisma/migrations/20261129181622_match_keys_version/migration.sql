-- Rows stored before this migration have the old match keys (version 1): the app re-keys them at
-- start. Rows inserted from now on without saying (the app says) are taken to be current.
ALTER TABLE "lead" ADD COLUMN     "keys_version" INTEGER NOT NULL DEFAULT 1;
ALTER TABLE "lead" ALTER COLUMN "keys_version" SET DEFAULT 2;

-- DropIndex
DROP INDEX "lead_status_pool_id_idx";

-- AlterTable
ALTER TABLE "lead" ADD COLUMN     "contact_ms" BIGINT,
ADD COLUMN     "convert_ms" BIGINT;

-- AlterTable
ALTER TABLE "lead_event" ADD COLUMN     "response_ms" BIGINT;

-- CreateTable
CREATE TABLE "report_cohort" (
    "id" BIGSERIAL NOT NULL,
    "team_id" TEXT NOT NULL,
    "day" DATE NOT NULL,
    "source" TEXT NOT NULL,
    "leads_in" INTEGER NOT NULL,
    "contacted" INTEGER NOT NULL,
    "qualified" INTEGER NOT NULL,
    "converted" INTEGER NOT NULL,
    "lost" INTEGER NOT NULL,
    "invalid" INTEGER NOT NULL,
    "deal_value" DECIMAL(18,2) NOT NULL,
    "fresh" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "report_cohort_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_take" (
    "id" BIGSERIAL NOT NULL,
    "team_id" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "start" DATE NOT NULL,
    "member" TEXT NOT NULL,
    "taken" INTEGER NOT NULL,
    "reclaimed" INTEGER NOT NULL,
    "converted" INTEGER NOT NULL,
    "fresh" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "report_take_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "report_delay" (
    "id" BIGSERIAL NOT NULL,
    "kind" TEXT NOT NULL,
    "team_id" TEXT NOT NULL,
    "grain" TEXT NOT NULL,
    "start" DATE NOT NULL,
    "member" TEXT NOT NULL,
    "bin" SMALLINT NOT NULL,
    "n" INTEGER NOT NULL,
    "fresh" BOOLEAN NOT NULL DEFAULT true,

    CONSTRAINT "report_delay_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "report_cohort_team_id_day_idx" ON "report_cohort"("team_id", "day");

-- CreateIndex
CREATE INDEX "report_cohort_fresh_idx" ON "report_cohort"("fresh");

-- CreateIndex
CREATE INDEX "report_take_team_id_grain_start_idx" ON "report_take"("team_id", "grain", "start");

-- CreateIndex
CREATE INDEX "report_take_fresh_idx" ON "report_take"("fresh");

-- CreateIndex
CREATE INDEX "report_delay_kind_team_id_grain_start_idx" ON "report_delay"("kind", "team_id", "grain", "start");

-- CreateIndex
CREATE INDEX "report_delay_fresh_idx" ON "report_delay"("fresh");

-- CreateIndex
CREATE INDEX "lead_team_id_contact_ms_created_at_idx" ON "lead"("team_id", "contact_ms", "created_at");

-- CreateIndex
CREATE INDEX "lead_team_id_convert_ms_created_at_idx" ON "lead"("team_id", "convert_ms", "created_at");

-- CreateIndex
CREATE INDEX "lead_event_team_id_response_ms_at_to_owner_id_idx" ON "lead_event"("team_id", "response_ms", "at", "to_owner_id");

-- CreateIndex
CREATE INDEX "lead_event_to_owner_id_response_ms_at_idx" ON "lead_event"("to_owner_id", "response_ms", "at");

-- Wider indexes, so the reports count some days' leads and takes from the index alone.
-- DropIndex
DROP INDEX "lead_team_id_contacted_at_idx";

-- DropIndex
DROP INDEX "lead_team_id_converted_at_idx";

-- DropIndex
DROP INDEX "lead_team_id_created_at_idx";

-- DropIndex
DROP INDEX "lead_event_team_id_action_at_idx";

-- CreateIndex
CREATE INDEX "lead_team_id_created_at_status_idx" ON "lead"("team_id", "created_at", "status");

-- CreateIndex
CREATE INDEX "lead_team_id_contacted_at_status_idx" ON "lead"("team_id", "contacted_at", "status");

-- CreateIndex
CREATE INDEX "lead_team_id_converted_at_status_idx" ON "lead"("team_id", "converted_at", "status");

-- CreateIndex
CREATE INDEX "lead_event_team_id_action_at_to_owner_id_response_ms_idx" ON "lead_event"("team_id", "action", "at", "to_owner_id", "response_ms");

-- The reports' roll-ups: functions, the backfill and the triggers that keep them (docs/design.md).

-- Delay bins' lower edges (ms): under 1 s is bin 0, then each about 10 % wider, to about 3 years.
-- One literal, so the bins a trigger counts and the range a report reads back cannot differ.
CREATE FUNCTION report_bin_edges() RETURNS bigint[] LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT '{1000,1100,1210,1331,1464,1611,1772,1949,2144,2358,2594,2853,3138,3452,3797,4177,4595,5054,5560,6116,6727,7400,8140,8954,9850,10835,11918,13110,14421,15863,17449,19194,21114,23225,25548,28102,30913,34004,37404,41145,45259,49785,54764,60240,66264,72890,80180,88197,97017,106719,117391,129130,142043,156247,171872,189059,207965,228762,251638,276801,304482,334930,368423,405265,445792,490371,539408,593349,652683,717952,789747,868722,955594,1051153,1156269,1271895,1399085,1538993,1692893,1862182,2048400,2253240,2478564,2726421,2999063,3298969,3628866,3991753,4390928,4830021,5313023,5844325,6428757,7071633,7778796,8556676,9412344,10353578,11388936,12527829,13780612,15158674,16674541,18341995,20176195,22193814,24413195,26854515,29539966,32493963,35743359,39317695,43249465,47574411,52331852,57565038,63321541,69653696,76619065,84280972,92709069,101979976,112177973,123395771,135735348,149308882,164239771,180663748,198730123,218603135,240463448,264509793,290960772,320056850,352062535,387268788,425995667,468595233,515454757,567000233,623700256,686070281,754677309,830145040,913159544,1004475499,1104923049,1215415354,1336956889,1470652578,1617717836,1779489619,1957438581,2153182439,2368500683,2605350752,2865885827,3152474410,3467721851,3814494036,4195943439,4615537783,5077091561,5584800717,6143280789,6757608868,7433369755,8176706730,8994377403,9893815144,10883196658,11971516324,13168667956,14485534752,15934088227,17527497050,19280246755,21208271431,23329098574,25662008431,28228209274,31051030201,34156133222,37571746544,41328921198,45461813318,50007994650,55008794115,60509673526,66560640879,73216704967,80538375463,88592213010,97451434311,107196577742}'::bigint[] $$;

CREATE FUNCTION report_bin(ms bigint) RETURNS int LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT width_bucket(ms, report_bin_edges()) $$;

-- A bin's values are [lo, hi): a bin below every edge has no lo, the last no hi.
CREATE FUNCTION report_bin_lo(bin int) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce((report_bin_edges())[bin], -9223372036854775808) $$;

CREATE FUNCTION report_bin_hi(bin int) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT coalesce((report_bin_edges())[bin + 1], 9223372036854775807) $$;

-- Milliseconds from a to b (timestamps are kept to the millisecond, so this is exact).
CREATE FUNCTION report_ms(a timestamptz, b timestamptz) RETURNS bigint LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT (extract(epoch FROM b - a) * 1000)::bigint $$;

-- A roll-up row's start: the UTC day ('d') or month ('m') of a time.
CREATE FUNCTION report_start(grain text, t timestamptz) RETURNS date LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT CASE grain WHEN 'd' THEN (t AT TIME ZONE 'UTC')::date
                        ELSE date_trunc('month', t AT TIME ZONE 'UTC')::date END $$;

-- A merged lead is in no cohort, so it has no delays to count.
CREATE FUNCTION report_lead_times() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.contact_ms := CASE WHEN NEW.status <> 'merged' THEN report_ms(NEW.created_at, NEW.contacted_at) END;
  NEW.convert_ms := CASE WHEN NEW.status <> 'merged' THEN report_ms(NEW.created_at, NEW.converted_at) END;
  RETURN NEW;
END $$;

-- Only a take (a claim or an assignment with an owner) has a response time.
CREATE FUNCTION report_event_times() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  NEW.response_ms := CASE WHEN NEW.action IN ('claimed', 'assigned') AND NEW.to_owner_id IS NOT NULL
                          THEN report_ms(NEW.at, NEW.first_contact_at) END;
  RETURN NEW;
END $$;

-- Each statement's rows, signed: +1 for what is there now, -1 for what was. The transition tables
-- are named n and o by the triggers below.
CREATE FUNCTION report_signed_rows(op text) RETURNS text LANGUAGE sql IMMUTABLE
AS $$ SELECT CASE op WHEN 'INSERT' THEN 'SELECT n.*, 1 AS s FROM n'
                      WHEN 'DELETE' THEN 'SELECT o.*, -1 AS s FROM o'
                      ELSE 'SELECT o.*, -1 AS s FROM o UNION ALL SELECT n.*, 1 AS s FROM n' END $$;

-- Most updates (a claim, a reminder, the sweep's batches) move nothing a report counts. A row-level
-- trigger, filtered by its WHEN in C, says when one did; the statement's trigger reads and clears
-- it. (Comparing the statement's old and new rows by a join was planned as a nested loop on the
-- transition tables, which have no statistics: minutes for an update of 100,000 rows.)
CREATE FUNCTION report_mark_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM set_config('leadpool.report_changed_' || TG_TABLE_NAME, 'yes', true);
  RETURN NULL;
END $$;

CREATE FUNCTION report_rows_changed(tbl text) RETURNS boolean LANGUAGE plpgsql AS $$
BEGIN
  IF coalesce(current_setting('leadpool.report_changed_' || tbl, true), '') <> 'yes' THEN RETURN false; END IF;
  PERFORM set_config('leadpool.report_changed_' || tbl, '', true);
  RETURN true;
END $$;

-- A lead's part in its cohort: counts by (team, UTC day, source), its deal's value, its delays' bins;
-- the statement that appends it for the signed lead rows of src. A trigger runs it on its transition
-- tables (which only the trigger function itself can read), report_rebuild on the whole table.
CREATE FUNCTION report_lead_sql(src text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT format($f$
    WITH x AS (SELECT x.*, coalesce(d.value, 0) AS deal_value FROM (%s) x LEFT JOIN deal d ON d.lead_id = x.id
                WHERE x.status <> 'merged'),
    counts AS (
      INSERT INTO report_cohort (team_id, day, source, leads_in, contacted, qualified, converted, lost, invalid, deal_value)
      SELECT * FROM (
        SELECT team_id, report_start('d', created_at), coalesce(source, 'unknown'), sum(s),
               sum(s * (contacted_at IS NOT NULL)::int), sum(s * (qualified_at IS NOT NULL)::int),
               sum(s * (converted_at IS NOT NULL)::int), sum(s * (stage = 'lost')::int),
               sum(s * (stage = 'invalid')::int), sum(s * deal_value) AS v
          FROM x GROUP BY 1, 2, 3) c(t, d, src, a, b, q, cv, l, i, v)
       WHERE (a, b, q, cv, l, i, v) <> (0, 0, 0, 0, 0, 0, 0))
    INSERT INTO report_delay (kind, team_id, grain, start, member, bin, n)
    SELECT k.kind, x.team_id, g.grain, report_start(g.grain, x.created_at), '', report_bin(k.ms), sum(x.s)
      FROM x CROSS JOIN LATERAL (VALUES ('contact', x.contact_ms), ('convert', x.convert_ms)) k(kind, ms)
             CROSS JOIN (VALUES ('d'), ('m')) g(grain)
     WHERE k.ms IS NOT NULL
     GROUP BY 1, 2, 3, 4, 6 HAVING sum(x.s) <> 0$f$, src) $$;

CREATE FUNCTION report_lead_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN IF NOT report_rows_changed(TG_TABLE_NAME) THEN RETURN NULL; END IF; END IF;
  EXECUTE report_lead_sql(report_signed_rows(TG_OP));
  RETURN NULL;
END $$;

-- A take, a reclaim or a conversion: per team and day (member '*'), per member and day or month
-- ('' for none); a take's response bin.
CREATE FUNCTION report_event_sql(src text) RETURNS text LANGUAGE sql IMMUTABLE AS $$ SELECT format($f$
    WITH x AS (SELECT x.*, (x.action IN ('claimed', 'assigned') AND x.to_owner_id IS NOT NULL) AS take
                 FROM (%s) x WHERE x.action IN ('claimed', 'assigned', 'reclaimed', 'converted')),
    counts AS (
      INSERT INTO report_take (team_id, grain, start, member, taken, reclaimed, converted)
      SELECT * FROM (
        SELECT team_id, grain, start, member, sum(taken), sum(reclaimed), sum(converted) FROM (
          SELECT team_id, 'd' AS grain, report_start('d', at) AS start, '*' AS member,
                 s * take::int AS taken, s * (action = 'reclaimed')::int AS reclaimed, 0 AS converted
            FROM x WHERE action <> 'converted'
          UNION ALL
          SELECT team_id, g.grain, report_start(g.grain, at), to_owner_id::text, s, 0, 0
            FROM x CROSS JOIN (VALUES ('d'), ('m')) g(grain) WHERE take
          UNION ALL
          SELECT team_id, g.grain, report_start(g.grain, at), coalesce(from_owner_id::text, ''), 0, s, 0
            FROM x CROSS JOIN (VALUES ('d'), ('m')) g(grain) WHERE action = 'reclaimed'
          UNION ALL
          SELECT team_id, g.grain, report_start(g.grain, at), coalesce(actor_id::text, ''), 0, 0, s
            FROM x CROSS JOIN (VALUES ('d'), ('m')) g(grain) WHERE action = 'converted') t
         GROUP BY 1, 2, 3, 4) c(t, g, st, m, a, r, cv)
       WHERE (a, r, cv) <> (0, 0, 0))
    INSERT INTO report_delay (kind, team_id, grain, start, member, bin, n)
    SELECT 'response', team_id, grain, start, member, report_bin(response_ms), sum(s) FROM (
      SELECT x.team_id, g.grain, report_start(g.grain, x.at) AS start, '' AS member, x.response_ms, x.s
        FROM x CROSS JOIN (VALUES ('d'), ('m')) g(grain) WHERE x.response_ms IS NOT NULL
      UNION ALL
      SELECT team_id, 'm', report_start('m', at), to_owner_id::text, response_ms, s
        FROM x WHERE response_ms IS NOT NULL) r
     GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(s) <> 0$f$, src) $$;

CREATE FUNCTION report_event_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN IF NOT report_rows_changed(TG_TABLE_NAME) THEN RETURN NULL; END IF; END IF;
  -- Most audit rows (created, followed up, stage moves) are none of these: no statement to plan.
  -- Nested: a condition naming n or o is planned whole, and not every trigger has both.
  IF TG_OP = 'INSERT' THEN IF NOT EXISTS (
    SELECT 1 FROM n WHERE n.action IN ('claimed', 'assigned', 'reclaimed', 'converted')
  ) THEN RETURN NULL; END IF; END IF;
  IF TG_OP = 'DELETE' THEN IF NOT EXISTS (
    SELECT 1 FROM o WHERE o.action IN ('claimed', 'assigned', 'reclaimed', 'converted')
  ) THEN RETURN NULL; END IF; END IF;
  EXECUTE report_event_sql(report_signed_rows(TG_OP));
  RETURN NULL;
END $$;

-- A deal's value counts in its lead's cohort while the lead is not merged.
CREATE FUNCTION report_deal_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN IF NOT report_rows_changed(TG_TABLE_NAME) THEN RETURN NULL; END IF; END IF;
  -- The lead's row, held until commit: a move of the lead (merge, new team or source) waits for this
  -- deal's change, or this waits for it, so the value is added or taken where the lead then is.
  EXECUTE format('SELECT 1 FROM lead l WHERE l.id IN (SELECT x.lead_id FROM (%s) x) ORDER BY l.id FOR SHARE',
                 report_signed_rows(TG_OP));
  EXECUTE format($f$
    INSERT INTO report_cohort (team_id, day, source, leads_in, contacted, qualified, converted, lost, invalid, deal_value)
    SELECT l.team_id, report_start('d', l.created_at), coalesce(l.source, 'unknown'), 0, 0, 0, 0, 0, 0,
           sum(x.s * coalesce(x.value, 0))
      FROM (%s) x JOIN lead l ON l.id = x.lead_id
     WHERE l.status <> 'merged'
     GROUP BY 1, 2, 3 HAVING sum(x.s * coalesce(x.value, 0)) <> 0$f$, report_signed_rows(TG_OP));
  RETURN NULL;
END $$;

-- Folds each key's appended rows into one; rows summing to nothing go. Safe to run anywhere at once:
-- a row another fold has taken is skipped, so every row is summed once.
CREATE FUNCTION report_fold() RETURNS bigint LANGUAGE plpgsql AS $$
DECLARE folded bigint := 0; k bigint;
BEGIN
  WITH keys AS (SELECT DISTINCT team_id, day, source FROM report_cohort WHERE fresh),
  moved AS (DELETE FROM report_cohort r USING keys k
             WHERE (r.team_id, r.day, r.source) = (k.team_id, k.day, k.source) RETURNING r.*),
  kept AS (INSERT INTO report_cohort (team_id, day, source, leads_in, contacted, qualified, converted, lost, invalid, deal_value, fresh)
           SELECT * FROM (
             SELECT team_id, day, source, sum(leads_in), sum(contacted), sum(qualified), sum(converted),
                    sum(lost), sum(invalid), sum(deal_value), false
               FROM moved GROUP BY 1, 2, 3) c(t, d, src, a, b, q, cv, l, i, v, f)
            WHERE (a, b, q, cv, l, i, v) <> (0, 0, 0, 0, 0, 0, 0))
  SELECT count(*) INTO k FROM moved;
  folded := folded + k;
  WITH keys AS (SELECT DISTINCT team_id, grain, start, member FROM report_take WHERE fresh),
  moved AS (DELETE FROM report_take r USING keys k
             WHERE (r.team_id, r.grain, r.start, r.member) = (k.team_id, k.grain, k.start, k.member) RETURNING r.*),
  kept AS (INSERT INTO report_take (team_id, grain, start, member, taken, reclaimed, converted, fresh)
           SELECT * FROM (
             SELECT team_id, grain, start, member, sum(taken), sum(reclaimed), sum(converted), false
               FROM moved GROUP BY 1, 2, 3, 4) c(t, g, st, m, a, r, cv, f)
            WHERE (a, r, cv) <> (0, 0, 0))
  SELECT count(*) INTO k FROM moved;
  folded := folded + k;
  WITH keys AS (SELECT DISTINCT kind, team_id, grain, start, member, bin FROM report_delay WHERE fresh),
  moved AS (DELETE FROM report_delay r USING keys k
             WHERE (r.kind, r.team_id, r.grain, r.start, r.member, r.bin) = (k.kind, k.team_id, k.grain, k.start, k.member, k.bin)
             RETURNING r.*),
  kept AS (INSERT INTO report_delay (kind, team_id, grain, start, member, bin, n, fresh)
           SELECT kind, team_id, grain, start, member, bin, sum(n), false
             FROM moved GROUP BY 1, 2, 3, 4, 5, 6 HAVING sum(n) <> 0)
  SELECT count(*) INTO k FROM moved;
  RETURN folded + k;
END $$;

-- The backfill: the delays of the leads and takes already stored, then their roll-ups, folded.
UPDATE lead SET contact_ms = report_ms(created_at, contacted_at), convert_ms = report_ms(created_at, converted_at)
 WHERE status <> 'merged' AND (contacted_at IS NOT NULL OR converted_at IS NOT NULL);
UPDATE lead_event SET response_ms = report_ms(at, first_contact_at)
 WHERE action IN ('claimed', 'assigned') AND to_owner_id IS NOT NULL AND first_contact_at IS NOT NULL;

CREATE TRIGGER lead_report_times BEFORE INSERT OR UPDATE OF status, created_at, contacted_at, converted_at ON lead
  FOR EACH ROW EXECUTE FUNCTION report_lead_times();
CREATE TRIGGER lead_event_report_times BEFORE INSERT OR UPDATE OF action, to_owner_id, at, first_contact_at ON lead_event
  FOR EACH ROW EXECUTE FUNCTION report_event_times();

CREATE TRIGGER lead_report_mark AFTER UPDATE ON lead FOR EACH ROW
  WHEN ((OLD.team_id, OLD.created_at, OLD.source, OLD.status = 'merged', OLD.stage, OLD.contacted_at, OLD.qualified_at, OLD.converted_at)
        IS DISTINCT FROM
        (NEW.team_id, NEW.created_at, NEW.source, NEW.status = 'merged', NEW.stage, NEW.contacted_at, NEW.qualified_at, NEW.converted_at))
  EXECUTE FUNCTION report_mark_changed();
CREATE TRIGGER lead_event_report_mark AFTER UPDATE ON lead_event FOR EACH ROW
  WHEN ((OLD.team_id, OLD.action, OLD.at, OLD.to_owner_id, OLD.from_owner_id, OLD.actor_id, OLD.first_contact_at)
        IS DISTINCT FROM (NEW.team_id, NEW.action, NEW.at, NEW.to_owner_id, NEW.from_owner_id, NEW.actor_id, NEW.first_contact_at))
  EXECUTE FUNCTION report_mark_changed();
CREATE TRIGGER deal_report_mark AFTER UPDATE ON deal FOR EACH ROW
  WHEN ((OLD.lead_id, OLD.value) IS DISTINCT FROM (NEW.lead_id, NEW.value))
  EXECUTE FUNCTION report_mark_changed();

CREATE TRIGGER lead_report_insert AFTER INSERT ON lead REFERENCING NEW TABLE AS n
  FOR EACH STATEMENT EXECUTE FUNCTION report_lead_changed();
CREATE TRIGGER lead_report_update AFTER UPDATE ON lead REFERENCING OLD TABLE AS o NEW TABLE AS n
  FOR EACH STATEMENT EXECUTE FUNCTION report_lead_changed();
CREATE TRIGGER lead_report_delete AFTER DELETE ON lead REFERENCING OLD TABLE AS o
  FOR EACH STATEMENT EXECUTE FUNCTION report_lead_changed();
CREATE TRIGGER lead_event_report_insert AFTER INSERT ON lead_event REFERENCING NEW TABLE AS n
  FOR EACH STATEMENT EXECUTE FUNCTION report_event_changed();
CREATE TRIGGER lead_event_report_update AFTER UPDATE ON lead_event REFERENCING OLD TABLE AS o NEW TABLE AS n
  FOR EACH STATEMENT EXECUTE FUNCTION report_event_changed();
CREATE TRIGGER lead_event_report_delete AFTER DELETE ON lead_event REFERENCING OLD TABLE AS o
  FOR EACH STATEMENT EXECUTE FUNCTION report_event_changed();
CREATE TRIGGER deal_report_insert AFTER INSERT ON deal REFERENCING NEW TABLE AS n
  FOR EACH STATEMENT EXECUTE FUNCTION report_deal_changed();
CREATE TRIGGER deal_report_update AFTER UPDATE ON deal REFERENCING OLD TABLE AS o NEW TABLE AS n
  FOR EACH STATEMENT EXECUTE FUNCTION report_deal_changed();
CREATE TRIGGER deal_report_delete AFTER DELETE ON deal REFERENCING OLD TABLE AS o
  FOR EACH STATEMENT EXECUTE FUNCTION report_deal_changed();

-- Rebuilds every roll-up from the rows themselves (the backfill below; a repair, should one be doubted).
CREATE FUNCTION report_rebuild() RETURNS bigint LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM report_cohort;
  DELETE FROM report_take;
  DELETE FROM report_delay;
  EXECUTE report_lead_sql('SELECT l.*, 1 AS s FROM lead l');
  EXECUTE report_event_sql('SELECT e.*, 1 AS s FROM lead_event e');
  RETURN report_fold();
END $$;

SELECT report_rebuild();

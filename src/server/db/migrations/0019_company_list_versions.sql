CREATE TABLE "company_list_versions" (
	"company_id" text PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Issue 14, ADR 0120: the counter moves with every change to what "my Apps" shows of a
-- Company. Statement-level triggers with transition tables: one upsert per Company a
-- statement touched (a suspension of a billing contact's 1,000 Apps moves its Company once),
-- in Company id order, so two statements touching the same Companies lock their counters in
-- the same order. No lock is taken on the Company row.
CREATE FUNCTION "company_list_bump_rows"(company_ids text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "company_list_versions" ("company_id", "version")
  SELECT DISTINCT c, 1 FROM unnest(company_ids) AS c WHERE c IS NOT NULL ORDER BY c
  ON CONFLICT ("company_id") DO UPDATE SET "version" = "company_list_versions"."version" + 1
$$;
--> statement-breakpoint
CREATE FUNCTION "apps_list_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "company_list_bump_rows"(ARRAY(SELECT n."company_id" FROM new_rows n));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "apps_list_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "company_list_bump_rows"(ARRAY(SELECT o."company_id" FROM old_rows o));
  RETURN NULL;
END
$$;
--> statement-breakpoint
-- Only the columns "my Apps" shows or filters on count; env, notes, trial warnings do not.
CREATE FUNCTION "apps_list_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "company_list_bump_rows"(ARRAY(
    SELECT unnest(ARRAY[o."company_id", n."company_id"]) FROM old_rows o JOIN new_rows n ON n."id" = o."id"
    WHERE o."name" IS DISTINCT FROM n."name" OR o."status" IS DISTINCT FROM n."status" OR o."plan" IS DISTINCT FROM n."plan"
      OR o."trial_ends_at" IS DISTINCT FROM n."trial_ends_at" OR o."company_id" IS DISTINCT FROM n."company_id"));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "apps_list_inserted" AFTER INSERT ON "apps" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "apps_list_inserted"();
--> statement-breakpoint
CREATE TRIGGER "apps_list_deleted" AFTER DELETE ON "apps" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "apps_list_deleted"();
--> statement-breakpoint
CREATE TRIGGER "apps_list_updated" AFTER UPDATE ON "apps" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "apps_list_updated"();
--> statement-breakpoint
-- A collaborator's App list (assigned, unassigned, or ended with the membership).
CREATE FUNCTION "collaborator_apps_list_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "company_list_bump_rows"(ARRAY(SELECT n."company_id" FROM new_rows n));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "collaborator_apps_list_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "company_list_bump_rows"(ARRAY(SELECT o."company_id" FROM old_rows o));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "collaborator_apps_list_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "company_list_bump_rows"(ARRAY(SELECT o."company_id" FROM old_rows o UNION ALL SELECT n."company_id" FROM new_rows n));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "collaborator_apps_list_inserted" AFTER INSERT ON "collaborator_apps" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "collaborator_apps_list_inserted"();
--> statement-breakpoint
CREATE TRIGGER "collaborator_apps_list_deleted" AFTER DELETE ON "collaborator_apps" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "collaborator_apps_list_deleted"();
--> statement-breakpoint
CREATE TRIGGER "collaborator_apps_list_updated" AFTER UPDATE ON "collaborator_apps" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "collaborator_apps_list_updated"();

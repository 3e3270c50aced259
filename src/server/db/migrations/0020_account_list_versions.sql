CREATE TABLE "account_list_versions" (
	"account_id" text PRIMARY KEY NOT NULL,
	"version" bigint DEFAULT 0 NOT NULL
);
--> statement-breakpoint
-- Issue 14, ADR 0122: the counter of each member Account moves with its Company's counter,
-- in the same statement, Account ids in order after the Companies' counters.
CREATE OR REPLACE FUNCTION "company_list_bump_rows"(company_ids text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "company_list_versions" ("company_id", "version")
  SELECT DISTINCT c, 1 FROM unnest(company_ids) AS c WHERE c IS NOT NULL ORDER BY c
  ON CONFLICT ("company_id") DO UPDATE SET "version" = "company_list_versions"."version" + 1;
  INSERT INTO "account_list_versions" ("account_id", "version")
  SELECT DISTINCT m."account_id", 1 FROM "memberships" m WHERE m."company_id" = ANY(company_ids) ORDER BY 1
  ON CONFLICT ("account_id") DO UPDATE SET "version" = "account_list_versions"."version" + 1;
$$;
--> statement-breakpoint
CREATE FUNCTION "account_list_bump_rows"(account_ids text[]) RETURNS void LANGUAGE sql AS $$
  INSERT INTO "account_list_versions" ("account_id", "version")
  SELECT DISTINCT a, 1 FROM unnest(account_ids) AS a WHERE a IS NOT NULL ORDER BY a
  ON CONFLICT ("account_id") DO UPDATE SET "version" = "account_list_versions"."version" + 1
$$;
--> statement-breakpoint
-- A membership added, removed, or changed in what "my Apps" shows or filters on (the role,
-- the Company's name or deletion, kept on the membership by migration 0018).
CREATE FUNCTION "memberships_list_inserted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "account_list_bump_rows"(ARRAY(SELECT n."account_id" FROM new_rows n));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "memberships_list_deleted"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "account_list_bump_rows"(ARRAY(SELECT o."account_id" FROM old_rows o));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE FUNCTION "memberships_list_updated"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  -- The rows that changed in a shown column, before and after (created_at is not shown).
  PERFORM "account_list_bump_rows"(ARRAY(
    SELECT d."account_id" FROM (
      (SELECT o."company_id", o."account_id", o."role", o."company_name", o."company_deleted" FROM old_rows o
       EXCEPT SELECT n."company_id", n."account_id", n."role", n."company_name", n."company_deleted" FROM new_rows n)
      UNION ALL
      (SELECT n."company_id", n."account_id", n."role", n."company_name", n."company_deleted" FROM new_rows n
       EXCEPT SELECT o."company_id", o."account_id", o."role", o."company_name", o."company_deleted" FROM old_rows o)) d));
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "memberships_list_inserted" AFTER INSERT ON "memberships" REFERENCING NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "memberships_list_inserted"();
--> statement-breakpoint
CREATE TRIGGER "memberships_list_deleted" AFTER DELETE ON "memberships" REFERENCING OLD TABLE AS old_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "memberships_list_deleted"();
--> statement-breakpoint
CREATE TRIGGER "memberships_list_updated" AFTER UPDATE ON "memberships" REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
  FOR EACH STATEMENT EXECUTE FUNCTION "memberships_list_updated"();

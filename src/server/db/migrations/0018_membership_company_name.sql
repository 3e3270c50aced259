ALTER TABLE "memberships" ADD COLUMN "company_name" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "memberships" ADD COLUMN "company_deleted" boolean DEFAULT false NOT NULL;--> statement-breakpoint
-- Issue 14, ADR 0117: the Company's name and deletion on each membership, kept by triggers.
UPDATE "memberships" m SET "company_name" = c."name", "company_deleted" = c."deleted_at" IS NOT NULL FROM "companies" c WHERE c."id" = m."company_id";
--> statement-breakpoint
-- The Company's row decides. Only a Company inserted by the same statement (accept's write
-- batch) is not visible yet: then the values the statement gives are kept.
CREATE FUNCTION "membership_company_fill"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  found_name text;
  found_deleted boolean;
BEGIN
  SELECT c."name", c."deleted_at" IS NOT NULL INTO found_name, found_deleted FROM "companies" c WHERE c."id" = NEW."company_id";
  IF FOUND THEN
    NEW."company_name" := found_name;
    NEW."company_deleted" := found_deleted;
  END IF;
  RETURN NEW;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "memberships_company_fill" BEFORE INSERT OR UPDATE OF "company_id", "company_name", "company_deleted" ON "memberships"
  FOR EACH ROW EXECUTE FUNCTION "membership_company_fill"();
--> statement-breakpoint
CREATE FUNCTION "company_memberships_follow"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "memberships" SET "company_name" = NEW."name", "company_deleted" = NEW."deleted_at" IS NOT NULL WHERE "company_id" = NEW."id";
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "companies_memberships_follow" AFTER UPDATE OF "name", "deleted_at" ON "companies" FOR EACH ROW
  WHEN (OLD."name" IS DISTINCT FROM NEW."name" OR (OLD."deleted_at" IS NULL) IS DISTINCT FROM (NEW."deleted_at" IS NULL))
  EXECUTE FUNCTION "company_memberships_follow"();
--> statement-breakpoint
CREATE INDEX "memberships_account_list_idx" ON "memberships" ("account_id", "company_id") INCLUDE ("role", "company_name") WHERE NOT "company_deleted";

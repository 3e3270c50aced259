CREATE TABLE "rate_limits" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"count" integer NOT NULL,
	"last_request" bigint NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "rate_limits_key_key" ON "rate_limits" USING btree ("key");--> statement-breakpoint
CREATE UNIQUE INDEX "billing_contacts_id_company_key" ON "billing_contacts" USING btree ("id","company_id");--> statement-breakpoint
ALTER TABLE "apps" ADD CONSTRAINT "apps_billing_contact_id_company_id_billing_contacts_id_company_id_fk" FOREIGN KEY ("billing_contact_id","company_id") REFERENCES "public"."billing_contacts"("id","company_id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "collaborator_apps" ADD CONSTRAINT "collaborator_apps_company_id_account_id_memberships_company_id_account_id_fk" FOREIGN KEY ("company_id","account_id") REFERENCES "public"."memberships"("company_id","account_id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "activity_company_category_idx" ON "activity_events" USING btree ("company_id","category","id");--> statement-breakpoint
CREATE INDEX "apps_created_by_idx" ON "apps" USING btree ("created_by");--> statement-breakpoint
ALTER TABLE "apps" ADD CONSTRAINT "apps_status_check" CHECK (status IN ('trial', 'active', 'suspended', 'deleted'));--> statement-breakpoint
ALTER TABLE "apps" ADD CONSTRAINT "apps_owner_check" CHECK ((status = 'trial' AND company_id IS NULL AND billing_contact_id IS NULL AND trial_account_id IS NOT NULL AND trial_ends_at IS NOT NULL)
    OR (status IN ('active', 'suspended') AND company_id IS NOT NULL AND billing_contact_id IS NOT NULL)
    OR status = 'deleted');--> statement-breakpoint
ALTER TABLE "billing_contacts" ADD CONSTRAINT "billing_contacts_currency_check" CHECK (currency IN ('EUR', 'USD'));--> statement-breakpoint
ALTER TABLE "memberships" ADD CONSTRAINT "memberships_role_check" CHECK (role IN ('owner', 'admin', 'collaborator', 'accountant'));
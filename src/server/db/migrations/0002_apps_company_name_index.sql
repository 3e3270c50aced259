DROP INDEX "apps_company_idx";--> statement-breakpoint
CREATE INDEX "apps_company_name_idx" ON "apps" USING btree ("company_id","name") WHERE status <> 'deleted';
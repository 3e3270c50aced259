CREATE TABLE "deployments" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"commit" text NOT NULL,
	"branch" text NOT NULL,
	"pushed_by" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "deployments" ADD CONSTRAINT "deployments_pushed_by_accounts_id_fk" FOREIGN KEY ("pushed_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "deployments_app_idx" ON "deployments" USING btree ("app_id","id");--> statement-breakpoint
CREATE INDEX "apps_deleted_at_idx" ON "apps" USING btree ("deleted_at") WHERE status = 'deleted';
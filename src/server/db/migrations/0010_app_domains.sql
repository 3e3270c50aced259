CREATE TABLE "app_domains" (
	"id" text PRIMARY KEY NOT NULL,
	"app_id" text NOT NULL,
	"hostname" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"challenge" text NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"verified_at" timestamp with time zone,
	"checked_at" timestamp with time zone,
	"check_result" text,
	CONSTRAINT "app_domains_state_check" CHECK (state IN ('pending', 'verified'))
);
--> statement-breakpoint
ALTER TABLE "app_domains" ADD CONSTRAINT "app_domains_app_id_apps_id_fk" FOREIGN KEY ("app_id") REFERENCES "public"."apps"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "app_domains_hostname_key" ON "app_domains" USING btree ("hostname");--> statement-breakpoint
CREATE INDEX "app_domains_app_idx" ON "app_domains" USING btree ("app_id","hostname");
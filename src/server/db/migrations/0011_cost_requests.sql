CREATE TABLE "cost_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"company_id" text NOT NULL,
	"kind" text NOT NULL,
	"app_id" text,
	"app_name" text NOT NULL,
	"region" text,
	"billing_contact_id" text NOT NULL,
	"plan_before" jsonb,
	"plan_after" jsonb NOT NULL,
	"currency" text NOT NULL,
	"monthly_before_cents" integer NOT NULL,
	"monthly_after_cents" integer NOT NULL,
	"requested_by" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"decided_at" timestamp with time zone,
	"decided_by" text,
	CONSTRAINT "cost_requests_kind_check" CHECK (kind IN ('scale', 'book')),
	CONSTRAINT "cost_requests_state_check" CHECK (state IN ('pending', 'approved', 'declined', 'expired')),
	CONSTRAINT "cost_requests_currency_check" CHECK (currency IN ('EUR', 'USD'))
);
--> statement-breakpoint
ALTER TABLE "companies" ADD COLUMN "require_cost_approval" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "cost_requests" ADD CONSTRAINT "cost_requests_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_requests" ADD CONSTRAINT "cost_requests_billing_contact_id_billing_contacts_id_fk" FOREIGN KEY ("billing_contact_id") REFERENCES "public"."billing_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_requests" ADD CONSTRAINT "cost_requests_requested_by_accounts_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "cost_requests" ADD CONSTRAINT "cost_requests_decided_by_accounts_id_fk" FOREIGN KEY ("decided_by") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "cost_requests_one_pending_key" ON "cost_requests" USING btree ("app_name") WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX "cost_requests_company_idx" ON "cost_requests" USING btree ("company_id","created_at");--> statement-breakpoint
CREATE INDEX "cost_requests_expiry_idx" ON "cost_requests" USING btree ("expires_at") WHERE state = 'pending';
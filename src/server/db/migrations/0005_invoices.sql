CREATE TABLE "invoice_counters" (
	"seller" text PRIMARY KEY NOT NULL,
	"last_number" integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"kind" text NOT NULL,
	"company_id" text NOT NULL,
	"billing_contact_id" text NOT NULL,
	"month" text NOT NULL,
	"issued_at" timestamp with time zone NOT NULL,
	"currency" text NOT NULL,
	"net_cents" integer NOT NULL,
	"tax_cents" integer NOT NULL,
	"total_cents" integer NOT NULL,
	"state" text NOT NULL,
	"seller" jsonb NOT NULL,
	"buyer" jsonb NOT NULL,
	"lines" jsonb NOT NULL,
	"taxes" jsonb NOT NULL,
	"notes" jsonb NOT NULL,
	"credits_invoice_id" text,
	"reason" text,
	"mailed_at" timestamp with time zone,
	"next_charge_at" timestamp with time zone,
	"charge_attempts" integer DEFAULT 0 NOT NULL,
	"paid_at" timestamp with time zone,
	"state_changed_at" timestamp with time zone NOT NULL,
	CONSTRAINT "invoices_kind_check" CHECK (kind IN ('invoice', 'credit_note')),
	CONSTRAINT "invoices_state_check" CHECK (state IN ('open', 'paid', 'payment_failed', 'action_required', 'void', 'issued')),
	CONSTRAINT "invoices_totals_check" CHECK (total_cents = net_cents + tax_cents)
);
--> statement-breakpoint
CREATE TABLE "scheduled_runs" (
	"job" text NOT NULL,
	"run_key" text NOT NULL,
	"state" text DEFAULT 'pending' NOT NULL,
	"claimed_by" text,
	"lease_until" timestamp with time zone,
	"attempts" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"result" jsonb,
	"last_error" text,
	CONSTRAINT "scheduled_runs_job_run_key_pk" PRIMARY KEY("job","run_key"),
	CONSTRAINT "scheduled_runs_state_check" CHECK (state IN ('pending', 'done'))
);
--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_company_id_companies_id_fk" FOREIGN KEY ("company_id") REFERENCES "public"."companies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_billing_contact_id_billing_contacts_id_fk" FOREIGN KEY ("billing_contact_id") REFERENCES "public"."billing_contacts"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_number_key" ON "invoices" USING btree ("number");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_contact_month_kind_key" ON "invoices" USING btree ("billing_contact_id","month","kind");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_one_credit_key" ON "invoices" USING btree ("credits_invoice_id") WHERE credits_invoice_id IS NOT NULL;--> statement-breakpoint
CREATE INDEX "invoices_company_idx" ON "invoices" USING btree ("company_id","issued_at","id");--> statement-breakpoint
CREATE INDEX "invoices_unmailed_idx" ON "invoices" USING btree ("issued_at") WHERE mailed_at IS NULL;--> statement-breakpoint
CREATE INDEX "invoices_charge_due_idx" ON "invoices" USING btree ("next_charge_at") WHERE next_charge_at IS NOT NULL;
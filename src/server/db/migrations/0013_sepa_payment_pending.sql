ALTER TABLE "invoice_payments" DROP CONSTRAINT "invoice_payments_state_check";--> statement-breakpoint
ALTER TABLE "invoices" DROP CONSTRAINT "invoices_state_check";--> statement-breakpoint
ALTER TABLE "invoices" ADD COLUMN "dunning_from" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "invoice_payments" ADD CONSTRAINT "invoice_payments_state_check" CHECK (state IN ('paid', 'declined', 'action_required', 'pending', 'refunded'));--> statement-breakpoint
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_state_check" CHECK (state IN ('open', 'paid', 'payment_failed', 'action_required', 'payment_pending', 'void', 'issued'));
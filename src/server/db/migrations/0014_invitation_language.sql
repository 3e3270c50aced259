ALTER TABLE "invitations" ADD COLUMN "language" text;--> statement-breakpoint
ALTER TABLE "invitations" ADD CONSTRAINT "invitations_language_check" CHECK (language IN ('en', 'de'));
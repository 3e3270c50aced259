CREATE TABLE "retired_invitation_tokens" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"invitation_id" text NOT NULL,
	"retired_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
ALTER TABLE "retired_invitation_tokens" ADD CONSTRAINT "retired_invitation_tokens_invitation_id_invitations_id_fk" FOREIGN KEY ("invitation_id") REFERENCES "public"."invitations"("id") ON DELETE no action ON UPDATE no action;
CREATE TABLE "stripe_webhook_events" (
	"event_id" text NOT NULL,
	"type" text NOT NULL,
	"object_id" text,
	"received_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "stripe_webhook_events_event_key" ON "stripe_webhook_events" USING btree ("event_id");
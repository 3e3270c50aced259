-- Issue 14, ADR 0116: every server process keeps a short-lived cache of who a session
-- cookie belongs to (GET requests only). Any change to a session or an Account that the
-- cache could hold tells every process at once: NOTIFY actor_changed at commit, and each
-- process empties its cache. A session's "last seen" (kept to 5 minutes) is not such a change.
CREATE FUNCTION "notify_actor_changed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('actor_changed', '');
  RETURN NULL;
END
$$;
--> statement-breakpoint
CREATE TRIGGER "sessions_actor_changed_update" AFTER UPDATE ON "sessions" FOR EACH ROW
  WHEN ((OLD."token", OLD."account_id", OLD."expires_at", OLD."reauthenticated_at") IS DISTINCT FROM (NEW."token", NEW."account_id", NEW."expires_at", NEW."reauthenticated_at"))
  EXECUTE FUNCTION "notify_actor_changed"();
--> statement-breakpoint
CREATE TRIGGER "sessions_actor_changed_delete" AFTER DELETE ON "sessions" FOR EACH STATEMENT EXECUTE FUNCTION "notify_actor_changed"();
--> statement-breakpoint
CREATE TRIGGER "accounts_actor_changed" AFTER UPDATE OR DELETE ON "accounts" FOR EACH STATEMENT EXECUTE FUNCTION "notify_actor_changed"();

-- The admin dashboard and audit log: out-of-hours attempts, indexes for the figures, and the
-- names of the staff who appear in a tenant's audit log.

-- A visitor who tries to start a chat while the line is closed leaves only a count per tenant,
-- day (in the tenant's time zone) and routed team: no address, no text, no time of day.
CREATE TABLE closed_attempts (
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    day date NOT NULL,
    -- The team the visitor would have been routed to, NULL for the tenant-wide queue. No foreign
    -- key: a deleted team's attempts still count in the tenant's totals.
    team_id uuid,
    attempts integer NOT NULL DEFAULT 0 CHECK (attempts >= 0)
);
CREATE UNIQUE INDEX closed_attempts_key ON closed_attempts
    (organisation_id, day, COALESCE(team_id, '00000000-0000-0000-0000-000000000000'::uuid));

ALTER TABLE closed_attempts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON closed_attempts
    USING (organisation_id = havre_current_tenant())
    WITH CHECK (organisation_id = havre_current_tenant());
GRANT SELECT, INSERT, UPDATE ON closed_attempts TO havre_app;

-- The dashboard reads a tenant's conversations by creation time; the audit page pages by id.
CREATE INDEX conversations_created ON conversations (organisation_id, created_at);
CREATE INDEX audit_log_org_id ON audit_log (organisation_id, id DESC);

-- The conversations a dashboard counts: created between two days of the tenant's calendar
-- (both included, in its time zone), optionally of one team. SECURITY INVOKER and plain SQL,
-- so row-level security applies and the planner inlines it into each figure's query.
CREATE FUNCTION havre_dashboard_conversations(p_from date, p_to date, p_team uuid)
    RETURNS TABLE (day date, state text, topic text, risk_level text, rating smallint,
                   wrapup jsonb, created_at timestamptz, assigned_at timestamptz,
                   ended_at timestamptz)
    LANGUAGE sql STABLE
    AS $$
        SELECT (c.created_at AT TIME ZONE o.time_zone)::date, c.state, c.topic, c.risk_level,
               c.rating, c.wrapup, c.created_at, c.assigned_at, c.ended_at
          FROM conversations c JOIN organisations o ON o.id = c.organisation_id
         WHERE o.id = havre_current_tenant()
           AND c.organisation_id = havre_current_tenant()
           AND c.created_at >= (p_from::timestamp AT TIME ZONE o.time_zone)
           AND c.created_at < ((p_to + 1)::timestamp AT TIME ZONE o.time_zone)
           AND (p_team IS NULL OR c.team_id = p_team)
    $$;
GRANT EXECUTE ON FUNCTION havre_dashboard_conversations(date, date, uuid) TO havre_app;

-- Who an audit entry's actor is, for the current tenant's admins: the tenant's own members and
-- the staff (e.g. a partner's listener) who acted in this tenant; nobody else's address leaks.
-- p_ids limits to some accounts, p_email to addresses containing it; NULL means no limit.
CREATE INDEX audit_log_actor ON audit_log (organisation_id, actor_id);

CREATE FUNCTION havre_audit_actors(p_ids uuid[], p_email text)
    RETURNS TABLE (id uuid, email text, display_name text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT s.id, s.email, s.display_name
          FROM staff_users s
         WHERE havre_current_tenant() IS NOT NULL
           AND (p_ids IS NULL OR s.id = ANY (p_ids))
           AND (p_email IS NULL OR strpos(s.email, lower(p_email)) > 0)
           AND (EXISTS (SELECT 1 FROM memberships m
                         WHERE m.staff_id = s.id AND m.organisation_id = havre_current_tenant())
                OR EXISTS (SELECT 1 FROM audit_log a
                            WHERE a.organisation_id = havre_current_tenant()
                              AND a.actor_id = s.id))
    $$;

REVOKE ALL ON FUNCTION havre_audit_actors(uuid[], text) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION havre_audit_actors(uuid[], text) TO havre_app;

-- Live conversations: timers, risk reasons and the cross-tenant lookups the queue needs.

ALTER TABLE conversations
    ADD COLUMN risk_reasons text[] NOT NULL DEFAULT '{}',
    ADD COLUMN risk_set_by uuid REFERENCES staff_users,
    ADD COLUMN last_visitor_at timestamptz,
    ADD COLUMN session_ends_at timestamptz,
    ADD COLUMN extended boolean NOT NULL DEFAULT false,
    ADD COLUMN session_warned boolean NOT NULL DEFAULT false,
    ADD COLUMN inactivity_warned boolean NOT NULL DEFAULT false,
    ADD COLUMN end_reason text,
    ADD COLUMN transfers integer NOT NULL DEFAULT 0;

CREATE INDEX conversations_listener ON conversations (listener_id) WHERE state = 'active';

-- How many conversations a listener holds, across every tenant they serve (capacity).
CREATE FUNCTION havre_listener_load(p_staff uuid) RETURNS integer
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT count(*)::integer FROM conversations WHERE listener_id = p_staff AND state = 'active' $$;

-- Tenants with conversations that timers must look at (queued or active).
CREATE FUNCTION havre_live_tenants() RETURNS SETOF uuid
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT DISTINCT organisation_id FROM conversations WHERE state IN ('queued', 'active') $$;

-- Staff who may answer a tenant's chats (own members and granted partners), for auto-assignment
-- and supervisor alerts: ids and roles only.
CREATE FUNCTION havre_tenant_staff(p_tenant uuid)
    RETURNS TABLE (staff_id uuid, role text, via_partner uuid, team_ids uuid[], capacity integer)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT m.staff_id, m.role, NULL::uuid, NULL::uuid[], m.capacity
          FROM memberships m JOIN staff_users s ON s.id = m.staff_id
         WHERE m.organisation_id = p_tenant AND m.is_active AND s.is_active
        UNION ALL
        SELECT m.staff_id,
               CASE WHEN m.role IN ('owner', 'admin', 'supervisor') THEN 'supervisor' ELSE 'listener' END,
               p.partner_id, p.team_ids, m.capacity
          FROM partnerships p
          JOIN memberships m ON m.organisation_id = p.partner_id
          JOIN staff_users s ON s.id = m.staff_id
         WHERE p.host_id = p_tenant AND m.is_active AND s.is_active
    $$;

REVOKE ALL ON FUNCTION havre_listener_load(uuid), havre_live_tenants(),
    havre_tenant_staff(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION havre_listener_load(uuid), havre_live_tenants(),
    havre_tenant_staff(uuid) TO havre_app;

-- Supervision: the shift alert threshold per tenant, supervised and long-wait flags per
-- conversation, and the names supervisors see next to each live conversation.

ALTER TABLE organisations
    ADD COLUMN shift_alert_minutes integer NOT NULL DEFAULT 240
        CHECK (shift_alert_minutes BETWEEN 1 AND 1440);

ALTER TABLE conversations
    -- Taken by a listener still within their first supervised conversations (memberships).
    ADD COLUMN supervised boolean NOT NULL DEFAULT false,
    -- Supervisors were told this visitor waited past the tenant's wait_alert_minutes (once).
    ADD COLUMN wait_alerted boolean NOT NULL DEFAULT false;

-- Display names of the given staff who serve the transaction's tenant (own members and granted
-- partners, whose accounts the tenant cannot read directly): a name, never an e-mail domain.
CREATE FUNCTION havre_tenant_staff_names(p_ids uuid[])
    RETURNS TABLE (staff_id uuid, name text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT s.id, coalesce(nullif(s.display_name, ''), split_part(s.email, '@', 1))
          FROM staff_users s
         WHERE s.id = ANY(p_ids)
           AND s.id IN (SELECT t.staff_id FROM havre_tenant_staff(havre_current_tenant()) t)
    $$;

REVOKE ALL ON FUNCTION havre_tenant_staff_names(uuid[]) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION havre_tenant_staff_names(uuid[]) TO havre_app;

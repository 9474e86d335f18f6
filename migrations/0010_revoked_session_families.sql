-- Deactivating a member refuses their access tokens at once, not only their refresh tokens:
-- the function now returns the session families it revoked, for the deny-list in Redis
-- (server/revocations.py). Their ids are random and name nothing else.
DROP FUNCTION havre_revoke_member_sessions(uuid);

CREATE FUNCTION havre_revoke_member_sessions(p_staff uuid) RETURNS SETOF uuid
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        WITH revoked AS (
            UPDATE staff_sessions SET revoked_at = now()
             WHERE staff_id = p_staff AND revoked_at IS NULL
               AND EXISTS (SELECT 1 FROM memberships m
                            WHERE m.staff_id = p_staff
                              AND m.organisation_id = havre_current_tenant())
            RETURNING family_id)
        SELECT DISTINCT family_id FROM revoked
    $$;

REVOKE ALL ON FUNCTION havre_revoke_member_sessions(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION havre_revoke_member_sessions(uuid) TO havre_app;

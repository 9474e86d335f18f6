-- Staff accounts: two-step sign-in (TOTP and recovery codes), invitations, and the narrow
-- cross-tenant functions that accepting an invitation and deactivating a member need.

-- The TOTP secret is encrypted by the application (AES-GCM with HAVRE_MESSAGE_KEYS, the staff id
-- as authenticated data); totp_key_id names the key. No secret was ever stored before this.
ALTER TABLE staff_users
    ALTER COLUMN totp_secret TYPE bytea USING NULL,
    ADD COLUMN totp_key_id text,
    -- NULL while enrolment is pending (a secret shown but not yet confirmed with a code).
    ADD COLUMN totp_enabled_at timestamptz,
    -- The last accepted time step: a code is never accepted twice (no replay within its window).
    ADD COLUMN totp_last_step bigint;

-- One-time recovery codes: only SHA-256 hashes of 80-bit random codes are kept.
CREATE TABLE staff_recovery_codes (
    staff_id uuid NOT NULL REFERENCES staff_users ON DELETE CASCADE,
    code_hash text NOT NULL,
    used_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (staff_id, code_hash)
);

ALTER TABLE staff_recovery_codes ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_recovery_codes ON staff_recovery_codes
    USING (staff_id = havre_current_staff()) WITH CHECK (staff_id = havre_current_staff());

-- An invitation to join a tenant; the link's token is never stored, only its SHA-256.
CREATE TABLE invitations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    email text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    role text NOT NULL CHECK (role IN ('admin', 'supervisor', 'listener')),
    team_ids uuid[] NOT NULL DEFAULT '{}',
    locale text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
    token_hash text NOT NULL UNIQUE,
    invited_by uuid REFERENCES staff_users ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    expires_at timestamptz NOT NULL,
    accepted_at timestamptz,
    accepted_by uuid REFERENCES staff_users ON DELETE SET NULL,
    revoked_at timestamptz
);
CREATE INDEX invitations_org ON invitations (organisation_id, created_at DESC);

ALTER TABLE invitations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON invitations
    USING (organisation_id = havre_current_tenant())
    WITH CHECK (organisation_id = havre_current_tenant());

-- The invitee holds a token but no tenant yet: this answers what the invitation page shows,
-- for a usable invitation only (not accepted, not revoked, not expired).
CREATE FUNCTION havre_invitation_by_token(p_token_hash text)
    RETURNS TABLE (id uuid, organisation_id uuid, organisation_name text, email text, role text,
                   locale text, expires_at timestamptz, has_account boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT i.id, i.organisation_id, o.name, i.email, i.role, i.locale, i.expires_at,
               EXISTS (SELECT 1 FROM staff_users s WHERE s.email = i.email)
          FROM invitations i JOIN organisations o ON o.id = i.organisation_id
         WHERE i.token_hash = p_token_hash AND i.accepted_at IS NULL AND i.revoked_at IS NULL
           AND i.expires_at > now()
    $$;

-- Creates the account an invitation names, only while that invitation is usable and only if no
-- account has that address; returns NULL otherwise. Staff accounts have no INSERT policy, so
-- this is the application's one way to create one.
CREATE FUNCTION havre_create_invited_staff(p_invitation uuid, p_display_name text,
                                           p_locale text, p_password_hash text)
    RETURNS uuid
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        INSERT INTO staff_users (email, display_name, locale, password_hash)
        SELECT i.email, p_display_name, p_locale, p_password_hash
          FROM invitations i
         WHERE i.id = p_invitation AND i.accepted_at IS NULL AND i.revoked_at IS NULL
           AND i.expires_at > now()
        ON CONFLICT (email) DO NOTHING
        RETURNING id
    $$;

-- A tenant deactivating one of its members signs that person out: their refresh tokens are
-- revoked, but only when they are a member of the current tenant.
CREATE FUNCTION havre_revoke_member_sessions(p_staff uuid) RETURNS integer
    LANGUAGE sql VOLATILE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        WITH revoked AS (
            UPDATE staff_sessions SET revoked_at = now()
             WHERE staff_id = p_staff AND revoked_at IS NULL
               AND EXISTS (SELECT 1 FROM memberships m
                            WHERE m.staff_id = p_staff
                              AND m.organisation_id = havre_current_tenant())
            RETURNING 1)
        SELECT count(*)::integer FROM revoked
    $$;

REVOKE ALL ON FUNCTION havre_invitation_by_token(text),
    havre_create_invited_staff(uuid, text, text, text), havre_revoke_member_sessions(uuid)
    FROM PUBLIC;
GRANT EXECUTE ON FUNCTION havre_invitation_by_token(text),
    havre_create_invited_staff(uuid, text, text, text), havre_revoke_member_sessions(uuid)
    TO havre_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON staff_recovery_codes, invitations TO havre_app;

-- Havre's first schema: every tenant-owned table carries organisation_id and a row-level
-- security policy on the per-transaction setting havre.tenant_id (see server/db.py).

-- Roles are cluster-wide: another database on the same server may have created it already
-- (and an owner without CREATEROLE can then still migrate).
DO $$
BEGIN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'havre_app') THEN
        CREATE ROLE havre_app LOGIN NOSUPERUSER NOBYPASSRLS NOCREATEDB NOCREATEROLE;
    END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
    NULL;
END
$$;

CREATE FUNCTION havre_current_tenant() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('havre.tenant_id', true), '')::uuid $$;

CREATE FUNCTION havre_current_staff() RETURNS uuid
    LANGUAGE sql STABLE
    AS $$ SELECT NULLIF(current_setting('havre.staff_id', true), '')::uuid $$;

CREATE TABLE organisations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    slug text NOT NULL UNIQUE CHECK (slug ~ '^[a-z0-9][a-z0-9-]{1,62}$'),
    name text NOT NULL CHECK (length(name) BETWEEN 1 AND 200),
    kind text NOT NULL CHECK (kind IN ('association', 'university', 'other')),
    default_locale text NOT NULL DEFAULT 'fr' CHECK (default_locale IN ('fr', 'en')),
    time_zone text NOT NULL DEFAULT 'Europe/Paris',
    branding jsonb NOT NULL DEFAULT '{}',
    exit_url text NOT NULL DEFAULT 'https://www.google.com/',
    allowed_origins text[] NOT NULL DEFAULT '{}',
    routing_mode text NOT NULL DEFAULT 'claim' CHECK (routing_mode IN ('claim', 'auto')),
    closing_cutoff_minutes integer NOT NULL DEFAULT 15 CHECK (closing_cutoff_minutes BETWEEN 0 AND 240),
    session_limit_minutes integer NOT NULL DEFAULT 45 CHECK (session_limit_minutes BETWEEN 5 AND 480),
    inactivity_timeout_minutes integer NOT NULL DEFAULT 15 CHECK (inactivity_timeout_minutes BETWEEN 1 AND 240),
    wait_alert_minutes integer NOT NULL DEFAULT 10 CHECK (wait_alert_minutes BETWEEN 1 AND 240),
    default_capacity integer NOT NULL DEFAULT 2 CHECK (default_capacity BETWEEN 1 AND 20),
    retention_days integer NOT NULL DEFAULT 90 CHECK (retention_days BETWEEN 1 AND 3650),
    -- The first admin named in the tenant file.
    admin_email text NOT NULL CHECK (admin_email = lower(admin_email)),
    created_at timestamptz NOT NULL DEFAULT now(),
    updated_at timestamptz NOT NULL DEFAULT now()
);

-- Staff are people, not tenant rows: one account may belong to several organisations.
CREATE TABLE staff_users (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    email text NOT NULL CHECK (email = lower(email) AND email LIKE '%_@_%'),
    display_name text NOT NULL DEFAULT '',
    locale text NOT NULL DEFAULT 'fr' CHECK (locale IN ('fr', 'en')),
    password_hash text,
    totp_secret text,
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX staff_users_email ON staff_users (email);

CREATE TABLE memberships (
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    staff_id uuid NOT NULL REFERENCES staff_users ON DELETE CASCADE,
    role text NOT NULL CHECK (role IN ('owner', 'admin', 'supervisor', 'listener')),
    capacity integer CHECK (capacity BETWEEN 1 AND 20),
    supervised_conversations integer NOT NULL DEFAULT 0 CHECK (supervised_conversations >= 0),
    is_active boolean NOT NULL DEFAULT true,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (organisation_id, staff_id)
);
CREATE INDEX memberships_staff ON memberships (staff_id);

CREATE TABLE teams (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    slug text NOT NULL CHECK (slug ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    name text NOT NULL,
    languages text[] NOT NULL DEFAULT '{}',
    topics text[] NOT NULL DEFAULT '{}',
    UNIQUE (organisation_id, slug),
    UNIQUE (organisation_id, id)
);

CREATE TABLE team_members (
    organisation_id uuid NOT NULL,
    team_id uuid NOT NULL,
    staff_id uuid NOT NULL,
    PRIMARY KEY (team_id, staff_id),
    FOREIGN KEY (organisation_id, team_id) REFERENCES teams (organisation_id, id) ON DELETE CASCADE,
    FOREIGN KEY (organisation_id, staff_id) REFERENCES memberships (organisation_id, staff_id) ON DELETE CASCADE
);

-- A host tenant grants a partner organisation's listeners the right to answer its chats.
CREATE TABLE partnerships (
    host_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    partner_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    -- NULL: every team of the host; otherwise only these teams.
    team_ids uuid[],
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (host_id, partner_id),
    CHECK (host_id <> partner_id)
);
CREATE INDEX partnerships_partner ON partnerships (partner_id);

-- Weekly schedule in the tenant's time zone; closes < opens means the slot ends after midnight.
CREATE TABLE opening_hours (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    team_id uuid,
    weekday smallint NOT NULL CHECK (weekday BETWEEN 1 AND 7),
    opens time NOT NULL,
    closes time NOT NULL,
    -- 00:00 to 00:00 is the whole day; any other equal pair is a mistake.
    CHECK (opens <> closes OR opens = '00:00'),
    FOREIGN KEY (organisation_id, team_id) REFERENCES teams (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX opening_hours_org ON opening_hours (organisation_id);

CREATE TABLE opening_exceptions (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    team_id uuid,
    day date NOT NULL,
    -- Both NULL: closed that day; otherwise open only in this slot.
    opens time,
    closes time,
    label jsonb,
    CHECK ((opens IS NULL) = (closes IS NULL)),
    FOREIGN KEY (organisation_id, team_id) REFERENCES teams (organisation_id, id) ON DELETE CASCADE
);
CREATE INDEX opening_exceptions_org ON opening_exceptions (organisation_id, day);

CREATE TABLE referrals (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    position integer NOT NULL,
    name text NOT NULL,
    description jsonb NOT NULL DEFAULT '{}',
    hours jsonb NOT NULL DEFAULT '{}',
    phone text,
    sms text,
    url text,
    topics text[] NOT NULL DEFAULT '{}',
    is_emergency boolean NOT NULL DEFAULT false,
    is_hidden boolean NOT NULL DEFAULT false,
    UNIQUE (organisation_id, key)
);

CREATE TABLE canned_replies (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    key text NOT NULL CHECK (key ~ '^[a-z0-9][a-z0-9-]{0,62}$'),
    locale text NOT NULL CHECK (locale IN ('fr', 'en')),
    title text NOT NULL,
    body text NOT NULL,
    UNIQUE (organisation_id, key, locale)
);

CREATE TABLE conversations (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    team_id uuid,
    state text NOT NULL DEFAULT 'queued'
        CHECK (state IN ('queued', 'active', 'ended', 'abandoned', 'missed')),
    topic text,
    locale text NOT NULL CHECK (locale IN ('fr', 'en')),
    risk_level text NOT NULL DEFAULT 'none'
        CHECK (risk_level IN ('none', 'elevated', 'high', 'imminent')),
    listener_id uuid REFERENCES staff_users,
    last_seq integer NOT NULL DEFAULT 0,
    created_at timestamptz NOT NULL DEFAULT now(),
    assigned_at timestamptz,
    ended_at timestamptz,
    wrapup jsonb,
    rating smallint CHECK (rating BETWEEN 1 AND 5),
    FOREIGN KEY (organisation_id, team_id)
        REFERENCES teams (organisation_id, id) ON DELETE SET NULL (team_id),
    UNIQUE (organisation_id, id)
);
CREATE INDEX conversations_queue ON conversations (organisation_id, state, created_at);

-- Bodies are encrypted by the application (AES-GCM); key_id names the key for rotation.
CREATE TABLE messages (
    organisation_id uuid NOT NULL,
    conversation_id uuid NOT NULL,
    seq integer NOT NULL,
    client_id uuid NOT NULL,
    author_kind text NOT NULL CHECK (author_kind IN ('visitor', 'listener', 'supervisor', 'system')),
    author_id uuid,
    kind text NOT NULL DEFAULT 'text' CHECK (kind IN ('text', 'referral', 'whisper', 'note', 'event')),
    key_id text NOT NULL,
    body bytea NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    PRIMARY KEY (conversation_id, seq),
    UNIQUE (conversation_id, client_id),
    FOREIGN KEY (organisation_id, conversation_id)
        REFERENCES conversations (organisation_id, id) ON DELETE CASCADE
);

CREATE TABLE audit_log (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    actor_id uuid,
    action text NOT NULL,
    target text NOT NULL DEFAULT '',
    details jsonb NOT NULL DEFAULT '{}',
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX audit_log_org ON audit_log (organisation_id, created_at DESC);

-- Refresh-token rotation: one row per issued refresh token, chained by family.
CREATE TABLE staff_sessions (
    id uuid PRIMARY KEY,
    staff_id uuid NOT NULL REFERENCES staff_users ON DELETE CASCADE,
    family_id uuid NOT NULL,
    expires_at timestamptz NOT NULL,
    used_at timestamptz,
    revoked_at timestamptz,
    created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX staff_sessions_family ON staff_sessions (family_id);

-- Row-level security ---------------------------------------------------------------------

ALTER TABLE organisations ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON organisations
    USING (id = havre_current_tenant()) WITH CHECK (id = havre_current_tenant());

DO $$
DECLARE
    t text;
BEGIN
    FOREACH t IN ARRAY ARRAY['memberships', 'teams', 'team_members', 'opening_hours',
                             'opening_exceptions', 'referrals', 'canned_replies',
                             'conversations', 'messages', 'audit_log']
    LOOP
        EXECUTE format('ALTER TABLE %I ENABLE ROW LEVEL SECURITY', t);
        EXECUTE format(
            'CREATE POLICY tenant_isolation ON %I USING (organisation_id = havre_current_tenant()) '
            'WITH CHECK (organisation_id = havre_current_tenant())', t);
    END LOOP;
END
$$;

-- Both sides of a partnership can read it; only the host grants or revokes.
ALTER TABLE partnerships ENABLE ROW LEVEL SECURITY;
CREATE POLICY partnership_read ON partnerships FOR SELECT
    USING (host_id = havre_current_tenant() OR partner_id = havre_current_tenant());
CREATE POLICY partnership_host_insert ON partnerships FOR INSERT
    WITH CHECK (host_id = havre_current_tenant());
CREATE POLICY partnership_host_update ON partnerships FOR UPDATE
    USING (host_id = havre_current_tenant()) WITH CHECK (host_id = havre_current_tenant());
CREATE POLICY partnership_host_delete ON partnerships FOR DELETE
    USING (host_id = havre_current_tenant());

-- A staff account is visible to itself and to the tenants it belongs to, and changed only by
-- itself: a tenant must not rewrite the account of someone who also works for another.
ALTER TABLE staff_users ENABLE ROW LEVEL SECURITY;
CREATE POLICY staff_visibility ON staff_users FOR SELECT
    USING (id = havre_current_staff() OR EXISTS (
        SELECT 1 FROM memberships m WHERE m.staff_id = staff_users.id));
CREATE POLICY staff_self_update ON staff_users FOR UPDATE
    USING (id = havre_current_staff()) WITH CHECK (id = havre_current_staff());

ALTER TABLE staff_sessions ENABLE ROW LEVEL SECURITY;
CREATE POLICY own_sessions ON staff_sessions
    USING (staff_id = havre_current_staff()) WITH CHECK (staff_id = havre_current_staff());

-- Lookups that must cross the tenant boundary, each returning only what its caller needs.

CREATE FUNCTION havre_tenant_by_slug(p_slug text)
    RETURNS TABLE (id uuid, slug text, name text, default_locale text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT o.id, o.slug, o.name, o.default_locale FROM organisations o WHERE o.slug = p_slug $$;

-- Slug and name are public (the widget shows them); partners see each other by these only.
CREATE FUNCTION havre_organisation_public(p_id uuid)
    RETURNS TABLE (id uuid, slug text, name text)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT o.id, o.slug, o.name FROM organisations o WHERE o.id = p_id $$;

CREATE FUNCTION havre_staff_credentials(p_email text)
    RETURNS TABLE (id uuid, password_hash text, is_active boolean)
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$ SELECT s.id, s.password_hash, s.is_active FROM staff_users s WHERE s.email = lower(p_email) $$;

-- Every tenant a staff member may act in: their own organisations, and the hosts that granted
-- one of those organisations (partner staff act there with their role, capped at supervisor).
CREATE FUNCTION havre_staff_access(p_staff uuid)
    RETURNS TABLE (organisation_id uuid, slug text, name text, role text,
                   via_partner uuid, team_ids uuid[])
    LANGUAGE sql STABLE SECURITY DEFINER SET search_path = public, pg_temp
    AS $$
        SELECT o.id, o.slug, o.name, m.role, NULL::uuid, NULL::uuid[]
          FROM memberships m JOIN organisations o ON o.id = m.organisation_id
          JOIN staff_users s ON s.id = m.staff_id
         WHERE m.staff_id = p_staff AND m.is_active AND s.is_active
        UNION ALL
        SELECT h.id, h.slug, h.name,
               CASE WHEN m.role IN ('owner', 'admin', 'supervisor') THEN 'supervisor' ELSE 'listener' END,
               p.partner_id, p.team_ids
          FROM memberships m
          JOIN staff_users s ON s.id = m.staff_id
          JOIN partnerships p ON p.partner_id = m.organisation_id
          JOIN organisations h ON h.id = p.host_id
         WHERE m.staff_id = p_staff AND m.is_active AND s.is_active
    $$;

REVOKE ALL ON FUNCTION havre_tenant_by_slug(text), havre_staff_credentials(text),
    havre_staff_access(uuid), havre_organisation_public(uuid) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION havre_tenant_by_slug(text), havre_staff_credentials(text),
    havre_organisation_public(uuid),
    havre_staff_access(uuid), havre_current_tenant(), havre_current_staff() TO havre_app;
GRANT SELECT, INSERT, UPDATE, DELETE ON staff_users, memberships, teams,
    team_members, partnerships, opening_hours, opening_exceptions, referrals, canned_replies,
    conversations, messages, staff_sessions TO havre_app;
-- The audit log is append-only for the application. Organisations are removed by operators
-- only: deleting one cascades to its audit log, which the application must not be able to do.
GRANT SELECT, INSERT, UPDATE ON organisations TO havre_app;
GRANT SELECT, INSERT ON audit_log TO havre_app;

-- What protects a line from floods and trolls: the tenant's own limits, the starts it refused
-- (counted, anonymous), and the visitors its staff blocked.

-- The line's own limits (server/tenants/structs.py Protection); {} keeps the instance's.
ALTER TABLE organisations ADD COLUMN protection jsonb NOT NULL DEFAULT '{}';

-- Starts refused before a conversation existed: only a number per tenant, day (UTC) and
-- reason; no address, no device, no time of day.
CREATE TABLE refused_starts (
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    day date NOT NULL,
    reason text NOT NULL CHECK (reason IN ('too_many_starts', 'fair_use', 'blocked', 'challenge')),
    starts integer NOT NULL DEFAULT 0 CHECK (starts >= 0),
    PRIMARY KEY (organisation_id, day, reason)
);
ALTER TABLE refused_starts ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON refused_starts
    USING (organisation_id = havre_current_tenant())
    WITH CHECK (organisation_id = havre_current_tenant());
GRANT SELECT, INSERT, UPDATE ON refused_starts TO havre_app;

-- A visitor blocked by a listener or supervisor. The device and the address are kept only as
-- keyed hashes, and only while the block lasts: an expired or lifted block forgets them
-- (server/conversations/blocks.py). The address is held for 24 hours at most, since a
-- university or a mobile network shares one address between many people.
CREATE TABLE visitor_blocks (
    id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
    organisation_id uuid NOT NULL REFERENCES organisations ON DELETE CASCADE,
    conversation_id uuid,
    device_hash text CHECK (device_hash ~ '^[0-9a-f]{64}$'),
    address_hash text CHECK (address_hash ~ '^[0-9a-f]{64}$'),
    reason text NOT NULL CHECK (reason IN ('abuse', 'sexual', 'threats', 'prank', 'spam')),
    blocked_by uuid REFERENCES staff_users ON DELETE SET NULL,
    created_at timestamptz NOT NULL DEFAULT now(),
    until timestamptz NOT NULL,
    address_until timestamptz,
    lifted_at timestamptz,
    lifted_by uuid REFERENCES staff_users ON DELETE SET NULL,
    FOREIGN KEY (organisation_id, conversation_id)
        REFERENCES conversations (organisation_id, id) ON DELETE SET NULL (conversation_id),
    CHECK (until > created_at)
);
CREATE INDEX visitor_blocks_active ON visitor_blocks (organisation_id, until);
ALTER TABLE visitor_blocks ENABLE ROW LEVEL SECURITY;
CREATE POLICY tenant_isolation ON visitor_blocks
    USING (organisation_id = havre_current_tenant())
    WITH CHECK (organisation_id = havre_current_tenant());
GRANT SELECT, INSERT, UPDATE ON visitor_blocks TO havre_app;

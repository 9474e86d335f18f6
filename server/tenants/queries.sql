-- name: upsert_organisation
INSERT INTO organisations (slug, name, kind, default_locale, time_zone, branding, exit_url,
    allowed_origins, routing_mode, closing_cutoff_minutes, session_limit_minutes,
    inactivity_timeout_minutes, wait_alert_minutes, default_capacity, retention_days,
    shift_alert_minutes, topics, protection, admin_email)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19)
ON CONFLICT (slug) DO UPDATE SET
    name = EXCLUDED.name, kind = EXCLUDED.kind, default_locale = EXCLUDED.default_locale,
    time_zone = EXCLUDED.time_zone, branding = EXCLUDED.branding, exit_url = EXCLUDED.exit_url,
    allowed_origins = EXCLUDED.allowed_origins, routing_mode = EXCLUDED.routing_mode,
    closing_cutoff_minutes = EXCLUDED.closing_cutoff_minutes,
    session_limit_minutes = EXCLUDED.session_limit_minutes,
    inactivity_timeout_minutes = EXCLUDED.inactivity_timeout_minutes,
    wait_alert_minutes = EXCLUDED.wait_alert_minutes,
    shift_alert_minutes = EXCLUDED.shift_alert_minutes,
    default_capacity = EXCLUDED.default_capacity, retention_days = EXCLUDED.retention_days,
    topics = EXCLUDED.topics, protection = EXCLUDED.protection,
    admin_email = EXCLUDED.admin_email, updated_at = now()
RETURNING id

-- name: organisation_by_slug
SELECT * FROM organisations WHERE slug = $1

-- name: organisation_ids_by_slug
SELECT slug, id FROM organisations WHERE slug = ANY($1::text[])

-- name: teams
SELECT id, slug, name, languages, topics, role_word FROM teams WHERE organisation_id = $1
ORDER BY slug

-- name: upsert_team
INSERT INTO teams (organisation_id, slug, name, languages, topics, role_word)
VALUES ($1, $2, $3, $4, $5, $6)
ON CONFLICT (organisation_id, slug) DO UPDATE SET
    name = EXCLUDED.name, languages = EXCLUDED.languages, topics = EXCLUDED.topics,
    role_word = EXCLUDED.role_word
RETURNING id

-- name: delete_other_teams
DELETE FROM teams WHERE organisation_id = $1 AND NOT (slug = ANY($2::text[]))

-- name: opening_hours
SELECT h.weekday, to_char(h.opens, 'HH24:MI') AS opens, to_char(h.closes, 'HH24:MI') AS closes,
       t.slug AS team
FROM opening_hours h LEFT JOIN teams t ON t.id = h.team_id
WHERE h.organisation_id = $1
ORDER BY t.slug NULLS FIRST, h.opens, h.closes, h.weekday

-- name: delete_opening_hours
DELETE FROM opening_hours WHERE organisation_id = $1

-- name: insert_opening_hours
INSERT INTO opening_hours (organisation_id, team_id, weekday, opens, closes)
VALUES ($1, $2, $3, $4::text::time, $5::text::time)

-- name: opening_exceptions
SELECT e.day, e.label, to_char(e.opens, 'HH24:MI') AS opens, to_char(e.closes, 'HH24:MI') AS closes,
       t.slug AS team
FROM opening_exceptions e LEFT JOIN teams t ON t.id = e.team_id
WHERE e.organisation_id = $1
ORDER BY e.day, t.slug NULLS FIRST

-- name: delete_opening_exceptions
DELETE FROM opening_exceptions WHERE organisation_id = $1

-- name: insert_opening_exception
INSERT INTO opening_exceptions (organisation_id, team_id, day, label, opens, closes)
VALUES ($1, $2, $3, $4, $5::text::time, $6::text::time)

-- name: referrals
SELECT key, name, name_en, topics, hours, description, phone, sms, url, is_emergency, is_hidden
FROM referrals WHERE organisation_id = $1 ORDER BY position, key

-- name: upsert_referral
INSERT INTO referrals (organisation_id, key, position, name, topics, hours, description, phone,
    sms, url, is_emergency, is_hidden, name_en)
VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
ON CONFLICT (organisation_id, key) DO UPDATE SET
    position = EXCLUDED.position, name = EXCLUDED.name, name_en = EXCLUDED.name_en,
    topics = EXCLUDED.topics,
    hours = EXCLUDED.hours, description = EXCLUDED.description, phone = EXCLUDED.phone,
    sms = EXCLUDED.sms, url = EXCLUDED.url, is_emergency = EXCLUDED.is_emergency,
    is_hidden = EXCLUDED.is_hidden

-- name: delete_other_referrals
DELETE FROM referrals WHERE organisation_id = $1 AND NOT (key = ANY($2::text[]))

-- name: canned_replies
SELECT key, locale, title, body FROM canned_replies WHERE organisation_id = $1
ORDER BY key, locale

-- name: upsert_canned_reply
INSERT INTO canned_replies (organisation_id, key, locale, title, body) VALUES ($1, $2, $3, $4, $5)
ON CONFLICT (organisation_id, key, locale) DO UPDATE SET title = EXCLUDED.title, body = EXCLUDED.body

-- name: delete_other_canned_replies
DELETE FROM canned_replies WHERE organisation_id = $1
    AND NOT ((key || '/' || locale) = ANY($2::text[]))

-- name: partner_grants
SELECT p.slug AS organisation,
       CASE WHEN g.team_ids IS NOT NULL THEN
           ARRAY(SELECT t.slug FROM teams t WHERE t.id = ANY(g.team_ids) ORDER BY t.slug)
       END AS teams
FROM partnerships g CROSS JOIN LATERAL havre_organisation_public(g.partner_id) p
WHERE g.host_id = $1 ORDER BY p.slug

-- name: upsert_partner_grant
INSERT INTO partnerships (host_id, partner_id, team_ids) VALUES ($1, $2, $3)
ON CONFLICT (host_id, partner_id) DO UPDATE SET team_ids = EXCLUDED.team_ids

-- name: delete_other_partner_grants
DELETE FROM partnerships WHERE host_id = $1 AND NOT (partner_id = ANY($2::uuid[]))

-- name: staff_id_by_email
SELECT id FROM staff_users WHERE email = $1

-- name: insert_staff
INSERT INTO staff_users (email, display_name, locale) VALUES ($1, $2, $3) RETURNING id

-- name: ensure_membership
INSERT INTO memberships (organisation_id, staff_id, role) VALUES ($1, $2, $3)
ON CONFLICT (organisation_id, staff_id) DO NOTHING

-- name: lock_organisation
SELECT id FROM organisations WHERE id = $1 FOR UPDATE

-- name: update_organisation
UPDATE organisations SET
    name = $2, kind = $3, default_locale = $4, time_zone = $5, branding = $6, exit_url = $7,
    allowed_origins = $8, routing_mode = $9, closing_cutoff_minutes = $10,
    session_limit_minutes = $11, inactivity_timeout_minutes = $12, wait_alert_minutes = $13,
    default_capacity = $14, retention_days = $15, shift_alert_minutes = $16, topics = $17,
    protection = $18, updated_at = now()
WHERE id = $1

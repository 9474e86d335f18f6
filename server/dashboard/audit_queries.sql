-- The audit log page, inside a tenant transaction (row-level security keeps it to the tenant).
-- Filters: $1, $2 first and last day in the tenant's calendar (NULL: open), $3 an action
-- (NULL: any), $4 actor ids (NULL: anyone), $5 the keyset cursor, $6 how many rows.

-- name: older
SELECT a.id, a.created_at, a.action, a.actor_id, a.target, a.details
FROM audit_log a JOIN organisations o ON o.id = a.organisation_id
WHERE ($1::date IS NULL OR a.created_at >= ($1::date::timestamp AT TIME ZONE o.time_zone))
  AND ($2::date IS NULL OR a.created_at < (($2::date + 1)::timestamp AT TIME ZONE o.time_zone))
  AND ($3::text IS NULL OR a.action = $3)
  AND ($4::uuid[] IS NULL OR a.actor_id = ANY ($4::uuid[]))
  AND ($5::bigint IS NULL OR a.id < $5)
ORDER BY a.id DESC
LIMIT $6

-- name: newer
SELECT a.id, a.created_at, a.action, a.actor_id, a.target, a.details
FROM audit_log a JOIN organisations o ON o.id = a.organisation_id
WHERE ($1::date IS NULL OR a.created_at >= ($1::date::timestamp AT TIME ZONE o.time_zone))
  AND ($2::date IS NULL OR a.created_at < (($2::date + 1)::timestamp AT TIME ZONE o.time_zone))
  AND ($3::text IS NULL OR a.action = $3)
  AND ($4::uuid[] IS NULL OR a.actor_id = ANY ($4::uuid[]))
  AND a.id > $5
ORDER BY a.id
LIMIT $6

-- name: actions
SELECT DISTINCT action FROM audit_log ORDER BY action

-- name: actors
-- Names for the actors of a page, or the accounts whose address contains $2; see
-- havre_audit_actors() in migrations/0004_dashboard.sql for who may appear.
SELECT id, email, display_name FROM havre_audit_actors($1::uuid[], $2::text)

-- name: time_zone
SELECT time_zone FROM organisations WHERE id = havre_current_tenant()

-- name: teams
-- The tenant's teams, to name those an entry gives by id (or, in older entries, by key).
SELECT id, slug, name FROM teams

-- name: people
-- Names for the addresses entries target (invited, role changed…), by the same rule as actors.
SELECT email, display_name FROM havre_audit_actors(NULL, '') WHERE email = ANY ($1::text[])

-- name: partners
-- Organisation names are public (the widget shows them); partners are targeted by slug.
SELECT o.slug, o.name FROM unnest($1::text[]) AS p (slug), LATERAL havre_tenant_by_slug(p.slug) o

-- name: insert_conversation
INSERT INTO conversations (organisation_id, team_id, topic, locale)
VALUES ($1, $2, $3, $4)
RETURNING id, created_at

-- name: conversation
SELECT c.*, t.slug AS team, o.slug AS tenant, o.routing_mode, o.session_limit_minutes,
       o.inactivity_timeout_minutes, o.default_capacity,
       (o.protection->>'messages_per_10_minutes')::integer AS messages_per_10_minutes
FROM conversations c
JOIN organisations o ON o.id = c.organisation_id
LEFT JOIN teams t ON t.id = c.team_id
WHERE c.id = $1

-- name: conversation_state
SELECT state FROM conversations WHERE id = $1

-- name: append_message
-- One round trip: the function sets its tenant scope itself ($1), see migration 0007.
SELECT seq, created_at, risk_level, risk_reasons, previous_risk, state
FROM havre_append_message($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)

-- name: message_by_client_id
SELECT seq, created_at, author_kind, kind, key_id, body
FROM messages WHERE conversation_id = $1 AND client_id = $2

-- name: messages_after
SELECT seq, client_id, author_kind, author_id, kind, key_id, body, created_at
FROM messages
WHERE conversation_id = $1 AND seq > $2 AND kind = ANY($3::text[])
ORDER BY seq
LIMIT $4

-- name: queued
-- Waiting visitors a listener may see: those whose page is there first, then those whose page
-- has been gone past the grace ($3 seconds: `left`); each by risk, then by waiting time.
SELECT c.id, c.team_id, t.slug AS team, c.topic, c.locale, c.risk_level, c.created_at,
       extract(epoch FROM now() - c.created_at)::integer AS waiting_seconds,
       c.visitor_seen_at < now() - make_interval(secs => $3) AS left
FROM conversations c LEFT JOIN teams t ON t.id = c.team_id
WHERE c.state = 'queued'
  AND ($1::uuid[] IS NULL OR c.team_id = ANY($1::uuid[]) OR ($2 AND c.team_id IS NULL))
ORDER BY c.visitor_seen_at < now() - make_interval(secs => $3),
         array_position(ARRAY['imminent', 'high', 'elevated', 'none'], c.risk_level),
         c.created_at
LIMIT 200

-- name: queue_position
-- A visitor whose page has been gone past the grace ($2 seconds) holds nobody's place.
SELECT count(*)::integer + 1 FROM conversations o, conversations me
WHERE me.id = $1 AND o.state = 'queued' AND o.id <> me.id
  AND o.team_id IS NOT DISTINCT FROM me.team_id
  AND o.visitor_seen_at >= now() - make_interval(secs => $2)
  AND (array_position(ARRAY['none', 'elevated', 'high', 'imminent'], o.risk_level)
         > array_position(ARRAY['none', 'elevated', 'high', 'imminent'], me.risk_level)
       OR (o.risk_level = me.risk_level AND o.created_at < me.created_at))

-- name: line_listeners
SELECT DISTINCT staff_id FROM havre_tenant_staff(havre_current_tenant()) WHERE role = 'listener'

-- name: recent_wait_seconds
SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY extract(epoch FROM assigned_at - created_at))
FROM (SELECT assigned_at, created_at FROM conversations
      WHERE assigned_at IS NOT NULL ORDER BY assigned_at DESC LIMIT 20) recent

-- name: claim
UPDATE conversations SET state = 'active', listener_id = $2, assigned_at = now(),
    session_ends_at = now() + make_interval(mins => $3), session_warned = false,
    -- The clocks start now: waiting in the queue is not the visitor's silence.
    last_visitor_at = now(), inactivity_warned = false
WHERE id = $1 AND state = 'queued'
RETURNING id

-- name: answerer
-- Who answers, for the visitor: read with the listener's own staff scope (a partner's
-- listener is not a member of the tenant, so only they see their row).
SELECT (SELECT visitor_name FROM staff_users WHERE id = $2) AS name, t.role_word
FROM conversations c LEFT JOIN teams t ON t.id = c.team_id
WHERE c.id = $1

-- name: listener_teams
SELECT team_id FROM team_members WHERE staff_id = $1

-- name: active_for_listener
SELECT id FROM conversations WHERE listener_id = $1 AND state = 'active'

-- name: end_conversation
UPDATE conversations SET state = $2, ended_at = now(), end_reason = $3,
    wrapup = COALESCE($4, wrapup)
WHERE id = $1 AND state IN ('queued', 'active')
RETURNING state, listener_id, risk_level, wrapup->>'risk_level' AS assessed_risk

-- name: wrapup_after_the_end
-- The visitor ended or left before the listener's wrap-up: it is recorded once, afterwards.
UPDATE conversations SET wrapup = $2
WHERE id = $1 AND state IN ('ended', 'abandoned', 'missed') AND wrapup IS NULL
RETURNING id

-- name: rate
UPDATE conversations SET rating = $2
WHERE id = $1 AND rating IS NULL AND state IN ('ended', 'active')
RETURNING id

-- name: extend
UPDATE conversations SET extended = true, session_warned = false,
    session_ends_at = session_ends_at + make_interval(mins => $3)
WHERE id = $1 AND state = 'active' AND listener_id = $2 AND NOT extended
RETURNING session_ends_at

-- name: set_risk
UPDATE conversations SET risk_level = $2, risk_set_by = $3,
    risk_reasons = ARRAY(SELECT DISTINCT unnest(risk_reasons || ARRAY['listener']))
WHERE id = $1 AND state IN ('queued', 'active')
RETURNING risk_level, risk_reasons, state

-- name: transfer_to_listener
UPDATE conversations SET listener_id = $2, transfers = transfers + 1
WHERE id = $1 AND state = 'active' AND listener_id = $3
RETURNING id

-- name: transfer_to_team
UPDATE conversations SET state = 'queued', listener_id = NULL, team_id = $2,
    transfers = transfers + 1, session_ends_at = NULL,
    -- Back in the queue: the visitor's grace (and the closing warning) start again.
    visitor_seen_at = now(), closing_warned = false
WHERE id = $1 AND state = 'active' AND listener_id = $3
RETURNING id

-- name: team_by_slug
SELECT id FROM teams WHERE slug = $1

-- name: due_session_warnings
UPDATE conversations SET session_warned = true
WHERE state = 'active' AND NOT session_warned AND session_ends_at - interval '5 minutes' <= now()
RETURNING id, greatest(0, ceil(extract(epoch FROM session_ends_at - now()) / 60))::integer AS minutes

-- name: due_session_ends
SELECT id FROM conversations WHERE state = 'active' AND session_ends_at <= now()

-- name: due_inactivity_warnings
UPDATE conversations c SET inactivity_warned = true
FROM organisations o
WHERE o.id = c.organisation_id AND c.state = 'active' AND NOT c.inactivity_warned
  AND c.last_visitor_at + make_interval(mins => o.inactivity_timeout_minutes)
      - interval '2 minutes' <= now()
RETURNING c.id,
    greatest(0, ceil(extract(epoch FROM c.last_visitor_at
        + make_interval(mins => o.inactivity_timeout_minutes) - now()) / 60))::integer AS minutes

-- name: due_inactivity_ends
SELECT c.id FROM conversations c JOIN organisations o ON o.id = c.organisation_id
WHERE c.state = 'active' AND c.inactivity_warned
  AND c.last_visitor_at + make_interval(mins => o.inactivity_timeout_minutes) <= now()

-- name: queued_ids
SELECT id, team_id FROM conversations WHERE state = 'queued'

-- name: visitor_seen
-- A sign of life from a queued visitor's page; true when it had been gone past the grace ($2
-- seconds): the visitor takes their place in the queue again.
WITH before AS (
    SELECT id, visitor_seen_at < now() - make_interval(secs => $2) AS was_left
    FROM conversations WHERE id = $1 AND state = 'queued' FOR UPDATE
)
UPDATE conversations c SET visitor_seen_at = now()
FROM before WHERE c.id = before.id
RETURNING before.was_left

-- name: due_abandons
-- A visitor at high or imminent risk is never given up: they stay in the queue, marked as
-- left (see due_leaves), so that a listener still reaches out if their page comes back.
SELECT id FROM conversations
WHERE state = 'queued' AND visitor_seen_at < now() - make_interval(secs => $1)
  AND risk_level NOT IN ('high', 'imminent')

-- name: due_leaves
-- Queued visitors at high or imminent risk whose page has been gone past the grace ($1
-- seconds): marked as left in the queue; visitor_seen_at names the absence (one alert each).
SELECT id, team_id, risk_level, visitor_seen_at FROM conversations
WHERE state = 'queued' AND visitor_seen_at < now() - make_interval(secs => $1)
  AND risk_level IN ('high', 'imminent')

-- name: tenant_origins
-- The websites a tenant allows to open a visitor socket (server/conversations/origins.py).
SELECT allowed_origins FROM organisations WHERE id = $1

-- name: end_queued
-- Only while still queued: a listener may have taken the visitor since the pass looked, or
-- (for `abandoned`) the page may have come back.
UPDATE conversations SET state = $2, ended_at = now(), end_reason = $3
WHERE id = $1 AND state = 'queued'
  AND ($4::integer IS NULL OR visitor_seen_at < now() - make_interval(secs => $4))
RETURNING state, listener_id, risk_level, NULL AS assessed_risk

-- name: mark_closing_warned
UPDATE conversations SET closing_warned = true
WHERE id = ANY($1::uuid[]) AND state = 'queued' AND NOT closing_warned
RETURNING id

-- name: tenant_by_slug
SELECT id FROM havre_tenant_by_slug($1)

-- name: count_closed_attempt
-- A start refused because the line (or the routed team) was closed; $1: the routed team's
-- slug or NULL; $2: when. The day is the tenant's, so the dashboard's days match.
INSERT INTO closed_attempts (organisation_id, day, team_id, attempts)
SELECT o.id, ($2::timestamptz AT TIME ZONE o.time_zone)::date,
       (SELECT t.id FROM teams t WHERE t.slug = $1), 1
FROM organisations o WHERE o.id = havre_current_tenant()
ON CONFLICT (organisation_id, day, (COALESCE(team_id, '00000000-0000-0000-0000-000000000000'::uuid)))
DO UPDATE SET attempts = closed_attempts.attempts + 1

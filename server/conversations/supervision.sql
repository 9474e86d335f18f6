-- name: live_conversations
-- Every queued or active conversation of the tenant, most at risk first: no text. `left`: a
-- queued visitor whose page has been gone past the grace ($1 seconds).
SELECT c.id, c.team_id, t.slug AS team, c.topic, c.locale, c.state, c.risk_level,
       c.listener_id, c.supervised, c.created_at,
       c.state = 'queued' AND c.visitor_seen_at < now() - make_interval(secs => $1) AS left,
       CASE WHEN c.state = 'queued' OR c.assigned_at IS NULL
            THEN extract(epoch FROM now() - c.created_at)
            ELSE extract(epoch FROM c.assigned_at - c.created_at) END::integer AS waiting_seconds,
       CASE WHEN c.state = 'active' AND c.assigned_at IS NOT NULL
            THEN extract(epoch FROM now() - c.assigned_at)::integer END AS duration_seconds
FROM conversations c LEFT JOIN teams t ON t.id = c.team_id
WHERE c.state IN ('queued', 'active')
ORDER BY array_position(ARRAY['imminent', 'high', 'elevated', 'none'], c.risk_level),
         c.created_at
LIMIT 500

-- name: staff_names
SELECT staff_id, name FROM havre_tenant_staff_names($1::uuid[])

-- name: tenant_staff
SELECT staff_id, role, via_partner, team_ids FROM havre_tenant_staff(havre_current_tenant())

-- name: locate
SELECT team_id, state, listener_id FROM conversations WHERE id = $1

-- name: lock_for_take_over
SELECT c.state, c.listener_id, o.session_limit_minutes
FROM conversations c JOIN organisations o ON o.id = c.organisation_id
WHERE c.id = $1 FOR UPDATE OF c

-- name: take_over
-- From the queue, the clocks start as at a claim; from a listener, the session goes on.
UPDATE conversations SET listener_id = $2,
    transfers = transfers + CASE WHEN state = 'active' THEN 1 ELSE 0 END,
    assigned_at = CASE WHEN state = 'queued' THEN now() ELSE assigned_at END,
    session_ends_at = CASE WHEN state = 'queued' THEN now() + make_interval(mins => $3)
                           ELSE session_ends_at END,
    session_warned = CASE WHEN state = 'queued' THEN false ELSE session_warned END,
    last_visitor_at = CASE WHEN state = 'queued' THEN now() ELSE last_visitor_at END,
    inactivity_warned = CASE WHEN state = 'queued' THEN false ELSE inactivity_warned END,
    state = 'active'
WHERE id = $1 AND state IN ('queued', 'active')
RETURNING id

-- name: mark_supervised
-- The listener has ended fewer conversations in this tenant than their membership's
-- supervised_conversations: this one is supervised.
UPDATE conversations c SET supervised = true
WHERE c.id = $1
  AND (SELECT count(*) FROM conversations e WHERE e.listener_id = $2 AND e.state = 'ended')
      < (SELECT coalesce(max(m.supervised_conversations), 0) FROM memberships m
          WHERE m.staff_id = $2 AND m.is_active)
RETURNING c.team_id

-- name: due_wait_alerts
UPDATE conversations c SET wait_alerted = true
FROM organisations o
WHERE o.id = c.organisation_id AND c.state = 'queued' AND NOT c.wait_alerted
  AND c.created_at + make_interval(mins => o.wait_alert_minutes) <= now()
RETURNING c.id, c.team_id, c.risk_level,
    floor(extract(epoch FROM now() - c.created_at) / 60)::integer AS minutes

-- name: listeners_in_conversations
SELECT c.listener_id, array_agg(DISTINCT c.team_id) AS team_ids, o.shift_alert_minutes
FROM conversations c JOIN organisations o ON o.id = c.organisation_id
WHERE c.state = 'active' AND c.listener_id IS NOT NULL
GROUP BY c.listener_id, o.shift_alert_minutes

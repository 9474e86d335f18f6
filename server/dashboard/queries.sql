-- Dashboard figures, each computed by PostgreSQL inside a tenant transaction.
-- $1, $2: first and last day (the tenant's calendar, both included); $3: a team id or NULL.
-- havre_dashboard_conversations() (migrations/0004_dashboard.sql) selects the conversations.
-- No query reads a message: figures come from conversation metadata only.

-- name: tenant_calendar
SELECT time_zone, (now() AT TIME ZONE time_zone)::date AS today
FROM organisations WHERE id = havre_current_tenant()

-- name: teams
SELECT id, slug, name FROM teams ORDER BY name, slug

-- name: per_day
-- Every day of the range, empty days included.
SELECT g.day::date AS day,
       count(c.day)::integer AS conversations,
       count(c.day) FILTER (WHERE c.assigned_at IS NOT NULL)::integer AS answered,
       coalesce(max(a.attempts), 0)::integer AS closed_attempts
FROM generate_series($1::date, $2::date, interval '1 day') AS g(day)
LEFT JOIN havre_dashboard_conversations($1, $2, $3) c ON c.day = g.day::date
LEFT JOIN (
    SELECT day, sum(attempts) AS attempts FROM closed_attempts
    WHERE day BETWEEN $1 AND $2 AND ($3::uuid IS NULL OR team_id = $3)
    GROUP BY day
) a ON a.day = g.day::date
GROUP BY g.day
ORDER BY g.day

-- name: outcomes
-- One outcome per conversation: answered if a listener ever took it, otherwise how it ended.
SELECT count(*)::integer AS conversations,
       count(*) FILTER (WHERE assigned_at IS NOT NULL)::integer AS answered,
       count(*) FILTER (WHERE assigned_at IS NULL AND state = 'missed')::integer AS missed,
       count(*) FILTER (WHERE assigned_at IS NULL AND state = 'abandoned')::integer AS abandoned,
       count(*) FILTER (WHERE assigned_at IS NULL AND state NOT IN ('missed', 'abandoned'))::integer
           AS waiting,
       (SELECT coalesce(sum(attempts), 0)::integer FROM closed_attempts
         WHERE day BETWEEN $1 AND $2 AND ($3::uuid IS NULL OR team_id = $3)) AS out_of_hours
FROM havre_dashboard_conversations($1, $2, $3)

-- name: waits
-- From the visitor's start to the moment a listener took the conversation.
SELECT count(*)::integer AS count,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
FROM (SELECT extract(epoch FROM assigned_at - created_at)::float8 AS seconds
      FROM havre_dashboard_conversations($1, $2, $3)
      WHERE assigned_at IS NOT NULL) w

-- name: durations
-- From the moment a listener took the conversation to its end, for ended conversations.
SELECT count(*)::integer AS count,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY seconds) AS median,
       percentile_cont(0.9) WITHIN GROUP (ORDER BY seconds) AS p90
FROM (SELECT extract(epoch FROM ended_at - assigned_at)::float8 AS seconds
      FROM havre_dashboard_conversations($1, $2, $3)
      WHERE assigned_at IS NOT NULL AND ended_at IS NOT NULL AND state = 'ended') d

-- name: risk_levels
-- The highest level each conversation reached (triage or listener), every level listed.
SELECT l.level, count(c.risk_level)::integer AS count
FROM unnest(ARRAY['none', 'elevated', 'high', 'imminent']) WITH ORDINALITY AS l(level, rank)
LEFT JOIN havre_dashboard_conversations($1, $2, $3) c ON c.risk_level = l.level
GROUP BY l.level, l.rank
ORDER BY l.rank

-- name: topics
-- The topic the visitor chose before the chat (NULL: none chosen), most frequent first.
SELECT topic, count(*)::integer AS count
FROM havre_dashboard_conversations($1, $2, $3)
GROUP BY topic
ORDER BY count DESC, topic NULLS LAST
LIMIT 12

-- name: wrapup_topics
-- The topics listeners recorded in their wrap-ups; a conversation may count under several.
SELECT t.topic, count(*)::integer AS count
FROM havre_dashboard_conversations($1, $2, $3) c,
     jsonb_array_elements_text(
         CASE WHEN jsonb_typeof(c.wrapup -> 'topics') = 'array' THEN c.wrapup -> 'topics'
              ELSE '[]'::jsonb END) AS t(topic)
GROUP BY t.topic
ORDER BY count DESC, t.topic
LIMIT 12

-- name: ratings
-- The visitors' one-question feedback, 1 to 5.
SELECT r.rating::integer AS rating, count(c.rating)::integer AS count
FROM generate_series(1, 5) AS r(rating)
LEFT JOIN havre_dashboard_conversations($1, $2, $3) c ON c.rating = r.rating
GROUP BY r.rating
ORDER BY r.rating

-- name: rating_average
SELECT count(rating)::integer AS count, avg(rating)::float8 AS average
FROM havre_dashboard_conversations($1, $2, $3)

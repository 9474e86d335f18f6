-- Visitor protection: blocks and refused starts, always inside a tenant transaction.

-- name: forget_expired_blocks
-- An ended block forgets who it held; the row stays for the audit trail and the list.
UPDATE visitor_blocks
   SET device_hash = CASE WHEN until <= now() OR lifted_at IS NOT NULL THEN NULL
                          ELSE device_hash END,
       address_hash = CASE WHEN coalesce(address_until, until) <= now()
                                OR lifted_at IS NOT NULL THEN NULL
                           ELSE address_hash END
 WHERE (device_hash IS NOT NULL OR address_hash IS NOT NULL)
   AND (until <= now() OR lifted_at IS NOT NULL OR address_until <= now())

-- name: active_block
SELECT id, until FROM visitor_blocks
 WHERE lifted_at IS NULL AND until > now()
   AND ((device_hash IS NOT NULL AND device_hash = $1)
        OR (address_hash IS NOT NULL AND address_hash = $2 AND address_until > now()))
 ORDER BY until DESC
 LIMIT 1

-- name: insert_block
INSERT INTO visitor_blocks (organisation_id, conversation_id, device_hash, address_hash,
                            reason, blocked_by, until, address_until)
VALUES (havre_current_tenant(), $1, $2, $3, $4, $5, now() + make_interval(hours => $6),
        CASE WHEN $3::text IS NULL THEN NULL
             ELSE now() + make_interval(hours => least($6, $7)) END)
RETURNING id, until

-- name: list_blocks
SELECT b.id, b.conversation_id, b.reason, b.created_at, b.until, b.lifted_at,
       b.lifted_at IS NULL AND b.until > now() AS active,
       b.address_hash IS NOT NULL AS by_address,
       coalesce(nullif(s.display_name, ''), s.email) AS blocked_by,
       coalesce(nullif(l.display_name, ''), l.email) AS lifted_by
  FROM visitor_blocks b
  LEFT JOIN havre_audit_actors(NULL, NULL) s ON s.id = b.blocked_by
  LEFT JOIN havre_audit_actors(NULL, NULL) l ON l.id = b.lifted_by
 WHERE b.created_at > now() - interval '30 days'
 ORDER BY (b.lifted_at IS NULL AND b.until > now()) DESC, b.created_at DESC
 LIMIT 200

-- name: lift_block
UPDATE visitor_blocks
   SET lifted_at = now(), lifted_by = $2, device_hash = NULL, address_hash = NULL
 WHERE id = $1 AND lifted_at IS NULL AND until > now()
RETURNING id, reason

-- name: count_refused_starts
INSERT INTO refused_starts (organisation_id, day, reason, starts)
VALUES (havre_current_tenant(), $1, $2, $3)
ON CONFLICT (organisation_id, day, reason)
DO UPDATE SET starts = refused_starts.starts + EXCLUDED.starts

-- name: refused_starts_between
SELECT reason, sum(starts)::integer AS starts FROM refused_starts
 WHERE day BETWEEN $1 AND $2
 GROUP BY reason

-- name: tenant_by_slug
SELECT id FROM havre_tenant_by_slug($1)

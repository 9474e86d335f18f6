-- A chat message is stored in one round trip instead of three (BEGIN with the tenant scope,
-- the statement, COMMIT): on a busy line those round trips were a fifth of a worker's time.
-- The function sets the scope for its own transaction exactly as Database.transaction() does
-- (SET LOCAL of havre.tenant_id, no staff), and runs as its caller (SECURITY INVOKER), so
-- row-level security applies to every row it reads or writes.
CREATE FUNCTION havre_append_message(
    p_tenant uuid, p_conversation uuid, p_client uuid, p_author text, p_author_id uuid,
    p_kind text, p_visitor boolean, p_level text, p_reasons text[], p_order text[],
    p_key_id text, p_body bytea
) RETURNS TABLE (
    seq integer, created_at timestamptz, risk_level text, risk_reasons text[],
    previous_risk text, state text
)
    LANGUAGE plpgsql SECURITY INVOKER
    AS $$
#variable_conflict use_column
BEGIN
    PERFORM set_config('havre.tenant_id', p_tenant::text, true),
            set_config('havre.staff_id', '', true);
    -- Bump the sequence (locking the conversation row) and insert at it. A visitor message
    -- resets the inactivity clock and may raise the risk; a client id already stored adds
    -- nothing and returns no row.
    RETURN QUERY
    WITH bump AS (
        UPDATE conversations c SET
            last_seq = c.last_seq + 1,
            last_visitor_at = CASE WHEN p_visitor THEN now() ELSE c.last_visitor_at END,
            inactivity_warned = CASE WHEN p_visitor THEN false ELSE c.inactivity_warned END,
            risk_level = CASE
                WHEN array_position(p_order, p_level) > array_position(p_order, c.risk_level)
                THEN p_level ELSE c.risk_level END,
            risk_reasons = CASE
                WHEN array_position(p_order, p_level) > array_position(p_order, c.risk_level)
                THEN ARRAY(SELECT DISTINCT unnest(c.risk_reasons || p_reasons))
                ELSE c.risk_reasons END
        WHERE c.id = p_conversation AND c.state IN ('queued', 'active')
          AND NOT EXISTS (SELECT 1 FROM messages m
                          WHERE m.conversation_id = p_conversation AND m.client_id = p_client)
        RETURNING c.organisation_id, c.last_seq, c.state, c.risk_level, c.risk_reasons
    ), previous AS (
        SELECT c.risk_level FROM conversations c WHERE c.id = p_conversation
    )
    INSERT INTO messages AS m (organisation_id, conversation_id, seq, client_id, author_kind,
                               author_id, kind, key_id, body)
    SELECT bump.organisation_id, p_conversation, bump.last_seq, p_client, p_author, p_author_id,
           p_kind, p_key_id, p_body
    FROM bump
    RETURNING m.seq, m.created_at,
        (SELECT bump.risk_level FROM bump),
        (SELECT bump.risk_reasons FROM bump),
        (SELECT previous.risk_level FROM previous),
        (SELECT bump.state FROM bump);
END
$$;

REVOKE ALL ON FUNCTION havre_append_message(uuid, uuid, uuid, text, uuid, text, boolean, text,
    text[], text[], text, bytea) FROM PUBLIC;
GRANT EXECUTE ON FUNCTION havre_append_message(uuid, uuid, uuid, text, uuid, text, boolean, text,
    text[], text[], text, bytea) TO havre_app;

-- A waiting visitor who closed the page is marked abandoned once their socket has been silent
-- for HAVRE_QUEUE_GRACE seconds, instead of holding a listener's capacity as a ghost; and a
-- waiting visitor is told once that the line is about to close.

ALTER TABLE conversations
    -- Last sign of life of the visitor's page while queued (hello, ping, disconnect).
    ADD COLUMN visitor_seen_at timestamptz NOT NULL DEFAULT now(),
    -- The queued visitor was warned that the line (or their team) closes soon.
    ADD COLUMN closing_warned boolean NOT NULL DEFAULT false;

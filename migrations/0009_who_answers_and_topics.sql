-- Who answers, as a visitor reads it, and one list of topics per line.

-- The first name or alias a listener gives visitors ("Camille"); empty: the role word only.
ALTER TABLE staff_users
    ADD COLUMN visitor_name text NOT NULL DEFAULT ''
        CHECK (length(visitor_name) <= 40 AND visitor_name !~ '[\n\r\t]');

-- A team's own role word in French and English ({"fr": ..., "en": ...}); empty: the line's.
ALTER TABLE teams ADD COLUMN role_word jsonb NOT NULL DEFAULT '{}';

-- The line's topics: what a visitor may choose, what a listener records at wrap-up and what
-- the dashboard counts. Empty: the topics of the line's teams and referrals.
ALTER TABLE organisations ADD COLUMN topics text[] NOT NULL DEFAULT '{}';

"""Who is there to answer: listener presence, status and shifts, kept in Redis."""

-- A referral's name as English readers see it, when French words would not do ("SAMU — 15"
-- becomes "SAMU — 15, medical emergencies"). NULL: the one name serves both languages, as
-- proper nouns do ("3114", "SOS Amitié"); every referral stored before this keeps it so.
ALTER TABLE referrals
    ADD COLUMN name_en text CHECK (char_length(name_en) BETWEEN 1 AND 200);

-- Up Migration

-- A donor erased on request loses their email, so their donations can no longer be counted as
-- one donor by email: they share this random key instead (it names nobody), which keeps
-- donors_count right when one of those donations is refunded later.
ALTER TABLE donations ADD COLUMN erased_donor_key text;

-- Down Migration
ALTER TABLE donations DROP COLUMN erased_donor_key;

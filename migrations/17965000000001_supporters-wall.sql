-- Up Migration

-- The supporters wall shows how much each donor gave only when the campaign says so.
ALTER TABLE campaigns ADD COLUMN show_amounts boolean NOT NULL DEFAULT false;

-- Down Migration
ALTER TABLE campaigns DROP COLUMN show_amounts;

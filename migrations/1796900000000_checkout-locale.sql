-- Up Migration

-- The language the donor chose in the widget (sent with the checkout as `locale`). Receipts and
-- donor pages read it through the donation's checkout (or its subscription's checkout), so the
-- ledger's tables need no copy. NULL: not given, which reads as English.
ALTER TABLE checkouts ADD COLUMN locale text CHECK (locale IN ('en', 'de', 'fr', 'es'));

-- Down Migration
ALTER TABLE checkouts DROP COLUMN locale;

-- The item page's keys each user moved (KeymapBody in src/review/model.ts); null: the defaults.
ALTER TABLE users ADD COLUMN keys jsonb;

-- A lexicon edit without a new pipeline version is a new screening of a conversation, not a
-- redelivery: items are unique per conversation, pipeline version and lexicons digest (the
-- 12 hex digits version 2 items carry in pipeline.lexicons; for version 1 items the same digest
-- of their lexicon version list, as src/config/compile.ts lexiconsDigest computes it).
ALTER TABLE items ADD COLUMN lexicons text NOT NULL DEFAULT '';

UPDATE items SET lexicons = coalesce(
  item->'pipeline'->>'lexicons',
  (SELECT substr(encode(sha256(convert_to(
            string_agg((e.l->>'id') || '@' || (e.l->>'version'), E'\n' ORDER BY e.n), 'UTF8')), 'hex'), 1, 12)
     FROM jsonb_array_elements(CASE WHEN jsonb_typeof(item->'lexicons') = 'array' THEN item->'lexicons' END)
          WITH ORDINALITY AS e(l, n)),
  '');

ALTER TABLE items DROP CONSTRAINT items_conversation_id_pipeline_id_pipeline_version_key;
ALTER TABLE items ADD CONSTRAINT items_one_per_screening UNIQUE (conversation_id, pipeline_id, pipeline_version, lexicons);

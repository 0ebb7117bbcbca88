-- Machine findings keep their message as a template id and parameters (src/domain/messages.ts), so
-- the web app can show them in the reviewer's language. Findings ingested before have neither and
-- are shown by their English message.
ALTER TABLE findings ADD COLUMN message_id text;
ALTER TABLE findings ADD COLUMN params jsonb;

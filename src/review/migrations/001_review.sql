-- Review service schema: users and sessions, items (one row per screened version of a
-- conversation), reviews (claims with leases), findings and verdicts, appeals, comments,
-- the append-only audit log and the Kafka offsets ingest commits with its items.

CREATE TABLE users (
  id            serial PRIMARY KEY,
  username      text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role          text NOT NULL CHECK (role IN ('reviewer', 'supervisor', 'agent', 'admin')),
  -- For agents: the agentId their items carry. For anyone: their team, for filters and reports.
  agent_id      text UNIQUE,
  team          text,
  display_name  text,
  disabled      boolean NOT NULL DEFAULT false,
  created_at    timestamptz NOT NULL DEFAULT now(),
  CHECK (role <> 'agent' OR agent_id IS NOT NULL)
);

CREATE TABLE sessions (
  token_hash  text PRIMARY KEY,
  user_id     integer NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  csrf_token  text NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  expires_at  timestamptz NOT NULL
);
CREATE INDEX sessions_expiry ON sessions (expires_at);

-- The scoring scheme and rule table of a pipeline version, kept when its first item arrives so a
-- score can be recomputed later even after the pipeline file changed.
CREATE TABLE pipeline_snapshots (
  pipeline_id      text NOT NULL,
  pipeline_version text NOT NULL,
  snapshot         jsonb NOT NULL,
  created_at       timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (pipeline_id, pipeline_version)
);

CREATE TABLE items (
  id                 serial PRIMARY KEY,
  conversation_id    text NOT NULL,
  version            integer NOT NULL,
  pipeline_id        text NOT NULL,
  pipeline_version   text NOT NULL,
  tenant             text,
  channel            text NOT NULL,
  language           text NOT NULL,
  agent_id           text NOT NULL,
  agent_team         text,
  queue              text NOT NULL,
  -- Reviewed independently by calibration_target reviewers.
  calibration        boolean NOT NULL DEFAULT false,
  calibration_target integer NOT NULL DEFAULT 0,
  status             text NOT NULL CHECK (status IN ('pending', 'reviewed', 'superseded', 'archived')),
  machine_score      double precision NOT NULL,
  machine_passed     boolean NOT NULL,
  fatal              boolean NOT NULL,
  priority           double precision NOT NULL,
  opportunities      integer NOT NULL,
  screened_at        timestamptz NOT NULL,
  ingested_at        timestamptz NOT NULL DEFAULT now(),
  item               jsonb NOT NULL,
  conversation       jsonb,
  reviewed_at        timestamptz,
  reviewed_by        integer REFERENCES users (id),
  final_score        double precision,
  final_passed       boolean,
  final_fatal        boolean,
  nonfatal_errors    integer,
  UNIQUE (conversation_id, version),
  UNIQUE (conversation_id, pipeline_id, pipeline_version)
);
-- Claim order (fatal first, then lowest score), with and without a queue filter: an ordered index
-- scan stops at the first claimable item instead of sorting the whole queue.
CREATE INDEX items_queue ON items (queue, fatal DESC, machine_score, id) WHERE status = 'pending';
CREATE INDEX items_claim_order ON items (fatal DESC, machine_score, id) WHERE status = 'pending';
CREATE INDEX items_agent ON items (agent_id, reviewed_at);
CREATE INDEX items_reviewed ON items (reviewed_at) WHERE status = 'reviewed';

CREATE TABLE reviews (
  id               serial PRIMARY KEY,
  item_id          integer NOT NULL REFERENCES items (id),
  reviewer_id      integer NOT NULL REFERENCES users (id),
  kind             text NOT NULL CHECK (kind IN ('primary', 'calibration')),
  status           text NOT NULL CHECK (status IN ('open', 'submitted', 'released', 'expired')),
  claimed_at       timestamptz NOT NULL DEFAULT now(),
  lease_expires_at timestamptz NOT NULL,
  submitted_at     timestamptz,
  score            double precision,
  passed           boolean,
  fatal            boolean
);
-- Two reviewers never work the same item: one live primary review per item, and a reviewer
-- reviews an item at most once.
CREATE UNIQUE INDEX reviews_one_primary ON reviews (item_id)
  WHERE kind = 'primary' AND status IN ('open', 'submitted');
CREATE UNIQUE INDEX reviews_one_per_reviewer ON reviews (item_id, reviewer_id)
  WHERE status IN ('open', 'submitted');
CREATE INDEX reviews_reviewer ON reviews (reviewer_id, submitted_at);

CREATE TABLE findings (
  id           serial PRIMARY KEY,
  item_id      integer NOT NULL REFERENCES items (id),
  idx          integer,
  origin       text NOT NULL CHECK (origin IN ('machine', 'reviewer')),
  review_id    integer REFERENCES reviews (id),
  rule_id      text NOT NULL,
  type         text NOT NULL,
  category     text NOT NULL,
  severity     text NOT NULL,
  points       double precision NOT NULL,
  turn_index   integer,
  start_offset integer,
  end_offset   integer,
  text         text,
  message      text NOT NULL,
  note         text,
  at_ms        double precision,
  duration_ms  double precision,
  -- The item's outcome for this finding: set at submit, changed by an appeal ruling.
  final        text CHECK (final IN ('confirmed', 'rejected')),
  created_at   timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX findings_item ON findings (item_id);
CREATE INDEX findings_rule ON findings (rule_id, final);

CREATE TABLE verdicts (
  review_id  integer NOT NULL REFERENCES reviews (id),
  finding_id integer NOT NULL REFERENCES findings (id),
  verdict    text NOT NULL CHECK (verdict IN ('confirmed', 'rejected')),
  reason     text,
  updated_at timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (review_id, finding_id)
);

CREATE TABLE comments (
  id         serial PRIMARY KEY,
  item_id    integer NOT NULL REFERENCES items (id),
  user_id    integer NOT NULL REFERENCES users (id),
  body       text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX comments_item ON comments (item_id);

CREATE TABLE appeals (
  id           serial PRIMARY KEY,
  item_id      integer NOT NULL REFERENCES items (id),
  agent_user   integer NOT NULL REFERENCES users (id),
  reason       text NOT NULL,
  status       text NOT NULL CHECK (status IN ('open', 'upheld', 'overturned', 'partial')),
  created_at   timestamptz NOT NULL DEFAULT now(),
  ruled_at     timestamptz,
  ruled_by     integer REFERENCES users (id),
  ruling_note  text,
  score_before double precision,
  score_after  double precision
);
CREATE UNIQUE INDEX appeals_one_per_item ON appeals (item_id);

CREATE TABLE appeal_decisions (
  appeal_id  integer NOT NULL REFERENCES appeals (id),
  finding_id integer NOT NULL REFERENCES findings (id),
  decision   text NOT NULL CHECK (decision IN ('uphold', 'overturn')),
  PRIMARY KEY (appeal_id, finding_id)
);

CREATE TABLE audit_log (
  id        bigserial PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  user_id   integer,
  action    text NOT NULL,
  entity    text NOT NULL,
  entity_id text NOT NULL,
  item_id   integer,
  before    jsonb,
  after     jsonb
);
CREATE INDEX audit_item ON audit_log (item_id, id);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END
$$;
CREATE TRIGGER audit_log_no_update BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();

-- Ingest commits the next offset of each partition in the same transaction as its items.
CREATE TABLE kafka_offsets (
  consumer_group text NOT NULL,
  topic          text NOT NULL,
  partition      integer NOT NULL,
  next_offset    bigint NOT NULL,
  updated_at     timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (consumer_group, topic, partition)
);

-- Noisy-rule state, so a change (noisy / no longer noisy) is logged once.
CREATE TABLE rule_state (
  rule_id    text PRIMARY KEY,
  noisy      boolean NOT NULL,
  precision  double precision,
  changed_at timestamptz NOT NULL DEFAULT now()
);

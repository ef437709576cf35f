-- The first schema of redress on SQLite. Instants are INTEGER microseconds
-- since the Unix epoch (UTC): exact, compact and ordered. Read one with
-- strftime('%Y-%m-%d %H:%M:%f', created_at / 1e6, 'unixepoch').

-- +goose Up

-- cases is the projection of each case's events: its current state, with a
-- column for everything listings filter or sort on.
CREATE TABLE cases (
    id             INTEGER PRIMARY KEY,
    ref            TEXT    NOT NULL UNIQUE,
    customer_id    TEXT    NOT NULL,
    customer_name  TEXT    NOT NULL,
    customer_email TEXT    NOT NULL,
    customer_phone TEXT    NOT NULL,
    channel        TEXT    NOT NULL,
    language       TEXT    NOT NULL,
    subject        TEXT    NOT NULL,
    description    TEXT    NOT NULL,
    category       TEXT    NOT NULL,
    severity       TEXT    NOT NULL,
    priority       TEXT    NOT NULL,
    priority_rank  INTEGER NOT NULL,          -- 1 for p1 … 4 for p4
    status         TEXT    NOT NULL,
    stage          TEXT    NOT NULL,
    team           TEXT    NOT NULL,
    assignee_id    INTEGER NOT NULL,          -- 0: unassigned
    assignee_name  TEXT    NOT NULL,
    merchant_id    TEXT    NOT NULL,
    transactions   TEXT    NOT NULL,          -- JSON array of complaint.Transaction
    attachments    TEXT    NOT NULL,          -- JSON array of complaint.Attachment
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    resolved_at    INTEGER,
    closed_at      INTEGER,
    version        INTEGER NOT NULL,
    last_hash      TEXT    NOT NULL
) STRICT;

CREATE INDEX cases_created  ON cases (created_at, id);
CREATE INDEX cases_updated  ON cases (updated_at, id);
CREATE INDEX cases_priority ON cases (priority_rank, created_at, id);
CREATE INDEX cases_status   ON cases (status, created_at);
CREATE INDEX cases_customer ON cases (customer_id, created_at);
CREATE INDEX cases_merchant ON cases (merchant_id);
CREATE INDEX cases_assignee ON cases (assignee_id, created_at);
CREATE INDEX cases_team     ON cases (team, created_at);

-- case_transactions indexes the transactions a case names (the full
-- snapshots are in cases.transactions): merchants see the cases naming them,
-- and intake finds repeats by transaction id.
CREATE TABLE case_transactions (
    case_id     INTEGER NOT NULL REFERENCES cases (id) ON DELETE CASCADE,
    txn_id      TEXT    NOT NULL,
    merchant_id TEXT    NOT NULL,
    PRIMARY KEY (case_id, txn_id)
) STRICT, WITHOUT ROWID;

CREATE INDEX case_transactions_merchant ON case_transactions (merchant_id, case_id);
CREATE INDEX case_transactions_txn      ON case_transactions (txn_id);

-- events is the append-only history of every case. before_data and
-- after_data keep the JSON exactly as it was hashed.
CREATE TABLE events (
    id          INTEGER PRIMARY KEY,
    case_id     INTEGER NOT NULL REFERENCES cases (id),
    seq         INTEGER NOT NULL,
    at          INTEGER NOT NULL,
    actor_id    INTEGER NOT NULL,
    actor_role  TEXT    NOT NULL,
    actor_name  TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    visibility  TEXT    NOT NULL,
    before_data TEXT,
    after_data  TEXT,
    body        TEXT    NOT NULL,
    prev_hash   TEXT    NOT NULL,
    hash        TEXT    NOT NULL,
    UNIQUE (case_id, seq)
) STRICT;

-- outbox holds one row per event for the side effects that follow it
-- (ledger, webhooks, notifications), written in the event's transaction.
CREATE TABLE outbox (
    id          INTEGER PRIMARY KEY,
    event_id    INTEGER NOT NULL UNIQUE REFERENCES events (id),
    case_ref    TEXT    NOT NULL,
    kind        TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    lease_until INTEGER,                      -- claimed by a worker until then
    attempts    INTEGER NOT NULL DEFAULT 0,
    done_at     INTEGER
) STRICT;

CREATE INDEX outbox_pending ON outbox (id) WHERE done_at IS NULL;

CREATE TABLE users (
    id            INTEGER PRIMARY KEY,
    email         TEXT    NOT NULL,
    email_key     TEXT    NOT NULL UNIQUE,    -- lower-cased email: unique case-insensitively
    name          TEXT    NOT NULL,
    role          TEXT    NOT NULL,
    password_hash TEXT    NOT NULL,
    customer_id   TEXT    NOT NULL,
    merchant_id   TEXT    NOT NULL,
    team          TEXT    NOT NULL,
    disabled      INTEGER NOT NULL DEFAULT 0,
    created_at    INTEGER NOT NULL
) STRICT;

CREATE TABLE api_tokens (
    id           INTEGER PRIMARY KEY,
    user_id      INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    token_hash   BLOB    NOT NULL UNIQUE,
    created_at   INTEGER NOT NULL,
    last_used_at INTEGER
) STRICT;

CREATE INDEX api_tokens_user ON api_tokens (user_id);

CREATE TABLE sessions (
    id_hash    BLOB    PRIMARY KEY,
    user_id    INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE,
    csrf_token TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX sessions_user    ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

-- idempotency_keys remembers which case a keyed create request opened, so a
-- retried request gets the same case instead of a second one.
CREATE TABLE idempotency_keys (
    scope        TEXT    NOT NULL,
    key          TEXT    NOT NULL,
    request_hash TEXT    NOT NULL,
    case_ref     TEXT    NOT NULL,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (scope, key)
) STRICT, WITHOUT ROWID;

-- +goose Down
DROP TABLE idempotency_keys;
DROP TABLE sessions;
DROP TABLE api_tokens;
DROP TABLE users;
DROP TABLE outbox;
DROP TABLE events;
DROP TABLE case_transactions;
DROP TABLE cases;

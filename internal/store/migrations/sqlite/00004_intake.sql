-- Intake: the original of every complaint that came in through a channel
-- (email, hotline, chat, social media, referrals), the checkpoints of file
-- imports, the imported ledger export that transaction evidence is
-- snapshotted from, and the indexes repeat detection looks customers up by.

-- +goose Up

-- intake_messages keeps each message exactly as it arrived (payload), once
-- per channel and source id, with the case it opened or was linked to and
-- the identity of its sender.
-- status: pending (being handled, or its handler died: see lease_until),
-- filed (it opened case_ref), repeat (it was linked to case_ref as a
-- repeat). decision is what a pending message is being turned into (file
-- or repeat), so that a retry after a crash finishes the same way.
CREATE TABLE intake_messages (
    id             INTEGER PRIMARY KEY,
    channel        TEXT    NOT NULL,
    source_id      TEXT    NOT NULL,
    received_at    INTEGER NOT NULL,
    payload        BLOB    NOT NULL,
    sha256         TEXT    NOT NULL,
    status         TEXT    NOT NULL,
    decision       TEXT    NOT NULL DEFAULT '',
    case_ref       TEXT    NOT NULL DEFAULT '',
    detail         TEXT    NOT NULL DEFAULT '',
    customer_id    TEXT    NOT NULL DEFAULT '',
    customer_email TEXT    NOT NULL DEFAULT '',
    customer_phone TEXT    NOT NULL DEFAULT '', -- normalised: digits; +country code outside China
    lease_until    INTEGER,
    created_at     INTEGER NOT NULL,
    updated_at     INTEGER NOT NULL,
    UNIQUE (channel, source_id)
) STRICT;

CREATE INDEX intake_messages_case ON intake_messages (case_ref, received_at);
CREATE INDEX intake_messages_sha  ON intake_messages (sha256);
-- Who sent each message: a case is the customer's by any identity its
-- messages brought (an email first, then a call from a phone number).
CREATE INDEX intake_messages_customer_id    ON intake_messages (customer_id);
CREATE INDEX intake_messages_customer_email ON intake_messages (customer_email);
CREATE INDEX intake_messages_customer_phone ON intake_messages (customer_phone);

-- import_checkpoints remembers how far the import of a file (known by its
-- content) got, so an interrupted import resumes where it stopped.
CREATE TABLE import_checkpoints (
    kind        TEXT    NOT NULL,
    file_sha256 TEXT    NOT NULL,
    path        TEXT    NOT NULL,
    next_record INTEGER NOT NULL,
    done        INTEGER NOT NULL DEFAULT 0,
    updated_at     INTEGER NOT NULL,
    PRIMARY KEY (kind, file_sha256)
) STRICT, WITHOUT ROWID;

-- ledger_transactions is the platform's ledger as last exported to redress
-- (redress import ledger); cases keep their own snapshots of it.
CREATE TABLE ledger_transactions (
    txn_id       TEXT    PRIMARY KEY,
    customer_id  TEXT    NOT NULL,
    at           INTEGER NOT NULL,
    amount_minor INTEGER NOT NULL,
    currency     TEXT    NOT NULL,
    counterparty TEXT    NOT NULL,
    merchant_id  TEXT    NOT NULL,
    status          TEXT    NOT NULL,
    imported_at  INTEGER NOT NULL
) STRICT, WITHOUT ROWID;

CREATE INDEX ledger_transactions_customer ON ledger_transactions (customer_id, at);

-- Repeat detection finds a customer's open cases by email and by phone
-- number (without separators) as well as by customer id.
CREATE INDEX cases_customer_email ON cases (customer_email);
CREATE INDEX cases_customer_phone ON cases (replace(replace(replace(replace(customer_phone, ' ', ''), '-', ''), '(', ''), ')', ''));

-- +goose Down
DROP INDEX cases_customer_phone;
DROP INDEX cases_customer_email;
DROP TABLE ledger_transactions;
DROP TABLE import_checkpoints;
DROP TABLE intake_messages;

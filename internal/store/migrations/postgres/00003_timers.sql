-- Durable timers of the service clocks (internal/sla): each running clock
-- has a row per alarm (warning-75, warning-90, breach; overdue for a
-- department task). Keep it in step with ../sqlite/00003_timers.sql.
--
-- A scheduler claims due rows with FOR UPDATE SKIP LOCKED and, in the same
-- transaction, stores the events the firing records and sets fired_at, so
-- a timer fires exactly once: the row lock is the lease, and it ends with
-- the transaction, whether that commits or dies with its node.

-- +goose Up
CREATE TABLE timers (
    id         BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    case_ref   TEXT        NOT NULL REFERENCES cases (ref),
    clock      TEXT        NOT NULL,              -- the deadline: first_response, resolution, regulator, task:T1
    kind       TEXT        NOT NULL,              -- warning-75, warning-90, breach, overdue
    epoch      TEXT        NOT NULL,              -- the clock instance; another epoch re-arms a fired timer
    due        TIMESTAMPTZ NOT NULL,              -- the deadline's due when the timer was set
    fire_at    TIMESTAMPTZ NOT NULL,
    fired_at   TIMESTAMPTZ,                       -- NULL until fired
    attempts   INTEGER     NOT NULL DEFAULT 0,
    last_error TEXT        NOT NULL DEFAULT '',
    UNIQUE (case_ref, clock, kind)
);

-- The scheduler's queue: pending timers in firing order.
CREATE INDEX timers_pending ON timers (fire_at, id) WHERE fired_at IS NULL;

-- +goose Down
DROP TABLE timers;

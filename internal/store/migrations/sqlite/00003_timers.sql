-- Durable timers of the service clocks (internal/sla): each running clock
-- has a row per alarm (warning-75, warning-90, breach; overdue for a
-- department task). Keep it in step with ../postgres/00003_timers.sql.
-- Instants are INTEGER microseconds since the Unix epoch (UTC).
--
-- A scheduler claims due rows through the single writer and, in the same
-- transaction, stores the events the firing records and sets fired_at, so
-- a timer fires exactly once.

-- +goose Up
CREATE TABLE timers (
    id         INTEGER PRIMARY KEY,
    case_ref   TEXT    NOT NULL REFERENCES cases (ref),
    clock      TEXT    NOT NULL,                  -- the deadline: first_response, resolution, regulator, task:T1
    kind       TEXT    NOT NULL,                  -- warning-75, warning-90, breach, overdue
    epoch      TEXT    NOT NULL,                  -- the clock instance; another epoch re-arms a fired timer
    due        INTEGER NOT NULL,                  -- the deadline's due when the timer was set
    fire_at    INTEGER NOT NULL,
    fired_at   INTEGER,                           -- NULL until fired
    attempts   INTEGER NOT NULL DEFAULT 0,
    last_error TEXT    NOT NULL DEFAULT '',
    UNIQUE (case_ref, clock, kind)
) STRICT;

-- The scheduler's queue: pending timers in firing order.
CREATE INDEX timers_pending ON timers (fire_at, id) WHERE fired_at IS NULL;

-- +goose Down
DROP TABLE timers;

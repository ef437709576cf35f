-- Agent profiles: what routing (internal/route, internal/assign) needs to
-- know about an agent or supervisor beyond their account: the languages,
-- categories and channels they take (JSON arrays of strings; an empty
-- array means any), how many open cases they hold at most, and whether
-- they are taking cases now. A staff account without a row takes any case
-- up to the default capacity and is online. Keep it in step with
-- ../sqlite/00005_agents.sql: the queries are shared.

-- +goose Up
CREATE TABLE agent_profiles (
    user_id      BIGINT      PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    languages    TEXT        NOT NULL DEFAULT '[]',
    categories   TEXT        NOT NULL DEFAULT '[]',
    channels     TEXT        NOT NULL DEFAULT '[]',
    capacity     INTEGER     NOT NULL DEFAULT 20,
    availability TEXT        NOT NULL DEFAULT 'online', -- online, away, off_shift
    updated_at   TIMESTAMPTZ NOT NULL
);

-- +goose Down
DROP TABLE agent_profiles;

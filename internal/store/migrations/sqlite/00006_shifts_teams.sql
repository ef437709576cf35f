-- Agent shifts and team skills. calendar names a clock calendar (cn,
-- none, ...; empty: no shift limit) and hours the agent's working hours on
-- its working days (e.g. 09:00-18:00; empty: the calendar's). A team
-- profile gives the skills (JSON arrays of strings; empty means any) its
-- agents inherit when their own list is empty. Keep it in step with
-- ../postgres/00006_shifts_teams.sql.

-- +goose Up
ALTER TABLE agent_profiles ADD COLUMN calendar TEXT NOT NULL DEFAULT '';
ALTER TABLE agent_profiles ADD COLUMN hours TEXT NOT NULL DEFAULT '';
CREATE TABLE team_profiles (
    team       TEXT PRIMARY KEY,
    languages  TEXT NOT NULL DEFAULT '[]',
    categories TEXT NOT NULL DEFAULT '[]',
    channels   TEXT NOT NULL DEFAULT '[]'
) STRICT;

-- +goose Down
DROP TABLE team_profiles;
ALTER TABLE agent_profiles DROP COLUMN hours;
ALTER TABLE agent_profiles DROP COLUMN calendar;

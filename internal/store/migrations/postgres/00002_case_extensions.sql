-- What the later parts of the lifecycle add to a case: the reference a
-- referring body gave it, its service deadlines, what was understood from
-- its text, how often it was complained about again, and the tasks it
-- needs from other departments. All are folds of the case's events.

-- +goose Up
ALTER TABLE cases
    ADD COLUMN external_ref TEXT    NOT NULL DEFAULT '',
    ADD COLUMN deadlines    JSONB   NOT NULL DEFAULT '[]',
    ADD COLUMN assessment   JSONB,
    ADD COLUMN repeats      INTEGER NOT NULL DEFAULT 0,
    ADD COLUMN tasks        JSONB   NOT NULL DEFAULT '[]';
CREATE INDEX cases_external_ref ON cases (external_ref) WHERE external_ref <> '';

-- +goose Down
DROP INDEX cases_external_ref;
ALTER TABLE cases DROP COLUMN tasks, DROP COLUMN repeats, DROP COLUMN assessment,
    DROP COLUMN deadlines, DROP COLUMN external_ref;

-- What the later parts of the lifecycle add to a case: the reference a
-- referring body gave it, its service deadlines, what was understood from
-- its text, how often it was complained about again, and the tasks it
-- needs from other departments. All are folds of the case's events.

-- +goose Up
ALTER TABLE cases ADD COLUMN external_ref TEXT    NOT NULL DEFAULT '';
ALTER TABLE cases ADD COLUMN deadlines    TEXT    NOT NULL DEFAULT '[]'; -- JSON array of complaint.Deadline
ALTER TABLE cases ADD COLUMN assessment   TEXT;                          -- JSON complaint.Assessment, NULL before assessment
ALTER TABLE cases ADD COLUMN repeats      INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cases ADD COLUMN tasks        TEXT    NOT NULL DEFAULT '[]'; -- JSON array of complaint.Task
CREATE INDEX cases_external_ref ON cases (external_ref) WHERE external_ref <> '';

-- +goose Down
DROP INDEX cases_external_ref;
ALTER TABLE cases DROP COLUMN tasks;
ALTER TABLE cases DROP COLUMN repeats;
ALTER TABLE cases DROP COLUMN assessment;
ALTER TABLE cases DROP COLUMN deadlines;
ALTER TABLE cases DROP COLUMN external_ref;

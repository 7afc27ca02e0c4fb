-- Long-running operations (VM create first) and their timed stages, so that clients can poll
-- progress and the daemon can report what happened after the fact. The target is a plain name,
-- not a foreign key: the record must outlive a VM that was rolled back or deleted.

CREATE TABLE operations (
    id         TEXT PRIMARY KEY,
    kind       TEXT NOT NULL,
    target     TEXT NOT NULL,
    state      TEXT NOT NULL,
    error      TEXT,
    started_at TEXT NOT NULL,
    ended_at   TEXT
);

CREATE INDEX operations_target ON operations (target);
CREATE INDEX operations_state ON operations (state);

CREATE TABLE operation_stages (
    operation_id TEXT    NOT NULL REFERENCES operations (id) ON DELETE CASCADE,
    name         TEXT    NOT NULL,
    position     INTEGER NOT NULL,
    state        TEXT    NOT NULL,
    started_at   TEXT,
    ended_at     TEXT,
    error        TEXT,
    PRIMARY KEY (operation_id, name),
    UNIQUE (operation_id, position)
);

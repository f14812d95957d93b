-- Early warnings: who said it and what about, per document; authority
-- mentions in the rollups; level changes with their evidence; mutes.
ALTER TABLE documents ADD COLUMN authority INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN central_media INTEGER NOT NULL DEFAULT 0;
ALTER TABLE documents ADD COLUMN sensitivity TEXT NOT NULL DEFAULT '';
ALTER TABLE rollups ADD COLUMN authority INTEGER NOT NULL DEFAULT 0;

CREATE TABLE warnings (
    seq INTEGER PRIMARY KEY,
    topic_id TEXT NOT NULL,
    level TEXT NOT NULL,
    previous TEXT NOT NULL,
    at INTEGER NOT NULL,
    score REAL NOT NULL,
    evidence TEXT NOT NULL,
    acknowledged_at INTEGER,
    acknowledged_by TEXT
);
CREATE INDEX warnings_by_topic ON warnings (topic_id, seq DESC);

CREATE TABLE topic_mutes (
    topic_id TEXT PRIMARY KEY,
    until INTEGER NOT NULL
);

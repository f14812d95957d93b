-- Vane's embedded store. Times are Unix seconds (UTC).

-- Received items waiting for the pipeline. An item is acknowledged once
-- its row is committed here, and leaves in the same transaction that
-- stores its document: nothing acknowledged is lost, nothing stored twice.
CREATE TABLE inbox (
    seq INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL UNIQUE,
    source_id TEXT,
    received_at INTEGER NOT NULL,
    payload TEXT NOT NULL
);

CREATE TABLE documents (
    seq INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    source_id TEXT,
    title TEXT NOT NULL,
    body TEXT NOT NULL,
    url TEXT NOT NULL,
    site TEXT NOT NULL,
    author TEXT NOT NULL,
    lang TEXT NOT NULL,
    country TEXT NOT NULL,
    region TEXT NOT NULL,
    channel TEXT,
    verified INTEGER NOT NULL,
    repost INTEGER NOT NULL,
    followers INTEGER NOT NULL,
    likes INTEGER NOT NULL,
    comments INTEGER NOT NULL,
    shares INTEGER NOT NULL,
    views INTEGER NOT NULL,
    published_at INTEGER NOT NULL,
    received_at INTEGER NOT NULL,
    sentiment TEXT NOT NULL,
    sentiment_score REAL NOT NULL,
    emotion TEXT,
    story_id TEXT NOT NULL,
    parent_id TEXT,
    reach INTEGER NOT NULL
);
CREATE INDEX documents_by_time ON documents (published_at DESC, seq DESC);
CREATE INDEX documents_by_story ON documents (story_id, published_at);

-- The matcher's tokens of title and body (vane_query::index_tokens: folded
-- words, Han characters one each), space-separated: the ascii tokenizer
-- splits on the spaces only, so the index holds exactly those tokens. No
-- positions (detail = none): a Han run is looked up as all its characters
-- and the percolator verifies every candidate anyway.
CREATE VIRTUAL TABLE documents_fts USING fts5 (tokens, content = '', tokenize = 'ascii', detail = none);

-- A mention is a document matched by a topic.
CREATE TABLE mentions (
    topic_id TEXT NOT NULL,
    document_seq INTEGER NOT NULL REFERENCES documents (seq),
    published_at INTEGER NOT NULL,
    sentiment TEXT NOT NULL,
    sentiment_score REAL NOT NULL,
    hits TEXT NOT NULL,
    channel TEXT,
    site TEXT NOT NULL,
    lang TEXT NOT NULL,
    story_id TEXT NOT NULL,
    PRIMARY KEY (topic_id, document_seq)
) WITHOUT ROWID;
CREATE INDEX mentions_by_topic_time ON mentions (topic_id, published_at DESC, document_seq DESC);
CREATE INDEX mentions_by_time ON mentions (published_at DESC, document_seq DESC);

-- Per topic × bucket × channel × sentiment; bucket_seconds is 60, 3600 or 86400.
CREATE TABLE rollups (
    topic_id TEXT NOT NULL,
    bucket_seconds INTEGER NOT NULL,
    bucket_start INTEGER NOT NULL,
    channel TEXT NOT NULL,
    sentiment TEXT NOT NULL,
    mentions INTEGER NOT NULL,
    stories INTEGER NOT NULL,
    engagement INTEGER NOT NULL,
    views INTEGER NOT NULL,
    reach INTEGER NOT NULL,
    PRIMARY KEY (topic_id, bucket_seconds, bucket_start, channel, sentiment)
) WITHOUT ROWID;

CREATE TABLE topics (
    id TEXT PRIMARY KEY,
    definition TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL
);

CREATE TABLE sources (
    id TEXT PRIMARY KEY,
    config TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL
);

CREATE TABLE dead_letters (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    source_id TEXT,
    item_id TEXT,
    reason TEXT NOT NULL,
    payload TEXT NOT NULL
);

//! The embedded store: one SQLite file in WAL mode.
//!
//! One writer connection serialises every write (SQLite allows one writer
//! anyway, and a single connection never waits on its own lock); a small
//! pool of reader connections serves the API concurrently, reading the
//! last committed state. `synchronous = NORMAL` in WAL mode keeps every
//! committed transaction through a crash of the process (`kill -9`); only
//! a power loss can take the last few back. A third connection copies the
//! WAL into the database file after each commit, on its own thread
//! ([`Checkpoints`]).

use std::collections::HashMap;
use std::str::FromStr;
use std::time::Duration;

use async_trait::async_trait;
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePool, SqlitePoolOptions, SqliteRow,
    SqliteSynchronous,
};
use sqlx::{AssertSqlSafe, QueryBuilder, Row, Sqlite};
use vane_model::{
    Channel, Document, DocumentId, Polarity, SourceConfig, SourceId, SourceState, Timestamp, Topic,
    TopicId,
};
use vane_query::SearchPlan;

use crate::types::*;
use crate::{Result, Store, StoreError};

static MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Statements bind at most this many values (SQLite's limit is 32,766).
const MAX_BINDS: usize = 30_000;
/// Rows per multi-row `INSERT` of documents, mentions and rollups. A full
/// chunk's statement is the same text every time and is kept prepared:
/// parsing statements of thousands of values anew for every batch was
/// 2–3 % of an import's CPU, on the writer's thread.
const ROWS_PER_INSERT: usize = 250;

/// The SQLite implementation of [`Store`].
#[derive(Debug, Clone)]
pub struct SqliteStore {
    writer: SqlitePool,
    readers: SqlitePool,
    checkpoints: std::sync::Arc<Checkpoints>,
}

impl SqliteStore {
    /// Opens (creating when missing) the database at `url`
    /// (`sqlite://PATH` or `sqlite:PATH`) and brings its schema up to date.
    pub async fn open(url: &str) -> Result<SqliteStore> {
        let options = SqliteConnectOptions::from_str(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            .synchronous(SqliteSynchronous::Normal)
            .busy_timeout(Duration::from_secs(30))
            .foreign_keys(false)
            .pragma("temp_store", "memory")
            .page_size(8192);
        let writer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(
                options
                    .clone()
                    .pragma("cache_size", "-32768")
                    .pragma("wal_autocheckpoint", "0"),
            )
            .await?;
        MIGRATIONS.run(&writer).await?;
        let checkpointer = SqlitePoolOptions::new()
            .max_connections(1)
            .min_connections(1)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.clone().pragma("cache_size", "-2048"))
            .await?;
        let checkpoints = Checkpoints::start(checkpointer);
        let readers = SqlitePoolOptions::new()
            .max_connections(4)
            .idle_timeout(None)
            .max_lifetime(None)
            .connect_with(options.read_only(true).pragma("cache_size", "-8192"))
            .await?;
        Ok(SqliteStore {
            writer,
            readers,
            checkpoints,
        })
    }

    /// Closes the pools; the writer, closed last, checkpoints the WAL.
    pub async fn close(&self) {
        self.readers.close().await;
        self.checkpoints.close().await;
        self.writer.close().await;
    }
}

/// Time between checkpoints when nothing is committed through
/// [`Store::commit`] (topic edits, warnings and the like grow the WAL too).
const CHECKPOINT_EVERY: Duration = Duration::from_secs(30);

/// Commits after which the writer waits for the WAL to be copied in full,
/// so that its next transaction starts the WAL over from the beginning.
const RESTART_EVERY: u32 = 4;

/// The WAL checkpoints, on their own connection (so on their own thread).
///
/// After a commit a passive checkpoint starts, and copies the committed
/// pages into the database file while the writer goes on with its next
/// transaction. The writer does not checkpoint (`wal_autocheckpoint = 0`):
/// when it did, the page copies and `fsync`s held up every few batches of
/// an import. A WAL that is being written can only start over when a
/// checkpoint has caught up with it, which a checkpoint running beside a
/// busy writer never does; so every [`RESTART_EVERY`] commits the writer
/// waits for the copy to finish first, and the WAL stays a few batches
/// long instead of growing for as long as writes keep coming.
#[derive(Debug)]
struct Checkpoints {
    pool: SqlitePool,
    state: tokio::sync::Mutex<CheckpointState>,
}

#[derive(Debug, Default)]
struct CheckpointState {
    running: Option<tokio::task::JoinHandle<()>>,
    /// Commits since the writer last waited.
    commits: u32,
    /// A commit whose pages no checkpoint has started to copy.
    uncopied: bool,
}

async fn checkpoint(pool: &SqlitePool) {
    // a checkpoint that cannot finish (a reader holds old pages) copies
    // what it can; the next one takes the rest
    let _ = sqlx::query("PRAGMA wal_checkpoint(PASSIVE)")
        .execute(pool)
        .await;
}

impl Checkpoints {
    fn start(pool: SqlitePool) -> std::sync::Arc<Checkpoints> {
        let checkpoints = std::sync::Arc::new(Checkpoints {
            pool,
            state: tokio::sync::Mutex::new(CheckpointState::default()),
        });
        let pool = checkpoints.pool.clone();
        tokio::spawn(async move {
            while !pool.is_closed() {
                tokio::time::sleep(CHECKPOINT_EVERY).await;
                checkpoint(&pool).await;
            }
        });
        checkpoints
    }

    /// Before a write transaction: every [`RESTART_EVERY`] commits, wait
    /// until the WAL is copied in full.
    async fn before_write(&self) {
        let mut state = self.state.lock().await;
        if state.commits < RESTART_EVERY {
            return;
        }
        if let Some(running) = state.running.take() {
            let _ = running.await;
        }
        if std::mem::take(&mut state.uncopied) {
            checkpoint(&self.pool).await;
        }
        state.commits = 0;
    }

    /// After a commit: copy its pages, unless a copy is still running (the
    /// next commit's then covers this one's pages too).
    async fn after_commit(&self) {
        let mut state = self.state.lock().await;
        state.commits += 1;
        if state
            .running
            .as_ref()
            .is_some_and(|running| !running.is_finished())
        {
            state.uncopied = true;
            return;
        }
        state.uncopied = false;
        let pool = self.pool.clone();
        state.running = Some(tokio::spawn(async move { checkpoint(&pool).await }));
    }

    async fn close(&self) {
        if let Some(running) = self.state.lock().await.running.take() {
            let _ = running.await;
        }
        self.pool.close().await;
    }
}

fn polarity(text: &str) -> Result<Polarity> {
    text.parse().map_err(StoreError::Corrupt)
}

fn channel(text: Option<String>) -> Result<Option<Channel>> {
    text.filter(|text| !text.is_empty())
        .map(|text| {
            text.parse()
                .map_err(|error| StoreError::Corrupt(format!("{error}")))
        })
        .transpose()
}

const DOCUMENT_COLUMNS: &str = "d.seq, d.id, d.source_id, d.title, d.body, d.url, d.site, \
    d.author, d.lang, d.country, d.region, d.channel, d.verified, d.repost, d.followers, d.likes, \
    d.comments, d.shares, d.views, d.published_at, d.received_at, d.sentiment, d.sentiment_score, \
    d.emotion, d.story_id, d.parent_id, d.reach, d.authority, d.central_media, d.sensitivity";

fn stored_document(row: &SqliteRow) -> Result<StoredDocument> {
    let published_at = Timestamp(row.try_get("published_at")?);
    Ok(StoredDocument {
        seq: row.try_get("seq")?,
        document: Document {
            id: DocumentId::new(row.try_get::<String, _>("id")?),
            title: row.try_get("title")?,
            body: row.try_get("body")?,
            url: row.try_get("url")?,
            site: row.try_get("site")?,
            author: row.try_get("author")?,
            lang: row.try_get("lang")?,
            country: row.try_get("country")?,
            region: row.try_get("region")?,
            channel: channel(row.try_get("channel")?)?,
            verified: row.try_get("verified")?,
            repost: row.try_get("repost")?,
            followers: number(row, "followers")?,
            likes: number(row, "likes")?,
            comments: number(row, "comments")?,
            shares: number(row, "shares")?,
            views: number(row, "views")?,
            published_at: Some(published_at.to_string()),
        },
        source_id: row
            .try_get::<Option<String>, _>("source_id")?
            .map(SourceId::new),
        published_at,
        received_at: Timestamp(row.try_get("received_at")?),
        sentiment: polarity(row.try_get("sentiment")?)?,
        sentiment_score: row.try_get::<f64, _>("sentiment_score")? as f32,
        emotion: row.try_get("emotion")?,
        story_id: row.try_get("story_id")?,
        parent_id: row.try_get("parent_id")?,
        reach: number(row, "reach")?,
        signals: signals(row)?,
    })
}

/// A count column (never negative in the store; read as 0 if it were).
fn number(row: &SqliteRow, name: &str) -> Result<u64> {
    Ok(row.try_get::<i64, _>(name)?.max(0) as u64)
}

fn signals(row: &SqliteRow) -> Result<Signals> {
    Ok(Signals {
        authority: row.try_get("authority")?,
        central_media: row.try_get("central_media")?,
        sensitivity: row
            .try_get::<String, _>("sensitivity")?
            .split(',')
            .filter(|class| !class.is_empty())
            .map(String::from)
            .collect(),
    })
}

fn stored_mention(row: &SqliteRow) -> Result<StoredMention> {
    let hits: String = row.try_get("m_hits")?;
    Ok(StoredMention {
        topic: TopicId::new(row.try_get::<String, _>("m_topic")?),
        sentiment: polarity(row.try_get("m_sentiment")?)?,
        sentiment_score: row.try_get::<f64, _>("m_score")? as f32,
        hits: serde_json::from_str(&hits)
            .map_err(|error| StoreError::Corrupt(format!("mention hits: {error}")))?,
        document: stored_document(row)?,
    })
}

/// Appends the filter's conditions on the mention (`m`) or document (`d`) table.
fn push_filter(query: &mut QueryBuilder<Sqlite>, filter: &Filter, table: &str) {
    if let Some(topic) = &filter.topic {
        if table == "m" {
            query
                .push(" AND m.topic_id = ")
                .push_bind(topic.as_str().to_string());
        } else {
            query
                .push(" AND EXISTS (SELECT 1 FROM mentions x WHERE x.topic_id = ")
                .push_bind(topic.as_str().to_string())
                .push(" AND x.document_seq = d.seq)");
        }
    }
    if let Some(from) = filter.from {
        query
            .push(format!(" AND {table}.published_at >= "))
            .push_bind(from.0);
    }
    if let Some(to) = filter.to {
        query
            .push(format!(" AND {table}.published_at < "))
            .push_bind(to.0);
    }
    if let Some(channel) = filter.channel {
        query
            .push(format!(" AND {table}.channel = "))
            .push_bind(channel.as_str());
    }
    if let Some(sentiment) = filter.sentiment {
        query
            .push(format!(" AND {table}.sentiment = "))
            .push_bind(sentiment.as_str());
    }
    if let Some(site) = &filter.site {
        let site = site.trim().to_lowercase();
        query
            .push(format!(" AND ({table}.site = "))
            .push_bind(site.clone())
            .push(format!(" OR {table}.site LIKE "))
            .push_bind(format!("%.{}", site.replace(['%', '_'], "")))
            .push(")");
    }
    if let Some(lang) = &filter.lang {
        let primary = lang.split(['-', '_']).next().unwrap_or("").to_lowercase();
        query
            .push(format!(" AND ({table}.lang = "))
            .push_bind(primary.clone())
            .push(format!(" OR {table}.lang LIKE "))
            .push_bind(format!("{}-%", primary.replace(['%', '_'], "")))
            .push(")");
    }
}

/// What a page of newest-first rows lists.
#[derive(Clone, Copy)]
enum PageOf {
    Mentions,
    Documents,
}

/// The query of a page of mentions or documents, newest first, after the
/// cursor, one row more than `limit` (to tell whether another page
/// follows); `prefix` goes before it (`EXPLAIN QUERY PLAN` in a test).
fn page_query(
    of: PageOf,
    prefix: &str,
    filter: &Filter,
    after: Option<Cursor>,
    limit: usize,
) -> QueryBuilder<Sqlite> {
    let (select, table, time, seq) = match of {
        PageOf::Mentions => (
            format!(
                "SELECT m.topic_id AS m_topic, m.sentiment AS m_sentiment, \
                 m.sentiment_score AS m_score, m.hits AS m_hits, {DOCUMENT_COLUMNS} \
                 FROM mentions m JOIN documents d ON d.seq = m.document_seq WHERE 1 = 1"
            ),
            "m",
            "m.published_at",
            "m.document_seq",
        ),
        PageOf::Documents => (
            format!("SELECT {DOCUMENT_COLUMNS} FROM documents d WHERE 1 = 1"),
            "d",
            "d.published_at",
            "d.seq",
        ),
    };
    let mut query = QueryBuilder::<Sqlite>::new(format!("{prefix}{select}"));
    push_filter(&mut query, filter, table);
    push_cursor(&mut query, after, time, seq);
    query
        .push(format!(" ORDER BY {time} DESC, {seq} DESC LIMIT "))
        .push_bind(limit as i64 + 1);
    query
}

/// Rows after the cursor in (time, seq) descending order. A row value, not
/// `time < ? OR (time = ? AND seq < ?)`: with the OR, SQLite gathered every
/// older row through the index twice, joined each with its document and
/// sorted them all for one page (0.4–0.7 s a page over 170,000 mentions, so
/// reading them all was quadratic); the row value is one index range read
/// in order (9 ms).
fn push_cursor(query: &mut QueryBuilder<Sqlite>, after: Option<Cursor>, time: &str, seq: &str) {
    if let Some(cursor) = after {
        query
            .push(format!(" AND ({time}, {seq}) < ("))
            .push_bind(cursor.published_at)
            .push(", ")
            .push_bind(cursor.seq)
            .push(")");
    }
}

/// The FTS5 expression of a search plan: clauses joined by AND, literals
/// by OR, each literal the AND of its index terms.
fn fts_expression(plan: &SearchPlan) -> String {
    let quote = |text: &str| format!("\"{}\"", text.replace('"', "\"\""));
    plan.clauses
        .iter()
        .map(|clause| {
            let literals: Vec<String> = clause
                .iter()
                .map(|literal| {
                    let terms: Vec<String> = literal
                        .index_terms()
                        .iter()
                        .map(|term| {
                            if term.prefix {
                                format!("{}*", quote(&term.text))
                            } else {
                                quote(&term.text)
                            }
                        })
                        .collect();
                    format!("({})", terms.join(" AND "))
                })
                .collect();
            format!("({})", literals.join(" OR "))
        })
        .collect::<Vec<_>>()
        .join(" AND ")
}

/// Rollup key: topic, bucket seconds, bucket start, channel, sentiment.
type RollupKey = (String, i64, i64, &'static str, &'static str);

#[derive(Default)]
struct RollupSums {
    mentions: i64,
    stories: i64,
    engagement: i64,
    views: i64,
    reach: i64,
    authority: i64,
}

fn clamp(number: u64) -> i64 {
    number.min(i64::MAX as u64) as i64
}

#[async_trait]
impl Store for SqliteStore {
    async fn enqueue(
        &self,
        items: &[InboxItem],
        dead_letters: &[NewDeadLetter],
    ) -> Result<Enqueued> {
        let mut outcome = Enqueued::default();
        self.checkpoints.before_write().await;
        let mut transaction = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        for item in items {
            let id = item.document.id.as_str();
            let result = sqlx::query(
                "INSERT INTO inbox (item_id, source_id, received_at, payload) \
                 SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS (SELECT 1 FROM documents WHERE id = ?1) \
                 ON CONFLICT (item_id) DO NOTHING",
            )
            .bind(id)
            .bind(item.source_id.as_ref().map(SourceId::as_str))
            .bind(item.received_at.0)
            .bind(crate::inbox_payload(&item.document))
            .execute(&mut *transaction)
            .await?;
            if result.rows_affected() == 1 {
                outcome.new += 1;
            } else {
                outcome.duplicates += 1;
            }
        }
        insert_dead_letters(&mut transaction, dead_letters).await?;
        outcome.dead_letters = dead_letters.len();
        transaction.commit().await?;
        self.checkpoints.after_commit().await;
        Ok(outcome)
    }

    async fn queued(&self, after: Option<i64>, limit: usize) -> Result<Vec<InboxEntry>> {
        // a reader: the writer may be busy committing the batch before
        let rows = sqlx::query(
            "SELECT seq, source_id, received_at, payload FROM inbox WHERE seq > ? ORDER BY seq LIMIT ?",
        )
        .bind(after.unwrap_or(i64::MIN))
        .bind(limit as i64)
        .fetch_all(&self.readers)
        .await?;
        rows.iter()
            .map(|row| {
                let payload: String = row.try_get("payload")?;
                Ok(InboxEntry {
                    seq: row.try_get("seq")?,
                    source_id: row
                        .try_get::<Option<String>, _>("source_id")?
                        .map(SourceId::new),
                    received_at: Timestamp(row.try_get("received_at")?),
                    document: serde_json::from_str(&payload)
                        .map_err(|error| StoreError::Corrupt(format!("inbox item: {error}")))?,
                })
            })
            .collect()
    }

    async fn inbox_depth(&self) -> Result<u64> {
        let depth: i64 = sqlx::query_scalar("SELECT count(*) FROM inbox")
            .fetch_one(&self.readers)
            .await?;
        Ok(depth as u64)
    }

    async fn commit(&self, batch: &Commit) -> Result<Committed> {
        self.checkpoints.before_write().await;
        let mut transaction = self.writer.begin_with("BEGIN IMMEDIATE").await?;
        // which documents are new: stored ids, and repeats within the batch
        let mut existing: std::collections::HashSet<String> = std::collections::HashSet::new();
        for chunk in batch.documents.chunks(MAX_BINDS) {
            let mut query = QueryBuilder::<Sqlite>::new("SELECT id FROM documents WHERE id IN (");
            let mut list = query.separated(", ");
            for new in chunk {
                list.push_bind(new.document.id.as_str());
            }
            query.push(")");
            for row in query
                .build()
                .persistent(false)
                .fetch_all(&mut *transaction)
                .await?
            {
                existing.insert(row.try_get("id")?);
            }
        }
        let mut inserted = Vec::with_capacity(batch.documents.len());
        let mut fresh: Vec<(i64, &NewDocument)> = Vec::new();
        let mut next_seq: i64 =
            sqlx::query_scalar("SELECT coalesce(max(seq), 0) + 1 FROM documents")
                .fetch_one(&mut *transaction)
                .await?;
        for new in &batch.documents {
            let is_new = existing.insert(new.document.id.as_str().to_string());
            inserted.push(is_new);
            if is_new {
                fresh.push((next_seq, new));
                next_seq += 1;
            }
        }
        // multi-row statements: one round trip per few hundred rows
        for chunk in fresh.chunks(ROWS_PER_INSERT) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO documents (seq, id, source_id, title, body, url, site, author, lang, \
                 country, region, channel, verified, repost, followers, likes, comments, shares, \
                 views, published_at, received_at, sentiment, sentiment_score, emotion, story_id, \
                 parent_id, reach, authority, central_media, sensitivity) ",
            );
            query.push_values(chunk, |mut row, (seq, new)| {
                let document = &new.document;
                row.push_bind(*seq)
                    .push_bind(document.id.as_str())
                    .push_bind(new.source_id.as_ref().map(SourceId::as_str))
                    .push_bind(document.title.as_str())
                    .push_bind(document.body.as_str())
                    .push_bind(document.url.as_str())
                    .push_bind(document.site.as_str())
                    .push_bind(document.author.as_str())
                    .push_bind(document.lang.as_str())
                    .push_bind(document.country.as_str())
                    .push_bind(document.region.as_str())
                    .push_bind(document.channel.map(Channel::as_str))
                    .push_bind(document.verified)
                    .push_bind(document.repost)
                    .push_bind(clamp(document.followers))
                    .push_bind(clamp(document.likes))
                    .push_bind(clamp(document.comments))
                    .push_bind(clamp(document.shares))
                    .push_bind(clamp(document.views))
                    .push_bind(new.published_at.0)
                    .push_bind(new.received_at.0)
                    .push_bind(new.sentiment.as_str())
                    .push_bind(f64::from(new.sentiment_score))
                    .push_bind(new.emotion.as_deref())
                    .push_bind(new.story_id.as_str())
                    .push_bind(new.parent_id.as_deref())
                    .push_bind(clamp(new.reach))
                    .push_bind(new.signals.authority)
                    .push_bind(new.signals.central_media)
                    .push_bind(new.signals.sensitivity.join(","));
            });
            query
                .build()
                .persistent(chunk.len() == ROWS_PER_INSERT)
                .execute(&mut *transaction)
                .await?;
        }
        for chunk in fresh.chunks(MAX_BINDS / 2) {
            let mut query =
                QueryBuilder::<Sqlite>::new("INSERT INTO documents_fts (rowid, tokens) ");
            query.push_values(chunk, |mut row, (seq, new)| {
                row.push_bind(*seq).push_bind(new.index_tokens.as_str());
            });
            query
                .build()
                .persistent(false)
                .execute(&mut *transaction)
                .await?;
        }
        let mut rollups: HashMap<RollupKey, RollupSums> = HashMap::new();
        let mut mention_rows: Vec<(i64, &NewDocument, &NewMention, String)> = Vec::new();
        for &(seq, new) in &fresh {
            let document = &new.document;
            let channel = document.channel.map(Channel::as_str).unwrap_or("");
            let engagement = clamp(document.likes)
                .saturating_add(clamp(document.comments))
                .saturating_add(clamp(document.shares));
            for mention in &new.mentions {
                let hits = serde_json::to_string(&mention.hits).expect("hits serialise");
                mention_rows.push((seq, new, mention, hits));
                for bucket in Bucket::ALL {
                    let sums = rollups
                        .entry((
                            mention.topic.as_str().to_string(),
                            bucket.seconds(),
                            bucket.start(new.published_at),
                            channel,
                            mention.sentiment.as_str(),
                        ))
                        .or_default();
                    sums.mentions += 1;
                    sums.stories += i64::from(mention.new_story);
                    sums.engagement = sums.engagement.saturating_add(engagement);
                    sums.views = sums.views.saturating_add(clamp(document.views));
                    sums.reach = sums.reach.saturating_add(clamp(new.reach));
                    sums.authority += i64::from(new.signals.authority);
                }
            }
        }
        // in key order, so that consecutive rows land on neighbouring pages
        mention_rows
            .sort_unstable_by(|a, b| (a.2.topic.as_str(), a.0).cmp(&(b.2.topic.as_str(), b.0)));
        for chunk in mention_rows.chunks(ROWS_PER_INSERT) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO mentions (topic_id, document_seq, published_at, sentiment, \
                 sentiment_score, hits, channel, site, lang, story_id) ",
            );
            query.push_values(chunk, |mut row, (seq, new, mention, hits)| {
                row.push_bind(mention.topic.as_str())
                    .push_bind(*seq)
                    .push_bind(new.published_at.0)
                    .push_bind(mention.sentiment.as_str())
                    .push_bind(f64::from(mention.sentiment_score))
                    .push_bind(hits.as_str())
                    .push_bind(new.document.channel.map(Channel::as_str))
                    .push_bind(new.document.site.as_str())
                    .push_bind(new.document.lang.as_str())
                    .push_bind(new.story_id.as_str());
            });
            query.push(" ON CONFLICT DO NOTHING");
            query
                .build()
                .persistent(chunk.len() == ROWS_PER_INSERT)
                .execute(&mut *transaction)
                .await?;
        }
        insert_dead_letters(&mut transaction, &batch.dead_letters).await?;
        for chunk in batch.inbox_done.chunks(MAX_BINDS) {
            let mut query = QueryBuilder::<Sqlite>::new("DELETE FROM inbox WHERE seq IN (");
            let mut list = query.separated(", ");
            for seq in chunk {
                list.push_bind(*seq);
            }
            query.push(")");
            query
                .build()
                .persistent(false)
                .execute(&mut *transaction)
                .await?;
        }
        let mut rollups: Vec<(RollupKey, RollupSums)> = rollups.into_iter().collect();
        rollups.sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for chunk in rollups.chunks(ROWS_PER_INSERT) {
            let mut query = QueryBuilder::<Sqlite>::new(
                "INSERT INTO rollups (topic_id, bucket_seconds, bucket_start, channel, sentiment, \
                 mentions, stories, engagement, views, reach, authority) ",
            );
            query.push_values(chunk, |mut row, (key, sums)| {
                row.push_bind(key.0.clone())
                    .push_bind(key.1)
                    .push_bind(key.2)
                    .push_bind(key.3)
                    .push_bind(key.4)
                    .push_bind(sums.mentions)
                    .push_bind(sums.stories)
                    .push_bind(sums.engagement)
                    .push_bind(sums.views)
                    .push_bind(sums.reach)
                    .push_bind(sums.authority);
            });
            query.push(
                " ON CONFLICT (topic_id, bucket_seconds, bucket_start, channel, sentiment) \
                 DO UPDATE SET mentions = mentions + excluded.mentions, \
                 stories = stories + excluded.stories, \
                 engagement = engagement + excluded.engagement, \
                 views = views + excluded.views, reach = reach + excluded.reach, \
                 authority = authority + excluded.authority",
            );
            query
                .build()
                .persistent(chunk.len() == ROWS_PER_INSERT)
                .execute(&mut *transaction)
                .await?;
        }
        transaction.commit().await?;
        self.checkpoints.after_commit().await;
        Ok(Committed { inserted })
    }

    async fn stored_ids(&self, ids: &[&str]) -> Result<Vec<String>> {
        let mut found = Vec::new();
        for chunk in ids.chunks(MAX_BINDS) {
            let mut query = QueryBuilder::<Sqlite>::new("SELECT id FROM documents WHERE id IN (");
            let mut list = query.separated(", ");
            for id in chunk {
                list.push_bind(*id);
            }
            query.push(")");
            let rows = query
                .build()
                .persistent(false)
                .fetch_all(&self.readers)
                .await?;
            for row in rows {
                found.push(row.try_get("id")?);
            }
        }
        Ok(found)
    }

    async fn recent_story_members(
        &self,
        since: Timestamp,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Vec<StoredStoryMember>> {
        let rows = sqlx::query(
            "SELECT seq, id, title, body, published_at, story_id, parent_id FROM documents \
             WHERE seq > ? AND received_at >= ? ORDER BY seq LIMIT ?",
        )
        .bind(after.unwrap_or(i64::MIN))
        .bind(since.0)
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.readers)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(StoredStoryMember {
                    seq: row.try_get("seq")?,
                    id: row.try_get("id")?,
                    title: row.try_get("title")?,
                    body: row.try_get("body")?,
                    published_at: Timestamp(row.try_get("published_at")?),
                    story_id: row.try_get("story_id")?,
                    parent_id: row.try_get("parent_id")?,
                })
            })
            .collect()
    }

    async fn warning_mentions(
        &self,
        since: Timestamp,
        after: Option<&WarningMention>,
        limit: usize,
    ) -> Result<Vec<WarningMention>> {
        // one range of mentions_by_time (whose entries end with the primary
        // key, topic and document), read backwards; the text's overflow
        // pages are never read
        let rows = sqlx::query(
            "SELECT m.topic_id, m.sentiment, m.document_seq, m.published_at, d.id, d.site, \
             d.channel, d.verified, d.followers, d.likes, d.comments, d.shares, d.authority, \
             d.central_media, d.sensitivity \
             FROM mentions m JOIN documents d ON d.seq = m.document_seq \
             WHERE m.published_at >= ? AND (m.published_at, m.document_seq, m.topic_id) > (?, ?, ?) \
             ORDER BY m.published_at, m.document_seq, m.topic_id LIMIT ?",
        )
        .bind(since.0)
        .bind(after.map_or(i64::MIN, |mention| mention.published_at.0))
        .bind(after.map_or(i64::MIN, |mention| mention.document_seq))
        .bind(after.map_or("", |mention| mention.topic.as_str()))
        .bind(i64::try_from(limit).unwrap_or(i64::MAX))
        .fetch_all(&self.readers)
        .await?;
        rows.iter()
            .map(|row| {
                Ok(WarningMention {
                    topic: TopicId::new(row.try_get::<String, _>("topic_id")?),
                    sentiment: polarity(row.try_get("sentiment")?)?,
                    document_seq: row.try_get("document_seq")?,
                    document_id: row.try_get("id")?,
                    published_at: Timestamp(row.try_get("published_at")?),
                    site: row.try_get("site")?,
                    channel: channel(row.try_get("channel")?)?,
                    verified: row.try_get("verified")?,
                    followers: number(row, "followers")?,
                    engagement: number(row, "likes")?
                        + number(row, "comments")?
                        + number(row, "shares")?,
                    signals: signals(row)?,
                })
            })
            .collect()
    }

    async fn recent_topic_stories(&self, since: Timestamp) -> Result<Vec<(TopicId, String)>> {
        let rows =
            sqlx::query("SELECT DISTINCT topic_id, story_id FROM mentions WHERE published_at >= ?")
                .bind(since.0)
                .fetch_all(&self.readers)
                .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    TopicId::new(row.try_get::<String, _>("topic_id")?),
                    row.try_get("story_id")?,
                ))
            })
            .collect()
    }

    async fn document(&self, id: &str) -> Result<Option<StoredDocument>> {
        let row = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents d WHERE d.id = ?"
        )))
        .bind(id)
        .fetch_optional(&self.readers)
        .await?;
        row.as_ref().map(stored_document).transpose()
    }

    async fn document_mentions(&self, id: &str) -> Result<Vec<StoredMention>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT m.topic_id AS m_topic, m.sentiment AS m_sentiment, \
             m.sentiment_score AS m_score, m.hits AS m_hits, {DOCUMENT_COLUMNS} \
             FROM documents d JOIN mentions m ON m.document_seq = d.seq WHERE d.id = ? \
             ORDER BY m.topic_id"
        )))
        .bind(id)
        .fetch_all(&self.readers)
        .await?;
        rows.iter().map(stored_mention).collect()
    }

    async fn mentions(
        &self,
        filter: &Filter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Page<StoredMention>> {
        let rows = page_query(PageOf::Mentions, "", filter, after, limit)
            .build()
            .persistent(false)
            .fetch_all(&self.readers)
            .await?;
        let mut items: Vec<StoredMention> =
            rows.iter().map(stored_mention).collect::<Result<_>>()?;
        let next = page_end(&mut items, limit, |mention| &mention.document);
        Ok(Page { items, next })
    }

    async fn documents(
        &self,
        filter: &Filter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Page<StoredDocument>> {
        let rows = page_query(PageOf::Documents, "", filter, after, limit)
            .build()
            .persistent(false)
            .fetch_all(&self.readers)
            .await?;
        let mut items: Vec<StoredDocument> =
            rows.iter().map(stored_document).collect::<Result<_>>()?;
        let next = page_end(&mut items, limit, |document| document);
        Ok(Page { items, next })
    }

    async fn search_candidates(
        &self,
        plan: &SearchPlan,
        filter: &Filter,
        after: Option<Cursor>,
        limit: usize,
    ) -> Result<Page<StoredDocument>> {
        // newest stored first; the cursor's seq is the last one scanned
        let mut query = QueryBuilder::<Sqlite>::new(format!("SELECT {DOCUMENT_COLUMNS} FROM "));
        if plan.clauses.is_empty() {
            query.push("documents d WHERE 1 = 1");
            if let Some(cursor) = after {
                query.push(" AND d.seq < ").push_bind(cursor.seq);
            }
            push_filter(&mut query, filter, "d");
            query
                .push(" ORDER BY d.seq DESC LIMIT ")
                .push_bind(limit as i64);
            let rows = query
                .build()
                .persistent(false)
                .fetch_all(&self.readers)
                .await?;
            let items: Vec<StoredDocument> =
                rows.iter().map(stored_document).collect::<Result<_>>()?;
            let next = (items.len() == limit)
                .then(|| items.last().map(cursor_of))
                .flatten();
            return Ok(Page { items, next });
        }
        // the index is read once: the candidates' numbers, then their rows
        let mut candidates = QueryBuilder::<Sqlite>::new(
            "SELECT rowid FROM documents_fts WHERE documents_fts MATCH ",
        );
        candidates.push_bind(fts_expression(plan));
        if let Some(cursor) = after {
            candidates.push(" AND rowid < ").push_bind(cursor.seq);
        }
        candidates
            .push(" ORDER BY rowid DESC LIMIT ")
            .push_bind(limit as i64);
        let seqs: Vec<i64> = candidates
            .build_query_scalar()
            .persistent(false)
            .fetch_all(&self.readers)
            .await?;
        // the index may hold more candidates than pass the filter: the next
        // page starts after the last one scanned, not the last kept
        let next = (seqs.len() == limit)
            .then(|| seqs.last().copied())
            .flatten();
        if seqs.is_empty() {
            return Ok(Page {
                items: Vec::new(),
                next: None,
            });
        }
        query.push("documents d WHERE d.seq IN (");
        let mut list = query.separated(", ");
        for seq in &seqs {
            list.push_bind(*seq);
        }
        query.push(")");
        push_filter(&mut query, filter, "d");
        query.push(" ORDER BY d.seq DESC");
        let rows = query
            .build()
            .persistent(false)
            .fetch_all(&self.readers)
            .await?;
        let items: Vec<StoredDocument> = rows.iter().map(stored_document).collect::<Result<_>>()?;
        Ok(Page {
            items,
            next: next.map(|seq| Cursor {
                published_at: 0,
                seq,
            }),
        })
    }

    async fn stories(&self, filter: &Filter, limit: usize) -> Result<Vec<StorySummary>> {
        let table = if filter.topic.is_some() { "m" } else { "d" };
        let from = if filter.topic.is_some() {
            "mentions m"
        } else {
            "documents d"
        };
        let mut query = QueryBuilder::<Sqlite>::new(format!(
            "SELECT {table}.story_id AS story, count(*) AS size, count(DISTINCT {table}.site) AS sites, \
             min({table}.published_at) AS first_at, max({table}.published_at) AS last_at \
             FROM {from} WHERE 1 = 1"
        ));
        push_filter(&mut query, filter, table);
        query
            .push(" GROUP BY story ORDER BY size DESC, last_at DESC LIMIT ")
            .push_bind(limit as i64);
        let rows = query
            .build()
            .persistent(false)
            .fetch_all(&self.readers)
            .await?;
        let mut stories = Vec::with_capacity(rows.len());
        for row in rows {
            let story_id: String = row.try_get("story")?;
            let first = sqlx::query(AssertSqlSafe(format!(
                "SELECT {DOCUMENT_COLUMNS} FROM documents d WHERE d.story_id = ? \
                 ORDER BY d.published_at, d.seq LIMIT 1"
            )))
            .bind(&story_id)
            .fetch_one(&self.readers)
            .await?;
            stories.push(StorySummary {
                documents: row.try_get::<i64, _>("size")? as u64,
                sites: row.try_get::<i64, _>("sites")? as u64,
                first_published: Timestamp(row.try_get("first_at")?),
                last_published: Timestamp(row.try_get("last_at")?),
                first: stored_document(&first)?,
                story_id,
            });
        }
        Ok(stories)
    }

    async fn story(&self, story_id: &str) -> Result<Vec<StoredDocument>> {
        let rows = sqlx::query(AssertSqlSafe(format!(
            "SELECT {DOCUMENT_COLUMNS} FROM documents d WHERE d.story_id = ? \
             ORDER BY d.published_at, d.seq"
        )))
        .bind(story_id)
        .fetch_all(&self.readers)
        .await?;
        rows.iter().map(stored_document).collect()
    }

    async fn series(&self, request: &SeriesRequest) -> Result<Vec<SeriesPoint>> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT bucket_start, sum(mentions) AS mentions, sum(stories) AS stories, \
             sum(CASE sentiment WHEN 'positive' THEN mentions ELSE 0 END) AS positive, \
             sum(CASE sentiment WHEN 'neutral' THEN mentions ELSE 0 END) AS neutral, \
             sum(CASE sentiment WHEN 'negative' THEN mentions ELSE 0 END) AS negative, \
             sum(engagement) AS engagement, sum(views) AS views, sum(reach) AS reach, \
             sum(authority) AS authority \
             FROM rollups WHERE topic_id = ",
        );
        query
            .push_bind(request.topic.as_str().to_string())
            .push(" AND bucket_seconds = ")
            .push_bind(request.bucket.seconds())
            .push(" AND bucket_start >= ")
            .push_bind(request.bucket.start(request.from))
            .push(" AND bucket_start < ")
            .push_bind(request.to.0);
        if let Some(channel) = request.channel {
            query.push(" AND channel = ").push_bind(channel.as_str());
        }
        query.push(" GROUP BY bucket_start ORDER BY bucket_start");
        let rows = query
            .build()
            .persistent(false)
            .fetch_all(&self.readers)
            .await?;
        rows.iter()
            .map(|row| {
                Ok(SeriesPoint {
                    bucket_start: Timestamp(row.try_get("bucket_start")?),
                    mentions: number(row, "mentions")?,
                    stories: number(row, "stories")?,
                    positive: number(row, "positive")?,
                    neutral: number(row, "neutral")?,
                    negative: number(row, "negative")?,
                    engagement: number(row, "engagement")?,
                    views: number(row, "views")?,
                    reach: number(row, "reach")?,
                    authority: number(row, "authority")?,
                })
            })
            .collect()
    }

    async fn breakdown(
        &self,
        topic: &TopicId,
        from: Timestamp,
        to: Timestamp,
        limit: usize,
    ) -> Result<Breakdown> {
        let topic = topic.as_str().to_string();
        let limit = limit.min(1_000) as i64;
        let shares = |rows: Vec<sqlx::sqlite::SqliteRow>| -> Result<Vec<Share>> {
            rows.iter()
                .map(|row| {
                    Ok(Share {
                        name: row.try_get::<Option<String>, _>(0)?.unwrap_or_default(),
                        mentions: row.try_get::<i64, _>(1)?.max(0) as u64,
                        negative: row.try_get::<Option<i64>, _>(2)?.unwrap_or(0).max(0) as u64,
                    })
                })
                .collect()
        };
        // hour rollups: the range's first partial hour counts whole
        let channels = sqlx::query(
            "SELECT channel, sum(mentions), \
             sum(CASE sentiment WHEN 'negative' THEN mentions ELSE 0 END) \
             FROM rollups WHERE topic_id = ? AND bucket_seconds = 3600 \
             AND bucket_start >= ? AND bucket_start < ? \
             GROUP BY channel ORDER BY 2 DESC, 1",
        )
        .bind(&topic)
        .bind(Bucket::Hour.start(from))
        .bind(to.0)
        .fetch_all(&self.readers)
        .await?;
        let sites = sqlx::query(
            "SELECT site, count(*), sum(sentiment = 'negative') FROM mentions \
             WHERE topic_id = ? AND published_at >= ? AND published_at < ? AND site <> '' \
             GROUP BY site ORDER BY 2 DESC, 1 LIMIT ?",
        )
        .bind(&topic)
        .bind(from.0)
        .bind(to.0)
        .bind(limit)
        .fetch_all(&self.readers)
        .await?;
        let authors = sqlx::query(
            "SELECT d.author, count(*), sum(m.sentiment = 'negative') \
             FROM mentions m JOIN documents d ON d.seq = m.document_seq \
             WHERE m.topic_id = ? AND m.published_at >= ? AND m.published_at < ? \
             AND d.author <> '' GROUP BY d.author ORDER BY 2 DESC, 1 LIMIT ?",
        )
        .bind(&topic)
        .bind(from.0)
        .bind(to.0)
        .bind(limit)
        .fetch_all(&self.readers)
        .await?;
        Ok(Breakdown {
            channels: shares(channels)?,
            sites: shares(sites)?,
            authors: shares(authors)?,
        })
    }

    async fn source_activity(&self, now: Timestamp) -> Result<Vec<SourceActivity>> {
        let (day, week) = (now.0 - 86_400, now.0 - 7 * 86_400);
        // documents by arrival: the newest rows, read backwards until a week ago
        let rows = sqlx::query(
            "SELECT source_id, sum(received_at >= ?), count(*), max(received_at) \
             FROM documents WHERE received_at >= ? AND received_at <= ? GROUP BY source_id",
        )
        .bind(day)
        .bind(week)
        .bind(now.0)
        .fetch_all(&self.readers)
        .await?;
        let letters = sqlx::query(
            "SELECT source_id, count(*) FROM dead_letters WHERE at >= ? GROUP BY source_id",
        )
        .bind(week)
        .fetch_all(&self.readers)
        .await?;
        let mut activity: Vec<SourceActivity> = rows
            .iter()
            .map(|row| {
                Ok(SourceActivity {
                    source_id: row.try_get::<Option<String>, _>(0)?.map(SourceId::new),
                    last_day: row.try_get::<Option<i64>, _>(1)?.unwrap_or(0).max(0) as u64,
                    last_week: row.try_get::<i64, _>(2)?.max(0) as u64,
                    last_received: row.try_get::<Option<i64>, _>(3)?.map(Timestamp),
                    dead_letters_week: 0,
                })
            })
            .collect::<Result<_>>()?;
        for row in &letters {
            let source = row.try_get::<Option<String>, _>(0)?.map(SourceId::new);
            let count = row.try_get::<i64, _>(1)?.max(0) as u64;
            match activity.iter_mut().find(|entry| entry.source_id == source) {
                Some(entry) => entry.dead_letters_week = count,
                None => activity.push(SourceActivity {
                    source_id: source,
                    last_day: 0,
                    last_week: 0,
                    last_received: None,
                    dead_letters_week: count,
                }),
            }
        }
        activity.sort_by_key(|entry| std::cmp::Reverse(entry.last_week));
        Ok(activity)
    }

    async fn counts(&self) -> Result<Counts> {
        let row = sqlx::query(
            "SELECT (SELECT coalesce(max(seq), 0) FROM documents) AS documents, \
             (SELECT count(*) FROM mentions) AS mentions, \
             (SELECT count(*) FROM dead_letters) AS dead_letters, \
             (SELECT count(*) FROM inbox) AS inbox, \
             (SELECT count(*) FROM topics) AS topics, \
             (SELECT count(*) FROM sources) AS sources",
        )
        .fetch_one(&self.readers)
        .await?;
        Ok(Counts {
            documents: number(&row, "documents")?,
            mentions: number(&row, "mentions")?,
            dead_letters: number(&row, "dead_letters")?,
            inbox: number(&row, "inbox")?,
            topics: number(&row, "topics")?,
            sources: number(&row, "sources")?,
        })
    }

    async fn topics(&self) -> Result<Vec<Topic>> {
        let rows = sqlx::query("SELECT definition FROM topics ORDER BY created_at, id")
            .fetch_all(&self.readers)
            .await?;
        rows.iter()
            .map(|row| parse_json(&row.try_get::<String, _>("definition")?, "topic"))
            .collect()
    }

    async fn topic(&self, id: &TopicId) -> Result<Option<Topic>> {
        let row = sqlx::query("SELECT definition FROM topics WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(&self.readers)
            .await?;
        row.map(|row| parse_json(&row.try_get::<String, _>("definition")?, "topic"))
            .transpose()
    }

    async fn put_topic(&self, topic: &Topic) -> Result<bool> {
        let now = now();
        let definition = serde_json::to_string(topic).expect("topics serialise");
        let existed: Option<i64> = sqlx::query_scalar("SELECT 1 FROM topics WHERE id = ?")
            .bind(topic.id.as_str())
            .fetch_optional(&self.writer)
            .await?;
        sqlx::query(
            "INSERT INTO topics (id, definition, created_at, updated_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET definition = excluded.definition, \
             updated_at = excluded.updated_at",
        )
        .bind(topic.id.as_str())
        .bind(definition)
        .bind(now)
        .bind(now)
        .execute(&self.writer)
        .await?;
        Ok(existed.is_none())
    }

    async fn delete_topic(&self, id: &TopicId) -> Result<bool> {
        let result = sqlx::query("DELETE FROM topics WHERE id = ?")
            .bind(id.as_str())
            .execute(&self.writer)
            .await?;
        Ok(result.rows_affected() > 0)
    }

    async fn sources(&self) -> Result<Vec<(SourceConfig, SourceState)>> {
        let rows = sqlx::query("SELECT config, state FROM sources ORDER BY created_at, id")
            .fetch_all(&self.readers)
            .await?;
        rows.iter().map(source_row).collect()
    }

    async fn source(&self, id: &SourceId) -> Result<Option<(SourceConfig, SourceState)>> {
        let row = sqlx::query("SELECT config, state FROM sources WHERE id = ?")
            .bind(id.as_str())
            .fetch_optional(&self.readers)
            .await?;
        row.as_ref().map(source_row).transpose()
    }

    async fn put_source(&self, config: &SourceConfig) -> Result<bool> {
        let text = serde_json::to_string(config).expect("sources serialise");
        let state = serde_json::to_string(&SourceState::default()).expect("states serialise");
        let existed: Option<i64> = sqlx::query_scalar("SELECT 1 FROM sources WHERE id = ?")
            .bind(config.id.as_str())
            .fetch_optional(&self.writer)
            .await?;
        sqlx::query(
            "INSERT INTO sources (id, config, state, created_at) VALUES (?, ?, ?, ?) \
             ON CONFLICT (id) DO UPDATE SET config = excluded.config",
        )
        .bind(config.id.as_str())
        .bind(text)
        .bind(state)
        .bind(now())
        .execute(&self.writer)
        .await?;
        Ok(existed.is_none())
    }

    async fn set_source_state(&self, id: &SourceId, state: &SourceState) -> Result<()> {
        sqlx::query("UPDATE sources SET state = ? WHERE id = ?")
            .bind(serde_json::to_string(state).expect("states serialise"))
            .bind(id.as_str())
            .execute(&self.writer)
            .await?;
        Ok(())
    }

    async fn delete_source(&self, id: &SourceId) -> Result<bool> {
        let result = sqlx::query("DELETE FROM sources WHERE id = ?")
            .bind(id.as_str())
            .execute(&self.writer)
            .await?;
        Ok(result.rows_affected() > 0)
    }

    async fn add_warning(&self, warning: &NewWarning) -> Result<i64> {
        let result = sqlx::query(
            "INSERT INTO warnings (topic_id, level, previous, at, score, evidence) VALUES (?, ?, ?, ?, ?, ?)",
        )
        .bind(warning.topic.as_str())
        .bind(&warning.level)
        .bind(&warning.previous)
        .bind(warning.at.0)
        .bind(warning.score)
        .bind(warning.evidence.to_string())
        .execute(&self.writer)
        .await?;
        Ok(result.last_insert_rowid())
    }

    async fn warnings(
        &self,
        topic: Option<&TopicId>,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Page<StoredWarning, i64>> {
        let mut query = QueryBuilder::<Sqlite>::new(
            "SELECT seq, topic_id, level, previous, at, score, evidence, acknowledged_at, \
             acknowledged_by FROM warnings WHERE seq < ",
        );
        query.push_bind(after.unwrap_or(i64::MAX));
        if let Some(topic) = topic {
            query
                .push(" AND topic_id = ")
                .push_bind(topic.as_str().to_string());
        }
        query
            .push(" ORDER BY seq DESC LIMIT ")
            .push_bind(limit as i64 + 1);
        let rows = query
            .build()
            .persistent(false)
            .fetch_all(&self.readers)
            .await?;
        let items: Vec<StoredWarning> = rows
            .iter()
            .map(|row| {
                Ok(StoredWarning {
                    seq: row.try_get("seq")?,
                    topic: TopicId::new(row.try_get::<String, _>("topic_id")?),
                    level: row.try_get("level")?,
                    previous: row.try_get("previous")?,
                    at: Timestamp(row.try_get("at")?),
                    score: row.try_get("score")?,
                    evidence: parse_json(
                        &row.try_get::<String, _>("evidence")?,
                        "warning evidence",
                    )?,
                    acknowledged_at: row
                        .try_get::<Option<i64>, _>("acknowledged_at")?
                        .map(Timestamp),
                    acknowledged_by: row.try_get("acknowledged_by")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(seq_page(items, limit, |warning| warning.seq))
    }

    async fn acknowledge_warning(&self, seq: i64, by: &str, at: Timestamp) -> Result<bool> {
        let result = sqlx::query(
            "UPDATE warnings SET acknowledged_at = ?, acknowledged_by = ? WHERE seq = ?",
        )
        .bind(at.0)
        .bind(by)
        .bind(seq)
        .execute(&self.writer)
        .await?;
        Ok(result.rows_affected() > 0)
    }

    async fn set_mute(&self, topic: &TopicId, until: Option<Timestamp>) -> Result<()> {
        match until {
            Some(until) => {
                sqlx::query(
                    "INSERT INTO topic_mutes (topic_id, until) VALUES (?, ?) \
                     ON CONFLICT (topic_id) DO UPDATE SET until = excluded.until",
                )
                .bind(topic.as_str())
                .bind(until.0)
                .execute(&self.writer)
                .await?;
            }
            None => {
                sqlx::query("DELETE FROM topic_mutes WHERE topic_id = ?")
                    .bind(topic.as_str())
                    .execute(&self.writer)
                    .await?;
            }
        }
        Ok(())
    }

    async fn mutes(&self) -> Result<Vec<(TopicId, Timestamp)>> {
        let rows = sqlx::query("SELECT topic_id, until FROM topic_mutes ORDER BY topic_id")
            .fetch_all(&self.readers)
            .await?;
        rows.iter()
            .map(|row| {
                Ok((
                    TopicId::new(row.try_get::<String, _>("topic_id")?),
                    Timestamp(row.try_get("until")?),
                ))
            })
            .collect()
    }

    async fn dead_letters(
        &self,
        after: Option<i64>,
        limit: usize,
    ) -> Result<Page<DeadLetter, i64>> {
        let rows = sqlx::query(
            "SELECT seq, at, source_id, item_id, reason, payload FROM dead_letters \
             WHERE seq < ? ORDER BY seq DESC LIMIT ?",
        )
        .bind(after.unwrap_or(i64::MAX))
        .bind(limit as i64 + 1)
        .fetch_all(&self.readers)
        .await?;
        let items: Vec<DeadLetter> = rows
            .iter()
            .map(|row| {
                Ok(DeadLetter {
                    seq: row.try_get("seq")?,
                    at: Timestamp(row.try_get("at")?),
                    source_id: row
                        .try_get::<Option<String>, _>("source_id")?
                        .map(SourceId::new),
                    item_id: row.try_get("item_id")?,
                    reason: row.try_get("reason")?,
                    payload: row.try_get("payload")?,
                })
            })
            .collect::<Result<_>>()?;
        Ok(seq_page(items, limit, |letter| letter.seq))
    }
}

/// Trims a newest-first page fetched with one extra row; the next page
/// starts below the last sequence number kept.
fn seq_page<T>(mut items: Vec<T>, limit: usize, seq: impl Fn(&T) -> i64) -> Page<T, i64> {
    let next = if items.len() > limit {
        items.truncate(limit);
        items.last().map(seq)
    } else {
        None
    };
    Page { items, next }
}

fn cursor_of(document: &StoredDocument) -> Cursor {
    Cursor {
        published_at: document.published_at.0,
        seq: document.seq,
    }
}

/// Trims a page fetched with one extra row and says where the next starts.
fn page_end<T>(
    items: &mut Vec<T>,
    limit: usize,
    document: impl Fn(&T) -> &StoredDocument,
) -> Option<Cursor> {
    if items.len() > limit {
        items.truncate(limit);
        items.last().map(|item| cursor_of(document(item)))
    } else {
        None
    }
}

fn parse_json<T: serde::de::DeserializeOwned>(text: &str, what: &str) -> Result<T> {
    serde_json::from_str(text).map_err(|error| StoreError::Corrupt(format!("{what}: {error}")))
}

fn source_row(row: &SqliteRow) -> Result<(SourceConfig, SourceState)> {
    Ok((
        parse_json(&row.try_get::<String, _>("config")?, "source")?,
        parse_json(&row.try_get::<String, _>("state")?, "source state")?,
    ))
}

fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |elapsed| elapsed.as_secs() as i64)
}

async fn insert_dead_letters(
    transaction: &mut sqlx::Transaction<'_, Sqlite>,
    dead_letters: &[NewDeadLetter],
) -> Result<()> {
    for letter in dead_letters {
        sqlx::query(
            "INSERT INTO dead_letters (at, source_id, item_id, reason, payload) VALUES (?, ?, ?, ?, ?)",
        )
        .bind(letter.at.0)
        .bind(letter.source_id.as_ref().map(SourceId::as_str))
        .bind(letter.item_id.as_deref())
        .bind(&letter.reason)
        .bind(&letter.payload)
        .execute(&mut **transaction)
        .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn the_full_text_index_holds_a_large_transaction_in_memory_until_the_commit() {
        let directory = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", directory.path().join("vane.db").display());
        let store = SqliteStore::open(&url).await.unwrap();
        let hashsize: i64 =
            sqlx::query_scalar("SELECT v FROM documents_fts_config WHERE k = 'hashsize'")
                .fetch_one(&store.readers)
                .await
                .unwrap();
        assert_eq!(hashsize, 64 << 20);
        store.close().await;
    }

    /// A page after a cursor must be one index range read in order: no
    /// gathering and sorting of every older row (which made reading all
    /// pages quadratic).
    #[tokio::test]
    async fn a_page_after_a_cursor_reads_one_index_range_in_order() {
        let directory = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", directory.path().join("vane.db").display());
        let store = SqliteStore::open(&url).await.unwrap();
        let cursor = Some(Cursor {
            published_at: 1_795_000_000,
            seq: 42,
        });
        let filters = [
            Filter::default(),
            Filter {
                from: Some(Timestamp(1_794_000_000)),
                ..Filter::default()
            },
            Filter {
                topic: Some(TopicId::new("xiaomi")),
                from: Some(Timestamp(1_794_000_000)),
                ..Filter::default()
            },
        ];
        for (of, index) in [
            (PageOf::Mentions, "mentions_by"),
            (PageOf::Documents, "documents_by_time"),
        ] {
            for filter in &filters {
                let plan: Vec<String> = page_query(of, "EXPLAIN QUERY PLAN ", filter, cursor, 50)
                    .build()
                    .fetch_all(&store.readers)
                    .await
                    .unwrap()
                    .iter()
                    .map(|row| row.get::<String, _>(3))
                    .collect();
                let plan = plan.join("; ");
                assert!(!plan.contains("TEMP B-TREE"), "{plan}");
                assert!(!plan.contains("MULTI-INDEX"), "{plan}");
                assert!(plan.contains(index), "{plan}");
            }
        }
        store.close().await;
    }
}

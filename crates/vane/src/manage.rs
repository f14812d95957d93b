//! `vane topics`, `vane sources` and `vane search`: the store managed from
//! the command line. A running server picks up topic and source changes
//! within seconds.

use anyhow::{Context, Result};
use clap::Subcommand;
use vane_model::{Channel, FieldMapping, SourceConfig, SourceId, SourceKind, Topic, TopicId};
use vane_query::Query;
use vane_store::Filter;

use crate::UsageError;
use crate::config::{Config, StoreArgs};
use crate::serve::runtime;

#[derive(Debug, Subcommand)]
pub(crate) enum TopicsCommand {
    /// Adds or replaces a topic; an invalid query is refused with its column.
    Add {
        id: String,
        query: String,
        #[arg(long)]
        name: Option<String>,
        #[arg(long)]
        brand: Option<String>,
        /// A competitor's topic.
        #[arg(long)]
        competitor: bool,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Adds or replaces every topic of an NDJSON file (`{"id", "query",
    /// "name"?, "brand"?, "competitor"?}` per line); nothing is saved
    /// unless every line is valid.
    Import {
        file: std::path::PathBuf,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Lists topics as NDJSON.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Removes a topic (its mentions stay).
    Rm {
        id: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

#[derive(Debug, Subcommand)]
pub(crate) enum SourcesCommand {
    /// Adds or replaces a source.
    Add {
        id: String,
        url: String,
        /// feed (RSS/Atom/JSON Feed) or json_api.
        #[arg(long, default_value = "feed")]
        kind: String,
        /// Seconds between polls.
        #[arg(long, default_value_t = 300)]
        interval: u64,
        /// Fetch each item's page when the feed carries only a summary.
        #[arg(long)]
        full_article: bool,
        /// The channel of its documents (news, weibo, …).
        #[arg(long)]
        channel: Option<String>,
        /// A request header, `Name: value`, repeatable.
        #[arg(long = "header", value_name = "NAME: VALUE")]
        headers: Vec<String>,
        /// For json_api: a JSON file with the field mapping (see README).
        #[arg(long, value_name = "FILE.json")]
        mapping: Option<std::path::PathBuf>,
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Lists sources with their state as NDJSON.
    List {
        #[command(flatten)]
        store: StoreArgs,
    },
    /// Removes a source (its documents stay).
    Rm {
        id: String,
        #[command(flatten)]
        store: StoreArgs,
    },
}

async fn store(args: &StoreArgs) -> Result<std::sync::Arc<dyn vane_store::Store>> {
    let config = Config::load(args)?;
    let url = config.database_url()?;
    vane_store::open(&url)
        .await
        .with_context(|| format!("cannot open the store {url}"))
}

fn query_error(text: &str, error: &vane_query::ParseError) -> UsageError {
    let caret: String = " ".repeat(error.column.saturating_sub(1)) + "^";
    UsageError(format!("invalid query: {error}\n  {text}\n  {caret}"))
}

pub(crate) fn topics(command: TopicsCommand) -> Result<()> {
    runtime()?.block_on(async {
        match command {
            TopicsCommand::Add {
                id,
                query,
                name,
                brand,
                competitor,
                store: args,
            } => {
                let parsed = Query::parse(&query).map_err(|error| query_error(&query, &error))?;
                for warning in parsed.warnings() {
                    eprintln!("warning: {warning}");
                }
                let topic = Topic {
                    id: TopicId::new(&id),
                    name: name.unwrap_or_default(),
                    query,
                    brand,
                    competitor,
                    enabled: true,
                };
                let created = store(&args).await?.put_topic(&topic).await?;
                eprintln!("{} topic {id}", if created { "added" } else { "replaced" });
            }
            TopicsCommand::Import { file, store: args } => {
                let text = std::fs::read_to_string(&file)
                    .with_context(|| format!("cannot read {}", file.display()))?;
                let mut topics = Vec::new();
                for (index, line) in text.lines().enumerate() {
                    if line.trim().is_empty() {
                        continue;
                    }
                    let topic: Topic = serde_json::from_str(line).map_err(|error| {
                        UsageError(format!(
                            "{} line {}: invalid topic: {error}",
                            file.display(),
                            index + 1
                        ))
                    })?;
                    Query::parse(&topic.query).map_err(|error| {
                        UsageError(format!(
                            "{} line {}: topic {}: {}",
                            file.display(),
                            index + 1,
                            topic.id,
                            query_error(&topic.query, &error)
                        ))
                    })?;
                    topics.push(topic);
                }
                let store = store(&args).await?;
                for topic in &topics {
                    store.put_topic(topic).await?;
                }
                eprintln!("imported {} topics", topics.len());
            }
            TopicsCommand::List { store: args } => {
                for topic in store(&args).await?.topics().await? {
                    println!("{}", serde_json::to_string(&topic)?);
                }
            }
            TopicsCommand::Rm { id, store: args } => {
                if !store(&args).await?.delete_topic(&TopicId::new(&id)).await? {
                    return Err(UsageError(format!("no topic `{id}`")).into());
                }
                eprintln!("removed topic {id}");
            }
        }
        Ok(())
    })
}

pub(crate) fn sources(command: SourcesCommand) -> Result<()> {
    runtime()?.block_on(async {
        match command {
            SourcesCommand::Add {
                id,
                url,
                kind,
                interval,
                full_article,
                channel,
                headers,
                mapping,
                store: args,
            } => {
                let kind = match kind.as_str() {
                    "feed" => SourceKind::Feed,
                    "json_api" | "json-api" => SourceKind::JsonApi,
                    other => {
                        return Err(UsageError(format!(
                            "unknown source kind `{other}`; the kinds are feed, json_api"
                        ))
                        .into());
                    }
                };
                let channel = channel
                    .map(|name| name.parse::<Channel>())
                    .transpose()
                    .map_err(|error| UsageError(error.to_string()))?;
                let mut header_map = std::collections::BTreeMap::new();
                for header in headers {
                    let (name, value) = header.split_once(':').ok_or_else(|| {
                        UsageError(format!("header `{header}` is not `Name: value`"))
                    })?;
                    header_map.insert(name.trim().to_string(), value.trim().to_string());
                }
                let mapping: Option<FieldMapping> = match mapping {
                    Some(path) => {
                        let text = std::fs::read_to_string(&path)
                            .with_context(|| format!("cannot read {}", path.display()))?;
                        Some(serde_json::from_str(&text).map_err(|error| {
                            UsageError(format!("invalid mapping {}: {error}", path.display()))
                        })?)
                    }
                    None => None,
                };
                if kind == SourceKind::JsonApi && mapping.is_none() {
                    return Err(
                        UsageError("a json_api source needs --mapping FILE.json".into()).into(),
                    );
                }
                if !(url.starts_with("http://") || url.starts_with("https://")) {
                    return Err(UsageError(format!(
                        "url `{url}` must start with http:// or https://"
                    ))
                    .into());
                }
                vane_sources::headers(&header_map).map_err(UsageError)?;
                let config = SourceConfig {
                    id: SourceId::new(&id),
                    kind,
                    url,
                    interval_seconds: interval.max(1),
                    enabled: true,
                    full_article,
                    headers: header_map,
                    channel,
                    mapping,
                };
                let created = store(&args).await?.put_source(&config).await?;
                eprintln!("{} source {id}", if created { "added" } else { "replaced" });
            }
            SourcesCommand::List { store: args } => {
                for (config, state) in store(&args).await?.sources().await? {
                    println!("{}", serde_json::json!({"config": config, "state": state}));
                }
            }
            SourcesCommand::Rm { id, store: args } => {
                if !store(&args)
                    .await?
                    .delete_source(&SourceId::new(&id))
                    .await?
                {
                    return Err(UsageError(format!("no source `{id}`")).into());
                }
                eprintln!("removed source {id}");
            }
        }
        Ok(())
    })
}

/// `vane search`: matching stored documents as NDJSON, newest stored first.
pub(crate) fn search(
    text: &str,
    topic: Option<String>,
    limit: usize,
    args: &StoreArgs,
) -> Result<()> {
    let query = Query::parse(text).map_err(|error| query_error(text, &error))?;
    runtime()?.block_on(async {
        let store = store(args).await?;
        let started = std::time::Instant::now();
        let filter = Filter {
            topic: topic.map(TopicId::new),
            ..Filter::default()
        };
        let page = vane_store::search(store.as_ref(), &query, &filter, None, limit.max(1)).await?;
        let took = started.elapsed();
        for result in &page.items {
            println!(
                "{}",
                serde_json::json!({
                    "id": result.document.document.id,
                    "published_at": result.document.published_at,
                    "site": result.document.document.site,
                    "title": result.document.document.title,
                    "sentiment": result.document.sentiment,
                    "hits": result.hits,
                })
            );
        }
        eprintln!(
            "{} results ({} candidates checked) in {:.1} ms{}",
            page.items.len(),
            page.candidates,
            took.as_secs_f64() * 1_000.0,
            if page.next.is_some() {
                "; more available"
            } else {
                ""
            }
        );
        Ok(())
    })
}

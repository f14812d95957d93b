//! The demo workspace of `vane serve --demo`: a fictional consumer-
//! electronics brand, 朗铭 Lumio, with two fictional competitors, 诺维亚
//! Norvia and 凯斯卓 Kestrel, their topics, and a 72-hour stream of real
//! texts (reviews and sentences from the sentiment corpora, People's Daily
//! and ABC news paragraphs from `../shared/data`) with the brand and product
//! names spliced in, ending in a battery-overheating crisis for Lumio.
//!
//! Everything is marked as demo data: ids start with `demo:`, sites end in
//! `.example`, authors are `演示用户…` / `demo_user…`, and topic names say
//! 演示 / demo. The stream is built by `vane demo build` (deterministic;
//! CI checks the committed file is what it builds) and embedded in the
//! binary. On start, the first 90 % of it is loaded as history ending now;
//! the rest plays live, about 40 times faster than real time, then loops
//! with fresh ids.

use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, Result};
use vane_model::{Channel, Document, DocumentId, Timestamp, Topic, TopicId};
use vane_pipeline::Pipeline;
use vane_store::InboxItem;
use vane_text::Seeded;

/// The committed stream.
const STREAM: &str = include_str!("../demo/stream.ndjson");
/// The stream's clock starts here; `vane demo build` writes times from it.
const STREAM_START: i64 = 1_767_225_600; // 2026-01-01T00:00:00Z
const STREAM_SPAN: i64 = 72 * 3_600;
/// History is everything before this share of the span.
const HISTORY_SHARE: f64 = 0.9;
/// Live replay runs this many times faster than the stream's clock.
const SPEED_UP: i64 = 40;

struct Brand {
    chinese: &'static str,
    english: &'static str,
    products: &'static [&'static str],
}

const BRANDS: [Brand; 3] = [
    Brand {
        chinese: "朗铭",
        english: "Lumio",
        products: &["X5 手机", "Air 14 笔记本", "Buds 耳机", "Watch 3 手表"],
    },
    Brand {
        chinese: "诺维亚",
        english: "Norvia",
        products: &["N20 手机", "Book Pro 笔记本", "Pods 耳机"],
    },
    Brand {
        chinese: "凯斯卓",
        english: "Kestrel",
        products: &["K9 手机", "Slate 平板", "Band 手环"],
    },
];

/// The demo topics: the brand, its crisis watch, two competitors.
pub(crate) fn topics() -> Vec<Topic> {
    let topic = |id: &str, name: &str, query: &str, brand: &str, competitor: bool| Topic {
        id: TopicId::new(id),
        name: name.to_string(),
        query: query.to_string(),
        brand: Some(brand.to_string()),
        competitor,
        enabled: true,
    };
    vec![
        topic(
            "lumio",
            "朗铭 Lumio（演示 demo）",
            "朗铭 OR lumio",
            "Lumio",
            false,
        ),
        topic(
            "lumio-safety",
            "朗铭 产品安全（演示 demo）",
            "(朗铭 OR lumio) AND (过热 OR 发烫 OR 起火 OR 爆炸 OR 召回 OR overheat* OR fire OR recall)",
            "Lumio",
            false,
        ),
        topic(
            "norvia",
            "诺维亚 Norvia（演示 demo）",
            "诺维亚 OR norvia",
            "Norvia",
            true,
        ),
        topic(
            "kestrel",
            "凯斯卓 Kestrel（演示 demo）",
            "凯斯卓 OR kestrel",
            "Kestrel",
            true,
        ),
    ]
}

/// Creates the demo topics that do not exist yet (a user's edits stay).
pub(crate) async fn install(pipeline: &Pipeline) -> Result<()> {
    for topic in topics() {
        if pipeline.store().topic(&topic.id).await?.is_none() {
            pipeline
                .put_topic(&topic)
                .await
                .with_context(|| format!("cannot create demo topic {}", topic.id))?;
        }
    }
    Ok(())
}

fn stream() -> Vec<Document> {
    STREAM
        .lines()
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(line).expect("the committed demo stream is valid"))
        .collect()
}

fn offset_of(document: &Document) -> i64 {
    document
        .published_at
        .as_deref()
        .and_then(|text| Timestamp::parse(text).ok())
        .map_or(0, |time| time.0 - STREAM_START)
}

/// Loads the history, then plays the rest live, looping, until `shutdown`.
pub(crate) async fn replay(
    pipeline: Arc<Pipeline>,
    shutdown: impl std::future::Future<Output = ()>,
) {
    tokio::pin!(shutdown);
    if let Err(error) = play(&pipeline, &mut shutdown).await {
        tracing::error!("demo replay stopped: {error:#}");
    }
}

async fn play(
    pipeline: &Pipeline,
    shutdown: &mut std::pin::Pin<&mut impl std::future::Future<Output = ()>>,
) -> Result<()> {
    let documents = stream();
    let started = crate::serve::now().0;
    let history_end = (STREAM_SPAN as f64 * HISTORY_SHARE) as i64;
    let shift = started - history_end;
    let mut history = Vec::new();
    let mut live = Vec::new();
    for document in documents {
        let offset = offset_of(&document);
        if offset < history_end {
            history.push((offset, document));
        } else {
            live.push((offset, document));
        }
    }
    for chunk in history.chunks(500) {
        let items = chunk
            .iter()
            .map(|(offset, document)| {
                let mut document = document.clone();
                document.published_at = Some(Timestamp(offset + shift).to_string());
                InboxItem {
                    source_id: Some(vane_model::SourceId::new("demo")),
                    received_at: Timestamp(offset + shift),
                    document,
                }
            })
            .collect();
        pipeline.submit(items, Vec::new()).await?;
    }
    tracing::info!(
        history = history.len(),
        live = live.len(),
        "demo history loaded; live replay begins"
    );
    for round in 0u64.. {
        let mut previous = history_end;
        for (offset, document) in &live {
            let wait =
                Duration::from_millis((((offset - previous).max(0) * 1_000) / SPEED_UP) as u64);
            previous = *offset;
            tokio::select! {
                _ = shutdown.as_mut() => return Ok(()),
                _ = tokio::time::sleep(wait.min(Duration::from_secs(5))) => {}
            }
            let now = crate::serve::now();
            let mut document = document.clone();
            document.id = DocumentId::new(format!("{}@{started}.{round}", document.id));
            document.published_at = Some(now.to_string());
            pipeline
                .submit(
                    vec![InboxItem {
                        source_id: Some(vane_model::SourceId::new("demo")),
                        received_at: now,
                        document,
                    }],
                    Vec::new(),
                )
                .await?;
        }
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// Building the stream from ../shared/data

struct Material {
    chinese_reviews: Vec<(bool, String)>,
    english_sentences: Vec<(bool, String)>,
    chinese_news: Vec<String>,
    english_news: Vec<String>,
}

fn load_material(data: &Path) -> Result<Material> {
    let read = |relative: &str| {
        let path = data.join(relative);
        std::fs::read_to_string(&path).with_context(|| format!("cannot read {}", path.display()))
    };
    let labelled = |text: String, column: usize| -> Vec<(bool, String)> {
        text.lines()
            .skip(1)
            .filter_map(|line| {
                let fields: Vec<&str> = line.split('\t').collect();
                let label = fields.first()?.trim() == "1";
                let text = fields.get(column)?.trim();
                let length = text.chars().count();
                (10..=160)
                    .contains(&length)
                    .then(|| (label, text.to_string()))
            })
            .collect()
    };
    let chinese_news: Vec<String> = read("news/zh/peoples_daily_199801.txt")?
        .lines()
        .map(str::trim)
        .filter(|line| (80..=400).contains(&line.chars().count()))
        .map(String::from)
        .collect();
    let english_news: Vec<String> = read("news/en/lee_background.cor")?
        .lines()
        .map(|article| article.split_inclusive(". ").take(4).collect::<String>())
        .map(|text| text.trim().to_string())
        .filter(|text| text.len() > 120)
        .collect();
    Ok(Material {
        chinese_reviews: labelled(read("sentiment/zh/train.tsv")?, 1),
        english_sentences: labelled(read("sentiment/en/train.tsv")?, 3),
        chinese_news,
        english_news,
    })
}

const NEWS_SITES: [&str; 6] = [
    "news-tech.example",
    "finance-daily.example",
    "people-media.example",
    "xinhua-wire.example",
    "gadget-review.example",
    "city-post.example",
];

fn author(random: &mut Seeded, chinese: bool) -> (String, u64, bool) {
    let number = random.below(5_000);
    let name = if chinese {
        format!("演示用户{number}")
    } else {
        format!("demo_user{number}")
    };
    // followers: heavy-tailed, a few large accounts
    let followers = (10f64.powf(1.0 + random.unit() * 4.5)) as u64;
    let verified = followers > 100_000 && random.chance(60);
    (name, followers, verified)
}

fn engagement(random: &mut Seeded, followers: u64, boost: f64) -> (u64, u64, u64, u64) {
    let base = (followers as f64).sqrt() * boost;
    let jitter = |random: &mut Seeded| 0.3 + random.unit() * 1.4;
    let likes = (base * jitter(random)) as u64;
    let comments = (base * 0.2 * jitter(random)) as u64;
    let shares = (base * 0.1 * jitter(random)) as u64;
    (likes, comments, shares, likes * 20)
}

/// Builds the demo stream: deterministic for the same data.
pub(crate) fn build(data: &Path, out: &Path) -> Result<usize> {
    let material = load_material(data)?;
    let mut random = Seeded::new(0xDE30_2026);
    let mut documents: Vec<Document> = Vec::new();
    let mut next_id = 0usize;
    let mut id = || {
        next_id += 1;
        DocumentId::new(format!("demo:{next_id:05}"))
    };
    let at = |offset: i64| Some(Timestamp(STREAM_START + offset).to_string());
    // a calm baseline: posts every few minutes with a daily rhythm
    let mut offset = 0i64;
    while offset < STREAM_SPAN {
        let hour = (offset / 3_600) % 24;
        let busy = if (9..23).contains(&hour) { 1.0 } else { 0.3 };
        offset += (240.0 / busy * (0.5 + random.unit())) as i64;
        if offset >= STREAM_SPAN {
            break;
        }
        let brand = &BRANDS[random.below(3)];
        let product = *random.pick(brand.products);
        let kind = random.below(100);
        if kind < 55 {
            // a Chinese social post or review
            let (positive, review) = random.pick(&material.chinese_reviews).clone();
            let _ = positive;
            let channel = *random.pick(&[
                Channel::Weibo,
                Channel::Weibo,
                Channel::Forum,
                Channel::Review,
                Channel::Xiaohongshu,
            ]);
            let (name, followers, verified) = author(&mut random, true);
            let (likes, comments, shares, views) = engagement(&mut random, followers, 1.0);
            let lead = random.pick(&["入手了", "用了一周", "刚换的", "说说我的", "朋友推荐的"]);
            documents.push(Document {
                id: id(),
                title: String::new(),
                body: format!("{lead}{}{product}，{review}", brand.chinese),
                url: String::new(),
                site: format!("{}.example", channel.as_str()),
                author: name,
                lang: "zh".to_string(),
                country: "cn".to_string(),
                channel: Some(channel),
                verified,
                followers,
                likes,
                comments,
                shares,
                views,
                published_at: at(offset),
                ..Document::default()
            });
        } else if kind < 80 {
            // an English post
            let (_, sentence) = random.pick(&material.english_sentences).clone();
            let channel = *random.pick(&[Channel::X, Channel::Reddit, Channel::Review]);
            let (name, followers, verified) = author(&mut random, false);
            let (likes, comments, shares, views) = engagement(&mut random, followers, 1.0);
            let english_product = product.split(' ').next().unwrap_or(product);
            documents.push(Document {
                id: id(),
                body: format!("{} {english_product}: {sentence}", brand.english),
                site: format!("{}.example", channel.as_str()),
                author: name,
                lang: "en".to_string(),
                country: "us".to_string(),
                channel: Some(channel),
                verified,
                followers,
                likes,
                comments,
                shares,
                views,
                published_at: at(offset),
                ..Document::default()
            });
        } else {
            // a news article, syndicated to a few other outlets with delays
            let chinese = random.chance(70);
            let (title, body) = if chinese {
                let paragraph = random.pick(&material.chinese_news).clone();
                let headline = random.pick(&["发布", "升级", "降价", "亮相展会", "公布销量"]);
                (
                    format!("{}{product}{headline}", brand.chinese),
                    format!(
                        "记者获悉，{}{product}近日{headline}。{paragraph}",
                        brand.chinese
                    ),
                )
            } else {
                let paragraph = random.pick(&material.english_news).clone();
                (
                    format!(
                        "{} unveils {}",
                        brand.english,
                        product.split(' ').next().unwrap_or(product)
                    ),
                    format!(
                        "{} said on Tuesday its new product would ship soon. {paragraph}",
                        brand.english
                    ),
                )
            };
            let first = random.below(NEWS_SITES.len());
            let copies = 1 + random.below(4);
            for copy in 0..copies {
                let site = NEWS_SITES[(first + copy) % NEWS_SITES.len()];
                let delay = copy as i64 * (300 + random.below(3_600) as i64);
                let credit = if copy == 0 {
                    String::new()
                } else if chinese {
                    format!("（来源：{}）", NEWS_SITES[first])
                } else {
                    format!(" (Source: {})", NEWS_SITES[first])
                };
                documents.push(Document {
                    id: id(),
                    title: title.clone(),
                    body: format!("{body}{credit}"),
                    url: format!("https://{site}/a/{next_id}", next_id = documents.len()),
                    site: site.to_string(),
                    author: if chinese {
                        "演示记者".into()
                    } else {
                        "demo reporter".into()
                    },
                    lang: if chinese { "zh".into() } else { "en".into() },
                    channel: Some(Channel::News),
                    published_at: at((offset + delay).min(STREAM_SPAN - 1)),
                    ..Document::default()
                });
            }
        }
    }
    // the crisis: from hour 60, complaints about Lumio X5 batteries overheating,
    // growing, then central media picking it up
    let negatives: Vec<&String> = material
        .chinese_reviews
        .iter()
        .filter(|(positive, _)| !positive)
        .map(|(_, text)| text)
        .collect();
    let onset = 60 * 3_600;
    let mut offset = onset;
    while offset < STREAM_SPAN {
        let progress = (offset - onset) as f64 / (STREAM_SPAN - onset) as f64;
        offset += (300.0 * (1.0 - 0.85 * progress) * (0.5 + random.unit())) as i64;
        if offset >= STREAM_SPAN {
            break;
        }
        let complaint = random.pick(&["电池过热", "充电时发烫", "手机发烫严重", "电池鼓包过热"]);
        let review = random.pick(&negatives);
        let (name, followers, verified) = author(&mut random, true);
        let (likes, comments, shares, views) = engagement(&mut random, followers, 3.0);
        documents.push(Document {
            id: id(),
            body: format!("朗铭X5{complaint}，{review}"),
            site: "weibo.example".to_string(),
            author: name,
            lang: "zh".to_string(),
            country: "cn".to_string(),
            channel: Some(Channel::Weibo),
            verified,
            followers,
            likes,
            comments,
            shares,
            views,
            published_at: at(offset),
            ..Document::default()
        });
        if progress > 0.5 && random.chance(8) {
            documents.push(Document {
                id: id(),
                title: "多地用户反映朗铭X5手机电池过热".to_string(),
                body: "近日，多地消费者反映朗铭X5手机在充电时出现电池过热现象。记者联系朗铭客服，对方表示已关注相关情况，将尽快核实。市场监管部门表示将依法处理消费者投诉。".to_string(),
                url: format!("https://people-media.example/crisis/{}", documents.len()),
                site: "people-media.example".to_string(),
                author: "演示记者".to_string(),
                lang: "zh".to_string(),
                channel: Some(Channel::News),
                verified: true,
                followers: 5_000_000,
                published_at: at(offset),
                ..Document::default()
            });
        }
    }
    documents.sort_by_key(offset_of);
    let mut text = String::new();
    for document in &documents {
        text.push_str(&serde_json::to_string(document)?);
        text.push('\n');
    }
    std::fs::write(out, text).with_context(|| format!("cannot write {}", out.display()))?;
    Ok(documents.len())
}

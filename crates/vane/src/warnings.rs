//! `vane warnings replay` (level changes over a file of documents, through
//! the whole pipeline on a temporary store) and `vane warnings scenarios`
//! (the committed scenario library, generated from real sentences).

use std::io::Write;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use clap::Subcommand;
use vane_detect::WarningConfig;
use vane_model::{Channel, Document, DocumentId, Timestamp, Topic, TopicId};
use vane_text::Seeded;

use crate::serve::runtime;

#[derive(Debug, Subcommand)]
pub(crate) enum WarningsCommand {
    /// Replays the warning engine over documents, using each document's
    /// published_at as the clock; prints every level change as JSON.
    Replay {
        #[arg(long, value_name = "TOPICS.ndjson")]
        topics: PathBuf,
        #[arg(long, value_name = "DOCS.ndjson")]
        docs: PathBuf,
        /// Print the evidence of each change too.
        #[arg(long)]
        evidence: bool,
    },
    /// Lists stored level changes, newest first, as NDJSON.
    List {
        #[arg(long)]
        topic: Option<String>,
        #[arg(long, default_value_t = 50)]
        limit: usize,
        #[command(flatten)]
        store: crate::config::StoreArgs,
    },
    /// Writes the scenario library (topics.ndjson and one NDJSON file per
    /// scenario) generated from ../shared/data.
    Scenarios {
        #[arg(long, default_value = "../shared/data", value_name = "DIR")]
        data: PathBuf,
        #[arg(long, default_value = "examples/scenarios", value_name = "DIR")]
        out: PathBuf,
    },
}

pub(crate) fn run(command: WarningsCommand) -> Result<()> {
    match command {
        WarningsCommand::Replay {
            topics,
            docs,
            evidence,
        } => replay(&topics, &docs, evidence),
        WarningsCommand::List {
            topic,
            limit,
            store,
        } => list(topic, limit, &store),
        WarningsCommand::Scenarios { data, out } => {
            let written = write_scenarios(&data, &out)?;
            eprintln!("wrote {written} scenarios to {}", out.display());
            Ok(())
        }
    }
}

fn list(topic: Option<String>, limit: usize, args: &crate::config::StoreArgs) -> Result<()> {
    let config = crate::config::Config::load(args)?;
    let url = config.database_url()?;
    runtime()?.block_on(async {
        let store = vane_store::open(&url)
            .await
            .with_context(|| format!("cannot open the store {url}"))?;
        let topic = topic.map(TopicId::new);
        let page = store.warnings(topic.as_ref(), None, limit.max(1)).await?;
        let mut out = std::io::stdout().lock();
        for warning in page.items {
            writeln!(out, "{}", serde_json::to_string(&warning)?)?;
        }
        Ok(())
    })
}

fn read_lines<T: serde::de::DeserializeOwned>(path: &Path, what: &str) -> Result<Vec<T>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    text.lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            serde_json::from_str(line).map_err(|error| {
                crate::UsageError(format!(
                    "{} line {}: malformed {what}: {error}",
                    path.display(),
                    index + 1
                ))
                .into()
            })
        })
        .collect()
}

fn replay(topics_path: &Path, docs_path: &Path, evidence: bool) -> Result<()> {
    let topics: Vec<Topic> = read_lines(topics_path, "topic")?;
    for topic in &topics {
        vane_query::Query::parse(&topic.query).map_err(|error| {
            crate::UsageError(format!("topic {}: invalid query: {error}", topic.id))
        })?;
    }
    let documents: Vec<Document> = read_lines(docs_path, "document")?;
    let directory = std::env::temp_dir().join(format!("vane-replay-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&directory);
    std::fs::create_dir_all(&directory)?;
    let result = runtime()?.block_on(async {
        let url = format!("sqlite://{}", directory.join("replay.db").display());
        let store = vane_store::open(&url).await?;
        let changes =
            vane_pipeline::replay_warnings(store, &topics, documents, &WarningConfig::default())
                .await?;
        Ok::<_, anyhow::Error>(changes)
    });
    let _ = std::fs::remove_dir_all(&directory);
    let mut out = std::io::stdout().lock();
    for change in result? {
        let mut line = serde_json::json!({
            "topic": change.topic,
            "level": change.level,
            "at": change.at,
            "score": change.score,
        });
        if evidence {
            line["evidence"] = serde_json::to_value(&change.evidence)?;
        }
        writeln!(out, "{line}")?;
    }
    Ok(())
}

// ---------------------------------------------------------------------------
// The scenario library

/// The scenario clock starts here: Monday 2026-03-02 00:00 UTC.
pub(crate) const SCENARIO_START: i64 = 1_772_409_600;
const DAY: i64 = 86_400;
const HOUR: i64 = 3_600;

struct Texts {
    negative: Vec<String>,
    positive: Vec<String>,
    news: Vec<String>,
}

fn texts(data: &Path) -> Result<Texts> {
    let reviews =
        std::fs::read_to_string(data.join("sentiment/zh/train.tsv")).with_context(|| {
            format!(
                "cannot read {}",
                data.join("sentiment/zh/train.tsv").display()
            )
        })?;
    let (mut negative, mut positive) = (Vec::new(), Vec::new());
    for line in reviews.lines().skip(1) {
        let Some((label, text)) = line.split_once('\t') else {
            continue;
        };
        let text = text.trim();
        if !(12..=120).contains(&text.chars().count()) {
            continue;
        }
        match label {
            "0" => negative.push(text.to_string()),
            "1" => positive.push(text.to_string()),
            _ => {}
        }
    }
    let news_path = data.join("news/zh/peoples_daily_199801.txt");
    let news = std::fs::read_to_string(&news_path)
        .with_context(|| format!("cannot read {}", news_path.display()))?
        .lines()
        .map(str::trim)
        .filter(|line| (30..=200).contains(&line.chars().count()))
        .map(String::from)
        .collect();
    Ok(Texts {
        negative,
        positive,
        news,
    })
}

#[derive(Clone, Copy)]
enum Tone {
    Negative,
    Positive,
    Neutral,
}

struct Writer<'t> {
    texts: &'t Texts,
    random: Seeded,
    documents: Vec<Document>,
    name: &'static str,
}

impl Writer<'_> {
    /// One post or article about the brand at `time`.
    fn mention(&mut self, time: i64, tone: Tone, lead: &str, channel: Channel) {
        let text = match tone {
            Tone::Negative => self.random.pick(&self.texts.negative).clone(),
            Tone::Positive => self.random.pick(&self.texts.positive).clone(),
            Tone::Neutral => self.random.pick(&self.texts.news).clone(),
        };
        let number = self.documents.len();
        let followers = (10f64.powf(1.5 + self.random.unit() * 3.5)) as u64;
        let likes = (followers as f64).sqrt() as u64 / 3;
        self.documents.push(Document {
            id: DocumentId::new(format!("{}-{number:05}", self.name)),
            title: if channel == Channel::News {
                format!("{lead}{}", text.chars().take(12).collect::<String>())
            } else {
                String::new()
            },
            body: format!("{lead}{text}"),
            site: format!("{}.example", channel.as_str()),
            author: format!("演示用户{}", self.random.below(3_000)),
            lang: "zh".to_string(),
            channel: Some(channel),
            followers,
            likes,
            comments: likes / 4,
            shares: likes / 8,
            published_at: Some(Timestamp(time).to_string()),
            ..Document::default()
        });
    }

    /// An article by a central outlet.
    fn authority(&mut self, time: i64, title: &str, body: &str) {
        let number = self.documents.len();
        self.documents.push(Document {
            id: DocumentId::new(format!("{}-{number:05}", self.name)),
            title: title.to_string(),
            body: body.to_string(),
            url: format!("https://www.people.com.cn/n/{}-{number}", self.name),
            author: "人民日报".to_string(),
            lang: "zh".to_string(),
            channel: Some(Channel::News),
            verified: true,
            followers: 150_000_000,
            published_at: Some(Timestamp(time).to_string()),
            ..Document::default()
        });
    }

    fn channel(&mut self) -> Channel {
        *self.random.pick(&[
            Channel::Weibo,
            Channel::Weibo,
            Channel::Weibo,
            Channel::Forum,
            Channel::News,
            Channel::Wechat,
            Channel::Review,
        ])
    }

    /// Ordinary days: ~12 mentions an hour by day, a fifth of that at
    /// night, a quarter negative.
    fn calm(&mut self, from: i64, to: i64, negative_share: impl Fn(i64) -> f64) {
        let mut time = from;
        loop {
            let hour = (time / HOUR).rem_euclid(24);
            let rate = if (8..23).contains(&hour) { 12.0 } else { 2.5 };
            // exponential gaps: a Poisson stream
            let gap = -(1.0 - self.random.unit()).ln() * HOUR as f64 / rate;
            time += gap.max(1.0) as i64;
            if time >= to {
                break;
            }
            let draw = self.random.unit();
            let share = negative_share(time);
            let tone = if draw < share {
                Tone::Negative
            } else if draw < share + 0.4 {
                Tone::Positive
            } else {
                Tone::Neutral
            };
            let channel = self.channel();
            let lead =
                *self
                    .random
                    .pick(&["朗铭手机", "朗铭X5", "朗铭笔记本", "朗铭耳机", "说说朗铭"]);
            self.mention(time, tone, &format!("{lead}："), channel);
        }
    }

    /// A burst: `count` mentions spread over `[from, to)`.
    fn burst(&mut self, from: i64, to: i64, count: usize, mut make: impl FnMut(&mut Self, i64)) {
        for index in 0..count {
            let time =
                from + (to - from) * index as i64 / count as i64 + self.random.below(30) as i64;
            make(self, time);
        }
    }
}

/// The scenarios: name, what it must do, and its documents.
pub(crate) fn scenarios(data: &Path) -> Result<Vec<(&'static str, Vec<Document>)>> {
    let texts = texts(data)?;
    let day14 = SCENARIO_START + 14 * DAY;
    let end = SCENARIO_START + 15 * DAY;
    let mut out = Vec::new();
    let writer = |name: &'static str, seed: u64| Writer {
        texts: &texts,
        random: Seeded::new(seed),
        documents: Vec::new(),
        name,
    };

    // a calm fortnight with daily seasonality
    let mut calm = writer("calm", 1);
    calm.calm(SCENARIO_START, end, |_| 0.25);
    out.push(("calm", calm.documents));

    // a safety crisis from day 14 10:00: volume ×5 rising to ×15 over three
    // hours, mostly negative, central media after an hour
    let mut crisis = writer("crisis", 2);
    crisis.calm(SCENARIO_START, end, |_| 0.25);
    let onset = day14 + 10 * HOUR;
    for hour in 0..6 {
        let count = [60, 110, 180, 150, 100, 60][hour as usize];
        crisis.burst(
            onset + hour * HOUR,
            onset + (hour + 1) * HOUR,
            count,
            |w, time| {
                let complaint = *w.random.pick(&[
                    "充电时过热起火",
                    "电池鼓包冒烟",
                    "手机发烫烫伤了手",
                    "电池自燃",
                ]);
                let tone = if w.random.chance(80) {
                    Tone::Negative
                } else {
                    Tone::Neutral
                };
                let channel = w.channel();
                w.mention(time, tone, &format!("朗铭X5{complaint}！"), channel);
            },
        );
    }
    for index in 0..12 {
        crisis.authority(
            onset + HOUR + index * 15 * 60,
            "多地消费者反映朗铭X5手机电池起火",
            "多地消费者反映朗铭X5手机充电时电池过热起火，有用户被烫伤。市场监管部门已介入调查，要求企业说明情况并依法处理。",
        );
    }
    out.push(("crisis", crisis.documents));

    // a product launch on day 14 at 14:00: volume ×10 for three hours, mostly positive
    let mut launch = writer("launch", 3);
    launch.calm(SCENARIO_START, end, |_| 0.25);
    let start = day14 + 14 * HOUR;
    launch.burst(start, start + 3 * HOUR, 360, |w, time| {
        let tone = if w.random.chance(80) {
            Tone::Positive
        } else {
            Tone::Neutral
        };
        let channel = w.channel();
        w.mention(time, tone, "朗铭X6发布会：", channel);
    });
    for index in 0..4 {
        launch.authority(
            start + index * 30 * 60,
            "朗铭发布新一代X6手机",
            "朗铭今天在北京发布新一代X6手机，新机在影像和续航方面均有提升，将于下月上市。",
        );
    }
    out.push(("launch", launch.documents));

    // a slow burn: from day 12 the negative share creeps from 25 % to 60 % over three days
    let mut slow = writer("slow-burn", 4);
    let creep_start = SCENARIO_START + 12 * DAY;
    slow.calm(SCENARIO_START, end, |time| {
        if time < creep_start {
            0.25
        } else {
            0.25 + 0.35 * ((time - creep_start) as f64 / (3 * DAY) as f64).min(1.0)
        }
    });
    out.push(("slow-burn", slow.documents));

    // a 3 a.m. burst of neutral reposts of one announcement
    let mut night = writer("night-reposts", 5);
    night.calm(SCENARIO_START, end, |_| 0.25);
    let three = day14 + 3 * HOUR;
    night.burst(three, three + 20 * 60, 60, |w, time| {
        let number = w.documents.len();
        w.documents.push(Document {
            id: DocumentId::new(format!("night-reposts-{number:05}")),
            body: "转发：朗铭发布2025年度社会责任报告，报告介绍了公司在环保、公益和员工发展方面的工作。".to_string(),
            site: "weibo.example".to_string(),
            author: format!("演示用户{}", w.random.below(3_000)),
            lang: "zh".to_string(),
            channel: Some(Channel::Weibo),
            repost: true,
            followers: 50,
            published_at: Some(Timestamp(time).to_string()),
            ..Document::default()
        });
    });
    out.push(("night-reposts", night.documents));
    Ok(out)
}

/// The one topic the scenarios are about.
pub(crate) fn scenario_topics() -> Vec<Topic> {
    vec![Topic {
        id: TopicId::new("lumio"),
        name: "朗铭 Lumio（演示 demo）".to_string(),
        query: "朗铭 OR lumio".to_string(),
        brand: Some("Lumio".to_string()),
        competitor: false,
        enabled: true,
    }]
}

fn write_scenarios(data: &Path, out: &Path) -> Result<usize> {
    std::fs::create_dir_all(out).with_context(|| format!("cannot create {}", out.display()))?;
    let mut topics = String::new();
    for topic in scenario_topics() {
        topics.push_str(&serde_json::to_string(&topic)?);
        topics.push('\n');
    }
    std::fs::write(out.join("topics.ndjson"), topics)?;
    let scenarios = scenarios(data)?;
    for (name, documents) in &scenarios {
        let mut text = String::new();
        let mut sorted: Vec<&Document> = documents.iter().collect();
        sorted.sort_by(|a, b| a.published_at.cmp(&b.published_at).then(a.id.cmp(&b.id)));
        for document in sorted {
            text.push_str(&serde_json::to_string(document)?);
            text.push('\n');
        }
        std::fs::write(out.join(format!("{name}.ndjson")), text)?;
    }
    Ok(scenarios.len())
}

//! `vane sentiment train | eval | score`.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use clap::Subcommand;
use serde::Serialize;
use vane_sentiment::{Example, Label, Language, Reading, SentimentModel, TrainingConfig};

use crate::UsageError;

#[derive(Debug, Subcommand)]
pub(crate) enum SentimentCommand {
    /// Train a model on a labelled TSV file (deterministic: fixed seed).
    Train {
        #[arg(long, value_parser = parse_language)]
        lang: Language,
        /// `label<TAB>text` or `label<TAB>score<TAB>source<TAB>text`, with a header line.
        #[arg(long)]
        data: PathBuf,
        /// Where to write the model file.
        #[arg(long)]
        out: PathBuf,
        /// Plain factual text, one paragraph or article per line, for the
        /// objectivity part; by default People's Daily (zh) or the Lee
        /// corpus (en) under ../shared/data/news.
        #[arg(long)]
        factual: Option<PathBuf>,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Feature buckets: 2^bits (defaults to the training default).
        #[arg(long)]
        bits: Option<u32>,
        #[arg(long)]
        epochs: Option<usize>,
        #[arg(long)]
        learning_rate: Option<f32>,
        #[arg(long)]
        l2: Option<f32>,
        /// Smoothing of the naive-Bayes ratios.
        #[arg(long)]
        alpha: Option<f32>,
    },
    /// Accuracy, macro-F1, the confusion matrix and speed of a model on the
    /// validation split of a labelled file (the split training never saw).
    Eval {
        #[arg(long)]
        data: PathBuf,
        /// The language of the file; by default guessed from its texts.
        #[arg(long, value_parser = parse_language)]
        lang: Option<Language>,
        /// A model file; the committed model of the language by default.
        #[arg(long)]
        model: Option<PathBuf>,
        /// Evaluate on every text of the file, not only the validation split.
        #[arg(long)]
        all: bool,
        #[arg(long, default_value_t = 2026)]
        seed: u64,
        /// Also compare, on the texts longer than N characters, three ways
        /// of reading a long text: whole, sentence by sentence, and as the
        /// pipeline reads it (passages, lede; see `--reading`).
        #[arg(long, value_name = "N")]
        long: Option<usize>,
        /// The pipeline's reading to compare, as PASSAGE:LEDE characters
        /// (default: the pipeline's own).
        #[arg(long, value_name = "PASSAGE:LEDE", value_parser = parse_reading)]
        reading: Option<Reading>,
    },
    /// Score texts, one per line on standard input, as JSON lines.
    Score {
        /// zh, en or auto (per text).
        #[arg(long, default_value = "auto")]
        lang: String,
    },
}

fn parse_reading(text: &str) -> Result<Reading, String> {
    let parse = |part: &str| {
        part.trim()
            .parse::<usize>()
            .map_err(|_| format!("`{text}`: expected PASSAGE:LEDE, two numbers of characters"))
    };
    let (passage, lede) = text
        .split_once(':')
        .ok_or_else(|| format!("`{text}`: expected PASSAGE:LEDE, for example 200:400"))?;
    Ok(Reading {
        passage_chars: parse(passage)?,
        lede_chars: parse(lede)?,
    })
}

fn parse_language(text: &str) -> Result<Language, String> {
    Language::from_code(text)
        .ok_or_else(|| format!("`{text}` is not a model language; use zh or en"))
}

pub(crate) fn run(command: SentimentCommand) -> Result<()> {
    match command {
        SentimentCommand::Train {
            lang,
            data,
            out,
            factual,
            seed,
            bits,
            epochs,
            learning_rate,
            l2,
            alpha,
        } => {
            let defaults = TrainingConfig::for_language(lang);
            let config = TrainingConfig {
                seed,
                bits: bits.unwrap_or(defaults.bits),
                epochs: epochs.unwrap_or(defaults.epochs),
                learning_rate: learning_rate.unwrap_or(defaults.learning_rate),
                l2: l2.unwrap_or(defaults.l2),
                alpha: alpha.unwrap_or(defaults.alpha),
                ..defaults
            };
            let factual = factual.unwrap_or_else(|| {
                PathBuf::from(match lang {
                    Language::Chinese => "../shared/data/news/zh/peoples_daily_199801.txt",
                    Language::English => "../shared/data/news/en/lee_background.cor",
                })
            });
            train(lang, &data, &factual, &out, &config)
        }
        SentimentCommand::Eval {
            data,
            lang,
            model,
            all,
            seed,
            long,
            reading,
        } => eval(
            &data,
            lang,
            model.as_deref(),
            all,
            seed,
            long.map(|long| (long, reading.unwrap_or(Reading::DEFAULT))),
        ),
        SentimentCommand::Score { lang } => score(&lang),
    }
}

/// Reads a labelled TSV file: the two shapes of `../shared/data/sentiment`.
pub(crate) fn read_examples(path: &Path) -> Result<Vec<Example>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let mut lines = text.lines().enumerate();
    let Some((_, header)) = lines.next() else {
        bail!(UsageError(format!("{} is empty", path.display())));
    };
    let columns: Vec<&str> = header.split('\t').collect();
    let column = |name: &str| columns.iter().position(|column| *column == name);
    let (Some(label_at), Some(text_at)) = (column("label"), column("text")) else {
        bail!(UsageError(format!(
            "{} line 1: expected a header with `label` and `text` columns, found `{header}`",
            path.display()
        )));
    };
    let source_at = column("source");
    let mut examples = Vec::new();
    for (index, line) in lines {
        if line.trim().is_empty() {
            continue;
        }
        let fields: Vec<&str> = line.splitn(columns.len(), '\t').collect();
        let number = index + 1;
        let (Some(label), Some(text)) = (fields.get(label_at), fields.get(text_at)) else {
            bail!(UsageError(format!(
                "{} line {number}: expected {} tab-separated columns",
                path.display(),
                columns.len()
            )));
        };
        let positive = match label.trim() {
            "1" => true,
            "0" => false,
            other => bail!(UsageError(format!(
                "{} line {number}: label `{other}` is not 0 or 1",
                path.display()
            ))),
        };
        let source = source_at
            .and_then(|at| fields.get(at))
            .map_or_else(String::new, |source| source.to_string());
        examples.push(Example {
            text: text.to_string(),
            positive,
            source,
        });
    }
    if examples.is_empty() {
        bail!(UsageError(format!(
            "{} has no labelled texts",
            path.display()
        )));
    }
    Ok(examples)
}

/// Factual texts: lines, and for English the sentences of each line.
fn read_factual(path: &Path, language: Language) -> Result<Vec<String>> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("cannot read {}", path.display()))?;
    let lines = text.lines().map(str::trim).filter(|line| !line.is_empty());
    Ok(match language {
        Language::Chinese => lines.map(String::from).collect(),
        Language::English => lines
            .flat_map(|line| line.split_inclusive(". "))
            .map(|sentence| sentence.trim().to_string())
            .collect(),
    })
}

fn train(
    language: Language,
    data: &Path,
    factual: &Path,
    out: &Path,
    config: &TrainingConfig,
) -> Result<()> {
    if !(8..=24).contains(&config.bits) {
        bail!(UsageError(format!(
            "--bits {}: use 8 to 24 (a model of 2^bits weights)",
            config.bits
        )));
    }
    let examples = read_examples(data)?;
    let split = vane_sentiment::split(examples, config.seed);
    let factual = read_factual(factual, language)?;
    let started = Instant::now();
    let (model, report) = vane_sentiment::train(language, &split, &factual, config);
    std::fs::write(out, model.to_bytes())
        .with_context(|| format!("cannot write {}", out.display()))?;
    println!(
        "trained {} on {} texts in {:.1} s (calibrated on {}, validated on {}); wrote {}",
        language.code(),
        report.train_texts,
        started.elapsed().as_secs_f64(),
        report.calibration_texts,
        report.validation_texts,
        out.display()
    );
    println!(
        "validation accuracy (sign of the score): {:.4}",
        report.validation_accuracy
    );
    println!(
        "neutral when |score| < {:.3} for opinion, up to {:.3} for factual text",
        report.neutral_band, report.objective_band
    );
    let (positive, neutral, negative) = report.news_labels;
    let total = (positive + neutral + negative).max(1) as f64;
    println!(
        "held-out factual paragraphs ({}): neutral {:.1} %, positive {:.1} %, negative {:.1} %",
        positive + neutral + negative,
        neutral as f64 * 100.0 / total,
        positive as f64 * 100.0 / total,
        negative as f64 * 100.0 / total
    );
    for (source, texts, accuracy) in &report.per_source {
        if !source.is_empty() {
            println!("  {source:<32} {texts:>5} texts  accuracy {accuracy:.4}");
        }
    }
    Ok(())
}

fn eval(
    data: &Path,
    language: Option<Language>,
    model_path: Option<&Path>,
    all: bool,
    seed: u64,
    long: Option<(usize, Reading)>,
) -> Result<()> {
    let examples = read_examples(data)?;
    let language = language.unwrap_or_else(|| {
        let sample: String = examples
            .iter()
            .take(200)
            .map(|example| example.text.as_str())
            .collect();
        Language::guess(&sample)
    });
    let loaded;
    let model: &SentimentModel = match model_path {
        Some(path) => {
            let bytes =
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?;
            loaded = SentimentModel::from_bytes(&bytes)
                .with_context(|| format!("{}", path.display()))?;
            &loaded
        }
        None => vane_sentiment::embedded(language),
    };
    let texts = if all {
        examples
    } else {
        vane_sentiment::split(examples, seed).validation
    };
    // load the model and the segmenter's dictionary outside the timing
    model.score("预热 warm-up");
    let started = Instant::now();
    let scored: Vec<_> = texts
        .iter()
        .map(|example| model.score(&example.text))
        .collect();
    let elapsed = started.elapsed().as_secs_f64();
    // rows: true negative, true positive; columns: negative, neutral, positive
    let mut confusion = [[0usize; 3]; 2];
    let mut correct = 0;
    for (example, sentiment) in texts.iter().zip(&scored) {
        correct += usize::from((sentiment.score > 0.0) == example.positive);
        let column = match sentiment.label {
            Label::Negative => 0,
            Label::Neutral => 1,
            Label::Positive => 2,
        };
        confusion[usize::from(example.positive)][column] += 1;
    }
    let f1 = |positive: bool| {
        let predicted = |example: &Example, score: f32| {
            (score > 0.0) == positive && example.positive == positive
        };
        let true_positive = texts
            .iter()
            .zip(&scored)
            .filter(|(example, sentiment)| predicted(example, sentiment.score))
            .count() as f64;
        let predicted_count = scored
            .iter()
            .filter(|sentiment| (sentiment.score > 0.0) == positive)
            .count() as f64;
        let actual = texts
            .iter()
            .filter(|example| example.positive == positive)
            .count() as f64;
        let (precision, recall) = (
            true_positive / predicted_count.max(1.0),
            true_positive / actual.max(1.0),
        );
        if precision + recall == 0.0 {
            0.0
        } else {
            2.0 * precision * recall / (precision + recall)
        }
    };
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "{} texts ({}), model {}",
        texts.len(),
        if all {
            "whole file"
        } else {
            "validation split"
        },
        language.code()
    )?;
    writeln!(
        out,
        "accuracy (sign of the score): {:.4}",
        correct as f64 / texts.len() as f64
    )?;
    writeln!(out, "macro-F1: {:.4}", (f1(true) + f1(false)) / 2.0)?;
    writeln!(
        out,
        "confusion (rows: true label; columns: predicted negative / neutral / positive):"
    )?;
    writeln!(
        out,
        "  negative  {:>6} {:>6} {:>6}",
        confusion[0][0], confusion[0][1], confusion[0][2]
    )?;
    writeln!(
        out,
        "  positive  {:>6} {:>6} {:>6}",
        confusion[1][0], confusion[1][1], confusion[1][2]
    )?;
    writeln!(out, "speed: {:.0} texts/s", texts.len() as f64 / elapsed)?;
    if let Some((long, reading)) = long {
        compare_long_texts(&mut out, model, &texts, long, reading)?;
    }
    Ok(())
}

/// Accuracy on the texts of more than `long` characters, read whole,
/// sentence by sentence and as `reading` says.
fn compare_long_texts(
    out: &mut impl Write,
    model: &SentimentModel,
    texts: &[Example],
    long: usize,
    reading: Reading,
) -> Result<()> {
    let long_texts: Vec<&Example> = texts
        .iter()
        .filter(|example| example.text.chars().count() > long)
        .collect();
    writeln!(
        out,
        "texts of more than {long} characters: {} of {}",
        long_texts.len(),
        texts.len()
    )?;
    let by_sentence = Reading {
        passage_chars: 0,
        lede_chars: usize::MAX,
    };
    let ways = [
        ("whole text".to_string(), Reading::WHOLE),
        ("sentence by sentence".to_string(), by_sentence),
        (
            format!(
                "passages of {}, lede of {}",
                reading.passage_chars, reading.lede_chars
            ),
            reading,
        ),
    ];
    for (name, reading) in ways {
        let started = Instant::now();
        let correct = long_texts
            .iter()
            .filter(|example| {
                let score = model.read(&example.text, reading, &[]).overall().score;
                (score > 0.0) == example.positive
            })
            .count();
        writeln!(
            out,
            "  {name:<32} accuracy {:.4}  ({:.0} texts/s)",
            correct as f64 / long_texts.len().max(1) as f64,
            long_texts.len() as f64 / started.elapsed().as_secs_f64()
        )?;
    }
    Ok(())
}

#[derive(Serialize)]
struct ScoreLine {
    label: &'static str,
    score: f32,
    confidence: f32,
    lang: &'static str,
    /// anger, fear, sadness, disgust, surprise or joy, where the text says one.
    #[serde(skip_serializing_if = "Option::is_none")]
    emotion: Option<&'static str>,
}

fn score(lang: &str) -> Result<()> {
    let language = match lang {
        "auto" => None,
        code => Some(
            Language::from_code(code)
                .ok_or_else(|| UsageError(format!("--lang `{code}`: use zh, en or auto")))?,
        ),
    };
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in std::io::stdin().lock().lines() {
        let line = line.context("cannot read standard input")?;
        let sentiment = vane_sentiment::score(&line, language);
        let result = ScoreLine {
            label: sentiment.label.as_str(),
            score: (sentiment.score * 1e4).round() / 1e4,
            confidence: (sentiment.confidence * 1e4).round() / 1e4,
            lang: sentiment.language.code(),
            emotion: vane_sentiment::detect_emotion(&line, sentiment.language)
                .map(|emotion| emotion.as_str()),
        };
        serde_json::to_writer(&mut out, &result)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}

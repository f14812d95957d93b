//! `vane text extract | lang | keywords | idf`: the text analysis from the
//! command line.

use std::io::{BufRead, Write};
use std::path::PathBuf;

use anyhow::{Context, Result};
use clap::Subcommand;

use crate::UsageError;

#[derive(Debug, Subcommand)]
pub(crate) enum TextCommand {
    /// Decode an HTML page and reduce it to its article, as JSON.
    Extract {
        /// The page as fetched (any charset).
        file: PathBuf,
        /// The HTTP Content-Type the page was served with, if known.
        #[arg(long)]
        content_type: Option<String>,
    },
    /// The language of each line of standard input, as JSON lines.
    Lang,
    /// The TF-IDF keywords of each line of standard input, as JSON lines.
    Keywords {
        /// zh, en or auto (per line).
        #[arg(long, default_value = "auto")]
        lang: String,
        #[arg(long, default_value_t = 10)]
        top: usize,
    },
    /// Compute an IDF table from a corpus, one document per line (how the
    /// committed tables in crates/vane-text/data were made).
    Idf {
        /// zh or en.
        #[arg(long)]
        lang: String,
        #[arg(long)]
        corpus: PathBuf,
        #[arg(long)]
        out: PathBuf,
    },
}

fn is_chinese(code: &str) -> Result<bool> {
    match code {
        "zh" => Ok(true),
        "en" => Ok(false),
        other => Err(UsageError(format!("--lang `{other}`: use zh or en")).into()),
    }
}

pub(crate) fn run(command: TextCommand) -> Result<()> {
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    match command {
        TextCommand::Extract { file, content_type } => {
            let bytes =
                std::fs::read(&file).with_context(|| format!("cannot read {}", file.display()))?;
            let decoded = vane_text::decode(&bytes, content_type.as_deref());
            let article = vane_text::extract_article(&decoded.text);
            let text = article.text();
            let result = serde_json::json!({
                "title": article.title,
                "author": article.author,
                "published_at": article.published,
                "lang": vane_text::detect_language(&text),
                "encoding": decoded.encoding,
                "replaced_bytes": decoded.replaced,
                "paragraphs": article.paragraphs,
                "text": text,
            });
            serde_json::to_writer_pretty(&mut out, &result)?;
            out.write_all(b"\n")?;
        }
        TextCommand::Lang => {
            for line in std::io::stdin().lock().lines() {
                let line = line.context("cannot read standard input")?;
                serde_json::to_writer(
                    &mut out,
                    &serde_json::json!({ "lang": vane_text::detect_language(&line) }),
                )?;
                out.write_all(b"\n")?;
            }
        }
        TextCommand::Keywords { lang, top } => {
            let fixed = match lang.as_str() {
                "auto" => None,
                code => Some(is_chinese(code)?),
            };
            for line in std::io::stdin().lock().lines() {
                let line = line.context("cannot read standard input")?;
                let chinese = fixed.unwrap_or_else(|| vane_text::detect_language(&line) == "zh");
                let keywords: Vec<serde_json::Value> = vane_text::keywords(&line, chinese, top)
                    .into_iter()
                    .map(|(word, weight)| serde_json::json!({ "word": word, "weight": (weight as f64 * 1e3).round() / 1e3 }))
                    .collect();
                serde_json::to_writer(&mut out, &serde_json::json!({ "keywords": keywords }))?;
                out.write_all(b"\n")?;
            }
        }
        TextCommand::Idf {
            lang,
            corpus,
            out: path,
        } => {
            let chinese = is_chinese(&lang)?;
            let text = std::fs::read_to_string(&corpus)
                .with_context(|| format!("cannot read {}", corpus.display()))?;
            let table = vane_text::build_idf_table(
                text.lines().filter(|line| !line.trim().is_empty()),
                chinese,
            );
            std::fs::write(&path, &table)
                .with_context(|| format!("cannot write {}", path.display()))?;
            writeln!(
                out,
                "wrote {} words to {}",
                table.lines().count(),
                path.display()
            )?;
        }
    }
    out.flush()?;
    Ok(())
}

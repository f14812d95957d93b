//! `vane feed FILE`: a saved RSS, Atom or JSON feed as documents (NDJSON),
//! ready for `vane query match`, `vane dedupe` or `vane hot`.

use std::io::Write;
use std::path::Path;

use anyhow::{Context, Result};

use crate::UsageError;

pub(crate) fn run(file: &Path, source: Option<&str>, content_type: Option<&str>) -> Result<()> {
    let bytes = std::fs::read(file).with_context(|| format!("cannot read {}", file.display()))?;
    let feed = vane_sources::parse_feed(&bytes, content_type)
        .map_err(|error| UsageError(format!("{}: {error}", file.display())))?;
    let source = source.map(str::to_string).unwrap_or_else(|| {
        file.file_stem().map_or_else(
            || "feed".to_string(),
            |stem| stem.to_string_lossy().into_owned(),
        )
    });
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for item in &feed.items {
        serde_json::to_writer(&mut out, &item.to_document(&source))?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    eprintln!(
        "{}: {:?} feed \"{}\", {} items",
        file.display(),
        feed.format,
        feed.title,
        feed.items.len()
    );
    Ok(())
}

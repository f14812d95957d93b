//! Reads OpenCC's `TSCharacters.txt` and renders the Rust table committed
//! as `traditional_to_simplified.rs`. Used by the generator example and by
//! the test that keeps the committed table equal to its source.

/// Parses `key<TAB>value(s)` lines into sorted `(traditional, simplified)`
/// pairs, the first candidate winning; `#` lines are comments.
pub(crate) fn parse_pairs(source: &str) -> Result<Vec<(char, char)>, String> {
    let mut pairs = Vec::new();
    for (index, line) in source.lines().enumerate() {
        let line_number = index + 1;
        if line.starts_with('#') || line.trim().is_empty() {
            continue;
        }
        let (key, values) = line
            .split_once('\t')
            .ok_or_else(|| format!("line {line_number}: expected key<TAB>values"))?;
        let mut key_chars = key.chars();
        let (Some(traditional), None) = (key_chars.next(), key_chars.next()) else {
            return Err(format!(
                "line {line_number}: key `{key}` is not one character"
            ));
        };
        let first = values.split(' ').next().unwrap_or_default();
        let mut value_chars = first.chars();
        let (Some(simplified), None) = (value_chars.next(), value_chars.next()) else {
            return Err(format!(
                "line {line_number}: value `{first}` is not one character"
            ));
        };
        if traditional != simplified {
            pairs.push((traditional, simplified));
        }
    }
    pairs.sort_unstable();
    pairs.dedup_by_key(|pair| pair.0);
    Ok(pairs)
}

/// The committed Rust source for the pairs of `source`.
pub(crate) fn render_rust_table(source: &str) -> Result<String, String> {
    let pairs = parse_pairs(source)?;
    let mut rust = String::from(
        "//! Traditional→Simplified character table, generated from OpenCC's\n\
         //! `TSCharacters.txt` (Apache-2.0) by `examples/generate_ts_table.rs`.\n\
         //! Do not edit by hand. Sorted by the traditional character.\n\n\
         pub(crate) static TRADITIONAL_TO_SIMPLIFIED: &[(char, char)] = &[\n",
    );
    for chunk in pairs.chunks(8) {
        rust.push_str("   ");
        for (traditional, simplified) in chunk {
            rust.push_str(&format!(
                " ('\\u{{{:x}}}', '\\u{{{:x}}}'),",
                *traditional as u32, *simplified as u32
            ));
        }
        rust.push('\n');
    }
    rust.push_str("];\n");
    Ok(rust)
}

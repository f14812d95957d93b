//! Generates `src/traditional_to_simplified.rs` from OpenCC's character
//! table, taking the first candidate where several are listed
//! (QUERY-LANGUAGE.md §12):
//!
//! ```text
//! cargo run -p vane-text --example generate_ts_table -- \
//!     ../shared/data/opencc/TSCharacters.txt > crates/vane-text/src/traditional_to_simplified.rs
//! ```
//!
//! The same function is run by a test against the committed file, so the
//! table cannot drift from its source.

use std::process::ExitCode;

#[path = "../src/ts_table_source.rs"]
mod ts_table_source;

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: generate_ts_table TSCharacters.txt");
        return ExitCode::from(2);
    };
    let source = match std::fs::read_to_string(&path) {
        Ok(source) => source,
        Err(error) => {
            eprintln!("cannot read {path}: {error}");
            return ExitCode::FAILURE;
        }
    };
    match ts_table_source::render_rust_table(&source) {
        Ok(rust) => {
            print!("{rust}");
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{path}: {error}");
            ExitCode::FAILURE
        }
    }
}

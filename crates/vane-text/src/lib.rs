//! Text normalisation and tokens (QUERY-LANGUAGE.md §2 and §12).
//!
//! Matching, search and analysis all see text through this crate, so a
//! query term and a document are normalised by the same code: Unicode NFKC,
//! Traditional→Simplified folding, lower-casing and accent stripping, then
//! split into Han/kana character tokens and word tokens, each mapped back to
//! character offsets in the original text. No I/O.

mod chars;
mod decode;
mod distinct;
mod fingerprint;
mod html;
mod keywords;
mod language;
mod normalize;
pub mod parallel;
mod seeded;
mod sentences;
mod tokens;
#[rustfmt::skip]
mod traditional_to_simplified;
#[cfg(test)]
mod ts_table_source;

pub use chars::{CharClass, char_class};
pub use decode::{CharsetSource, Decoded, charset_of_content_type, charset_of_meta, decode};
pub use distinct::{HashValue, keep_first};
pub use fingerprint::{BANDS, Fingerprint, ROWS, SKETCH_SIZE};
pub use html::{Article, clean, decode_entities, extract_article};
pub use keywords::{IdfTable, build_idf_table, jieba, keyword_candidates, keywords};
pub use language::detect_language;
pub use normalize::{
    fold_char, for_each_nfkc_char, for_each_normalized_char, lower_char, strip_accents_into,
    to_simplified, traditional_to_simplified_pairs,
};
pub use seeded::Seeded;
pub use sentences::{Sentence, sentence_spans, sentences};
pub use tokens::{NormalizedText, Token, TokenKind};

//! Features of a text for the sentiment models, hashed into a fixed number
//! of buckets (the hashing trick): Chinese as character 1–3-grams, English
//! as word unigrams and bigrams with negation scope, both over the folded
//! text of `vane-text` (NFKC, Simplified, lower case, no accents).

use vane_text::{NormalizedText, TokenKind, jieba};

use crate::Language;

/// Words that flip the polarity of the words after them (`n't` arrives as
/// the token `t` after `don`, `isn`, …).
const NEGATORS: &[&str] = &[
    "not", "no", "never", "nothing", "nobody", "none", "neither", "nor", "cannot", "without",
    "hardly", "barely", "t", "cant", "dont", "didnt", "doesnt", "isnt", "wasnt", "wont", "wouldnt",
    "shouldnt",
];

/// How many words after a negator are marked as negated.
const NEGATION_SCOPE: usize = 3;

const FNV_OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
const FNV_PRIME: u64 = 0x0100_0000_01b3;

/// FNV-1a over more bytes, from a hash state.
#[inline]
fn fnv(mut hash: u64, bytes: &[u8]) -> u64 {
    for &byte in bytes {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(FNV_PRIME);
    }
    hash
}

/// The state after a part and the separator before the next part.
#[inline]
fn separated(hash: u64) -> u64 {
    (hash ^ 0x1F).wrapping_mul(FNV_PRIME)
}

/// Stable 64-bit FNV-1a: feature ids must not change between builds, or
/// committed models would silently stop matching their features.
fn hash(parts: &[&[u8]]) -> u64 {
    let mut hash = FNV_OFFSET;
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            hash = separated(hash);
        }
        hash = fnv(hash, part);
    }
    hash
}

/// `char::is_alphanumeric`, answered without its table lookup for ASCII
/// and for the common Han block, which are most of what jieba returns.
#[inline]
fn alphanumeric(c: char) -> bool {
    if c.is_ascii() {
        c.is_ascii_alphanumeric()
    } else {
        ('\u{4E00}'..='\u{9FFF}').contains(&c) || c.is_alphanumeric()
    }
}

/// Appends the 32-bit hashes of `text`'s features, de-duplicated, in the
/// order of their first occurrence; each model keeps as many low bits as
/// it has buckets.
pub(crate) fn extract(language: Language, text: &str, out: &mut Vec<u32>) {
    out.clear();
    let mut push = |hash: u64| out.push(hash as u32);
    match language {
        Language::Chinese => {
            // characters of the folded text, spaces collapsed; punctuation
            // kept (！ and ？ carry sentiment), digits and Latin letters too
            let mut folded = String::new();
            NormalizedText::fold_into(text, &mut folded);
            let mut compact = String::with_capacity(folded.len());
            let mut ends: Vec<usize> = Vec::with_capacity(folded.len() / 2);
            for c in folded.chars().filter(|c| !c.is_whitespace()) {
                compact.push(c);
                ends.push(compact.len());
            }
            // the 1-, 2- and 3-grams from each character: one hash state
            // extended character by character (the same hashes as
            // `hash(&[b"c", gram])`)
            let bytes = compact.as_bytes();
            let gram = separated(fnv(FNV_OFFSET, b"c"));
            let mut start = 0;
            for first in 0..ends.len() {
                let mut state = gram;
                let mut from = start;
                for &end in &ends[first..ends.len().min(first + 3)] {
                    state = fnv(state, &bytes[from..end]);
                    push(state);
                    from = end;
                }
                start = ends[first];
            }
            // words and word pairs from jieba's segmentation
            let mut previous: Option<&str> = None;
            for token in jieba().cut(&compact, false) {
                let word = token.word;
                if !word.chars().any(alphanumeric) {
                    previous = None;
                    continue;
                }
                push(hash(&[b"w", word.as_bytes()]));
                if let Some(before) = previous {
                    push(hash(&[b"b", before.as_bytes(), word.as_bytes()]));
                }
                previous = Some(word);
            }
        }
        Language::English => {
            let normalized = NormalizedText::new(text);
            let words: Vec<&str> = normalized
                .tokens
                .iter()
                .filter(|token| token.kind == TokenKind::Word || token.kind == TokenKind::Han)
                .map(|token| normalized.folded_token(token))
                .collect();
            let mut negated_until = 0;
            let mut previous: Option<(&str, bool)> = None;
            for (index, word) in words.iter().enumerate() {
                let negated = index < negated_until;
                let marker: &[u8] = if negated { b"n" } else { b"w" };
                push(hash(&[marker, word.as_bytes()]));
                if let Some((before, before_negated)) = previous {
                    let marker: &[u8] = if before_negated || negated {
                        b"nb"
                    } else {
                        b"b"
                    };
                    push(hash(&[marker, before.as_bytes(), word.as_bytes()]));
                }
                if NEGATORS.contains(word) {
                    negated_until = index + 1 + NEGATION_SCOPE;
                }
                previous = Some((word, negated));
            }
            // exclamation and question marks, which tokens drop
            let exclamations = text
                .chars()
                .filter(|&c| c == '!' || c == '！')
                .count()
                .min(3);
            if exclamations > 0 {
                push(hash(&[b"!", &[exclamations as u8]]));
            }
        }
    }
    push(hash(&[b"bias"]));
    dedup(out);
}

thread_local! {
    /// The de-duplication table, kept between texts.
    static SEEN: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Keeps the first of each distinct feature, in their order: a sum over
/// the weights needs a set, not the order a sort would give (the sort was
/// about a fifth of extraction).
fn dedup(features: &mut Vec<u32>) {
    SEEN.with_borrow_mut(|table| {
        vane_text::keep_first(features, table);
        // a huge text (one sentence of a megabyte) does not keep its table
        if table.capacity() > 1 << 16 {
            *table = Vec::new();
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_fast_alphanumeric_test_agrees_with_the_standard_one_everywhere() {
        for c in (0..=char::MAX as u32).filter_map(char::from_u32) {
            assert_eq!(alphanumeric(c), c.is_alphanumeric(), "{c:?}");
        }
    }
}

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

/// Stable 64-bit FNV-1a: feature ids must not change between builds, or
/// committed models would silently stop matching their features.
fn hash(parts: &[&[u8]]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for (index, part) in parts.iter().enumerate() {
        if index > 0 {
            hash ^= 0x1F;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
        for &byte in *part {
            hash ^= byte as u64;
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    hash
}

/// Appends the 32-bit hashes of `text`'s features, de-duplicated; each
/// model keeps as many low bits as it has buckets.
pub(crate) fn extract(language: Language, text: &str, out: &mut Vec<u32>) {
    out.clear();
    let normalized = NormalizedText::new(text);
    let mut push = |parts: &[&[u8]]| out.push(hash(parts) as u32);
    match language {
        Language::Chinese => {
            // characters of the folded text, spaces collapsed; punctuation
            // kept (！ and ？ carry sentiment), digits and Latin letters too
            let chars: Vec<char> = normalized
                .folded
                .chars()
                .filter(|c| !c.is_whitespace())
                .collect();
            let mut buffer = [0u8; 16];
            for start in 0..chars.len() {
                for length in 1..=3 {
                    if start + length > chars.len() {
                        break;
                    }
                    let mut used = 0;
                    for c in &chars[start..start + length] {
                        used += c.encode_utf8(&mut buffer[used..]).len();
                    }
                    push(&[b"c", &buffer[..used]]);
                }
            }
            // words and word pairs from jieba's segmentation
            let text: String = chars.iter().collect();
            let mut previous: Option<&str> = None;
            for token in jieba().cut(&text, false) {
                let word = token.word;
                if word.chars().all(|c| !c.is_alphanumeric()) {
                    previous = None;
                    continue;
                }
                push(&[b"w", word.as_bytes()]);
                if let Some(before) = previous {
                    push(&[b"b", before.as_bytes(), word.as_bytes()]);
                }
                previous = Some(word);
            }
        }
        Language::English => {
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
                push(&[marker, word.as_bytes()]);
                if let Some((before, before_negated)) = previous {
                    let marker: &[u8] = if before_negated || negated {
                        b"nb"
                    } else {
                        b"b"
                    };
                    push(&[marker, before.as_bytes(), word.as_bytes()]);
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
                push(&[b"!", &[exclamations as u8]]);
            }
        }
    }
    push(&[b"bias"]);
    out.sort_unstable();
    out.dedup();
}

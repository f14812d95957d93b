//! Near-duplicate fingerprints: a bottom-k MinHash sketch of a text's
//! shingles, from which the resemblance (Jaccard) and containment of two
//! texts are estimated without keeping the texts. Shingles are runs of
//! consecutive tokens of the folded text (so full-width/half-width,
//! Traditional/Simplified and case differences vanish): four Han/kana
//! characters, or three words in text that is mostly words.

use crate::{NormalizedText, TokenKind, keep_first};

/// How many of the smallest shingle hashes a sketch keeps.
pub const SKETCH_SIZE: usize = 128;

/// Locality-sensitive bands of the one-permutation MinHash signature, and
/// rows per band: texts with resemblance 0.5 share a band with probability
/// 1 − (1 − 0.5²)^20 ≈ 0.997, texts with resemblance 0.05 with ≈ 0.05.
pub const BANDS: usize = 20;
pub const ROWS: usize = 2;

/// A text's sketch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fingerprint {
    /// The smallest distinct shingle hashes, ascending.
    sketch: Vec<u64>,
    /// How many distinct shingles the text has.
    shingles: usize,
    /// One-permutation MinHash: the least hash in each of BANDS × ROWS
    /// buckets (empty buckets borrow from the next), for the LSH index.
    signature: [u32; BANDS * ROWS],
}

fn mix(mut value: u64) -> u64 {
    // SplitMix64's finaliser: spreads FNV's low-entropy high bits
    value = (value ^ (value >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    value = (value ^ (value >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    value ^ (value >> 31)
}

fn token_hash(text: &str) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= byte as u64;
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    hash
}

/// The least hash per bucket (bucket = hash mod buckets, value = the high
/// half), with empty buckets filled from the next non-empty one (rotation
/// densification), so short texts still have full signatures.
fn one_permutation_signature(hashes: &[u64]) -> [u32; BANDS * ROWS] {
    const BUCKETS: usize = BANDS * ROWS;
    let mut signature = [u32::MAX; BUCKETS];
    let mut filled = [false; BUCKETS];
    for &hash in hashes {
        let bucket = (hash % BUCKETS as u64) as usize;
        let value = (hash >> 32) as u32;
        if value < signature[bucket] || !filled[bucket] {
            signature[bucket] = value.min(signature[bucket]);
            filled[bucket] = true;
        }
    }
    if filled.iter().any(|&full| full) {
        for bucket in 0..BUCKETS {
            if !filled[bucket] {
                let mut offset = 1;
                while !filled[(bucket + offset) % BUCKETS] {
                    offset += 1;
                }
                let source = (bucket + offset) % BUCKETS;
                signature[bucket] =
                    signature[source].wrapping_add((offset as u32).wrapping_mul(0x9E37_79B9));
            }
        }
    }
    signature
}

impl Fingerprint {
    pub fn of(text: &str) -> Fingerprint {
        Fingerprint::of_normalized(&NormalizedText::new(text))
    }

    /// The fingerprint of a text normalised already.
    pub fn of_normalized(normalized: &NormalizedText) -> Fingerprint {
        Fingerprint::of_fields(&[normalized])
    }

    /// The fingerprint of texts normalised already, read one after the
    /// other as one text (the tokens of `"title\nbody"` are the title's
    /// and then the body's).
    pub fn of_fields(fields: &[&NormalizedText]) -> Fingerprint {
        Fingerprint::with_content_hash(fields).0
    }

    /// [`Fingerprint::of_fields`], and a hash of the whole token sequence
    /// for telling exact copies, from the same pass over the tokens.
    pub fn with_content_hash(fields: &[&NormalizedText]) -> (Fingerprint, u64) {
        let count: usize = fields
            .iter()
            .map(|normalized| normalized.tokens.len())
            .sum();
        let mut tokens: Vec<u64> = Vec::with_capacity(count);
        let mut han = 0;
        // FNV-1a over the token hashes, a word at a time
        let mut content: u64 = 0xcbf2_9ce4_8422_2325;
        for normalized in fields {
            for token in &normalized.tokens {
                let hash = token_hash(normalized.folded_token(token));
                han += usize::from(token.kind == TokenKind::Han);
                content = (content ^ hash).wrapping_mul(0x0000_0100_0000_01b3);
                tokens.push(hash);
            }
        }
        let width = if han * 2 >= tokens.len().max(1) { 4 } else { 3 };
        let mut hashes: Vec<u64> = if tokens.len() < width {
            // a text shorter than one shingle is one shingle
            if tokens.is_empty() {
                Vec::new()
            } else {
                vec![mix(tokens
                    .iter()
                    .fold(7, |hash, token| hash.rotate_left(13) ^ token))]
            }
        } else {
            tokens
                .windows(width)
                .map(|window| {
                    mix(window
                        .iter()
                        .fold(7, |hash, token| hash.rotate_left(13) ^ token))
                })
                .collect()
        };
        // the distinct shingles without sorting them all: only the sketch's
        // smallest are sorted
        keep_first(&mut hashes, &mut Vec::new());
        let shingles = hashes.len();
        let signature = one_permutation_signature(&hashes);
        if hashes.len() > SKETCH_SIZE {
            hashes.select_nth_unstable(SKETCH_SIZE - 1);
            hashes.truncate(SKETCH_SIZE);
        }
        hashes.sort_unstable();
        let fingerprint = Fingerprint {
            sketch: hashes,
            shingles,
            signature,
        };
        (fingerprint, mix(content ^ count as u64))
    }

    /// The LSH keys of the text: one per band, the band's rows hashed
    /// together with the band number.
    pub fn band_keys(&self) -> [u64; BANDS] {
        let mut keys = [0u64; BANDS];
        for (band, key) in keys.iter_mut().enumerate() {
            let rows = &self.signature[band * ROWS..(band + 1) * ROWS];
            *key = mix(rows.iter().fold(band as u64 + 1, |hash, &row| {
                hash.rotate_left(29) ^ row as u64
            }));
        }
        keys
    }

    pub fn shingles(&self) -> usize {
        self.shingles
    }

    /// The estimated Jaccard similarity of the two shingle sets.
    pub fn resemblance(&self, other: &Fingerprint) -> f32 {
        if self.sketch.is_empty() || other.sketch.is_empty() {
            return 0.0;
        }
        // the k smallest of the union, and how many of them both hold
        let (mut left, mut right, mut taken, mut shared) = (0, 0, 0, 0);
        while taken < SKETCH_SIZE && (left < self.sketch.len() || right < other.sketch.len()) {
            match (self.sketch.get(left), other.sketch.get(right)) {
                (Some(a), Some(b)) if a == b => {
                    shared += 1;
                    left += 1;
                    right += 1;
                }
                (Some(a), Some(b)) if a < b => left += 1,
                (Some(_), Some(_)) => right += 1,
                (Some(_), None) => left += 1,
                (None, Some(_)) => right += 1,
                (None, None) => break,
            }
            taken += 1;
        }
        shared as f32 / taken.max(1) as f32
    }

    /// The estimated share of the smaller text's shingles that the other
    /// holds: high when one text is a truncated or trimmed copy of the other.
    pub fn containment(&self, other: &Fingerprint) -> f32 {
        let jaccard = self.resemblance(other) as f64;
        let (a, b) = (self.shingles as f64, other.shingles as f64);
        if a == 0.0 || b == 0.0 {
            return 0.0;
        }
        let intersection = jaccard * (a + b) / (1.0 + jaccard);
        (intersection / a.min(b)).min(1.0) as f32
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_resemble_and_different_texts_do_not() {
        let original = "小米汽车宣布召回部分SU7车辆，共计约三万辆。据介绍，本次召回范围内的车辆在特定情况下可能出现制动系统软件异常，存在安全隐患。小米汽车将通过远程升级的方式免费为车主更新软件。";
        let copy = "來源：新華社\n小米汽車宣布召回部分ＳＵ７車輛，共計約三萬輛。據介紹，本次召回範圍內的車輛在特定情況下可能出現制動系統軟件異常，存在安全隱患。";
        let other = "华为今天发布了新款折叠屏手机，售价一万元起，首批用户对屏幕和续航评价很高，预计下月开始全面供货。";
        let (original, copy, other) = (
            Fingerprint::of(original),
            Fingerprint::of(copy),
            Fingerprint::of(other),
        );
        assert!(
            copy.containment(&original) > 0.7,
            "{}",
            copy.containment(&original)
        );
        assert!(
            other.containment(&original) < 0.1,
            "{}",
            other.containment(&original)
        );
        assert_eq!(original.resemblance(&original), 1.0);
        assert_eq!(Fingerprint::of("").resemblance(&original), 0.0);
    }
}

//! A trained model and its file format. A model is two linear parts over
//! the same hashed features: *polarity* (positive vs negative) and
//! *objectivity* (factual news vs opinion), each with a Platt calibration.
//! A text is neutral when its polarity is weak for how factual it reads:
//! the neutral band widens from `neutral_band` for plain opinion to
//! `objective_band` for plainly factual text, so a news paragraph must be
//! clearly charged (an accident, a recall) to leave neutral.

use crate::features::extract;
use crate::{Label, Language, Sentiment};

const MAGIC: &[u8; 8] = b"VANESNT2";

fn logit(probability: f32) -> f32 {
    let probability = probability.clamp(1e-6, 1.0 - 1e-6);
    (probability / (1.0 - probability)).ln()
}

fn sigmoid(x: f32) -> f32 {
    1.0 / (1.0 + (-x).exp())
}

/// The value of each present feature: 1/√n for n features.
pub(crate) fn length_norm(features: usize) -> f32 {
    1.0 / (features.max(1) as f32).sqrt()
}

/// Weights over 2^bits hashed features and a calibration of the margin.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct LinearPart {
    pub(crate) bits: u32,
    pub(crate) weights: Vec<f32>,
    /// Platt scaling: P = σ(scale · margin + shift).
    pub(crate) scale: f32,
    pub(crate) shift: f32,
}

impl LinearPart {
    /// The margin of a text's features (full 32-bit hashes, masked here),
    /// length-normalised.
    pub(crate) fn margin(&self, features: &[u32]) -> f32 {
        let mask = (1u32 << self.bits) - 1;
        let sum: f32 = features
            .iter()
            .map(|&feature| self.weights[(feature & mask) as usize])
            .sum();
        sum * length_norm(features.len())
    }

    pub(crate) fn probability(&self, margin: f32) -> f32 {
        1.0 / (1.0 + (-(self.scale * margin + self.shift)).exp())
    }

    /// Weights quantised to `i16` with one scale: half the size of `f32`,
    /// and far below the models' own error.
    fn write(&self, bytes: &mut Vec<u8>) {
        let largest = self
            .weights
            .iter()
            .fold(0f32, |largest, weight| largest.max(weight.abs()));
        let step = if largest > 0.0 {
            largest / i16::MAX as f32
        } else {
            1.0
        };
        bytes.extend_from_slice(&self.bits.to_le_bytes());
        for value in [self.scale, self.shift, step] {
            bytes.extend_from_slice(&value.to_le_bytes());
        }
        for weight in &self.weights {
            bytes.extend_from_slice(&((weight / step).round() as i16).to_le_bytes());
        }
    }

    fn read(bytes: &[u8]) -> Result<(LinearPart, &[u8]), ModelError> {
        let header = bytes.get(..16).ok_or(ModelError::BadLength)?;
        let word = |at: usize| [header[at], header[at + 1], header[at + 2], header[at + 3]];
        let bits = u32::from_le_bytes(word(0));
        if bits == 0 || bits > 26 {
            return Err(ModelError::BadLength);
        }
        let (scale, shift, step) = (
            f32::from_le_bytes(word(4)),
            f32::from_le_bytes(word(8)),
            f32::from_le_bytes(word(12)),
        );
        let length = (1usize << bits) * 2;
        let body = bytes.get(16..16 + length).ok_or(ModelError::BadLength)?;
        let weights = body
            .chunks_exact(2)
            .map(|pair| i16::from_le_bytes([pair[0], pair[1]]) as f32 * step)
            .collect();
        Ok((
            LinearPart {
                bits,
                weights,
                scale,
                shift,
            },
            &bytes[16 + length..],
        ))
    }

    /// The part as it will be after writing and reading (quantised), so that
    /// the band is chosen on the weights that are shipped.
    pub(crate) fn quantised(&self) -> LinearPart {
        let mut bytes = Vec::new();
        self.write(&mut bytes);
        LinearPart::read(&bytes).expect("written just now").0
    }
}

/// A sentiment model of one language.
#[derive(Debug, Clone, PartialEq)]
pub struct SentimentModel {
    pub(crate) language: Language,
    pub(crate) polarity: LinearPart,
    pub(crate) objectivity: LinearPart,
    /// |score| below this is neutral for plain opinion.
    pub(crate) neutral_band: f32,
    /// … and below this for plainly factual text.
    pub(crate) objective_band: f32,
}

/// A model file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ModelError {
    #[error("not a Vane sentiment model (bad header)")]
    BadHeader,
    #[error("the model file is truncated or has trailing bytes")]
    BadLength,
    #[error("unknown language code `{0}` in the model file")]
    BadLanguage(String),
}

impl SentimentModel {
    pub fn language(&self) -> Language {
        self.language
    }

    /// The neutral band for plain opinion and for plainly factual text.
    pub fn neutral_bands(&self) -> (f32, f32) {
        (self.neutral_band, self.objective_band)
    }

    /// Scores one text.
    pub fn score(&self, text: &str) -> Sentiment {
        let mut features = Vec::new();
        extract(self.language, text, &mut features);
        self.sentiment(&features)
    }

    pub(crate) fn sentiment(&self, features: &[u32]) -> Sentiment {
        let (probability, objectivity) = self.parts(features);
        self.label(probability, objectivity)
    }

    /// P(positive) and P(factual) of a text's features.
    fn parts(&self, features: &[u32]) -> (f32, f32) {
        (
            self.polarity.probability(self.polarity.margin(features)),
            self.objectivity
                .probability(self.objectivity.margin(features)),
        )
    }

    /// Sentiment towards what a topic hit in a text (`spans`: character
    /// ranges), read the default way ([`Reading::DEFAULT`],
    /// [`TextScores::around`]). With no spans, the document's sentiment.
    pub fn score_around(&self, text: &str, spans: &[(usize, usize)]) -> Sentiment {
        self.read(text, Reading::DEFAULT, spans).around(spans)
    }

    /// Reads a text once for its own sentiment and for the sentiment towards
    /// any number of topics' hits: consecutive sentences are scored together
    /// as passages of up to `reading.passage_chars` characters, from the
    /// start to `reading.lede_chars`; every sentence holding or neighbouring
    /// a hit at `spans` is also scored on its own. A text that fits in one
    /// passage is scored exactly as [`Self::score`].
    pub fn read(&self, text: &str, reading: Reading, spans: &[(usize, usize)]) -> TextScores<'_> {
        let spans_of_text = vane_text::sentence_spans(text);
        let ranges: Vec<std::ops::Range<usize>> = spans_of_text
            .iter()
            .map(|sentence| sentence.chars.clone())
            .collect();
        let length = ranges.last().map_or(0, |range| range.end);
        let mut features = Vec::new();
        let mut passages = Vec::new();
        let whole = ranges.len() <= 1 || length <= reading.passage_chars;
        if whole {
            extract(self.language, text, &mut features);
            passages.push(self.parts(&features));
            // with one sentence, or no hits, there is nothing more to read
            if ranges.len() <= 1 || spans.is_empty() {
                return TextScores {
                    model: self,
                    passages,
                    sentences: vec![None; ranges.len()],
                    ranges,
                };
            }
        }
        // sentences `first..=last` together, sliced from the text
        let score = |first: usize, last: usize, features: &mut Vec<u32>| {
            let bytes = spans_of_text[first].bytes.start..spans_of_text[last].bytes.end;
            extract(self.language, &text[bytes], features);
            self.parts(features)
        };
        // a passage of one sentence is that sentence read alone: kept, so
        // that a hit in it does not read it twice (long English sentences)
        let mut alone: Vec<Option<(f32, f32)>> = vec![None; ranges.len()];
        let mut first = 0;
        while !whole && first < ranges.len() && ranges[first].start < reading.lede_chars.max(1) {
            let start = ranges[first].start;
            let mut last = first;
            while ranges
                .get(last + 1)
                .is_some_and(|next| next.end - start <= reading.passage_chars)
            {
                last += 1;
            }
            let parts = score(first, last, &mut features);
            if first == last {
                alone[first] = Some(parts);
            }
            passages.push(parts);
            first = last + 1;
        }
        let holds_hit = hit_sentences(&ranges, spans);
        let sentences = (0..ranges.len())
            .map(|index| {
                let read = holds_hit[index]
                    || (index > 0 && holds_hit[index - 1])
                    || holds_hit.get(index + 1).copied().unwrap_or(false);
                read.then(|| alone[index].unwrap_or_else(|| score(index, index, &mut features)))
            })
            .collect();
        TextScores {
            model: self,
            passages,
            sentences,
            ranges,
        }
    }

    fn label(&self, probability: f32, objectivity: f32) -> Sentiment {
        let score = (2.0 * probability - 1.0).clamp(-1.0, 1.0);
        let band =
            self.neutral_band + objectivity * (self.objective_band - self.neutral_band).max(0.0);
        let (label, confidence) = if score.abs() < band {
            // the nearer the middle, the surer it is neutral
            (
                Label::Neutral,
                1.0 - score.abs() / band.max(f32::EPSILON) * 0.5,
            )
        } else if score > 0.0 {
            (Label::Positive, probability)
        } else {
            (Label::Negative, 1.0 - probability)
        };
        Sentiment {
            label,
            score,
            confidence,
            language: self.language,
        }
    }

    /// The file form: header, language, the two bands, then each part.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut bytes = Vec::new();
        bytes.extend_from_slice(MAGIC);
        bytes.extend_from_slice(self.language.code().as_bytes());
        bytes.extend_from_slice(&self.neutral_band.to_le_bytes());
        bytes.extend_from_slice(&self.objective_band.to_le_bytes());
        self.polarity.write(&mut bytes);
        self.objectivity.write(&mut bytes);
        bytes
    }

    pub fn from_bytes(bytes: &[u8]) -> Result<SentimentModel, ModelError> {
        let header = bytes.get(..18).ok_or(ModelError::BadLength)?;
        if &header[..8] != MAGIC {
            return Err(ModelError::BadHeader);
        }
        let code = String::from_utf8_lossy(&header[8..10]).into_owned();
        let language = Language::from_code(&code).ok_or(ModelError::BadLanguage(code))?;
        let neutral_band = f32::from_le_bytes([header[10], header[11], header[12], header[13]]);
        let objective_band = f32::from_le_bytes([header[14], header[15], header[16], header[17]]);
        let (polarity, rest) = LinearPart::read(&bytes[18..])?;
        let (objectivity, rest) = LinearPart::read(rest)?;
        if !rest.is_empty() {
            return Err(ModelError::BadLength);
        }
        Ok(SentimentModel {
            language,
            polarity,
            objectivity,
            neutral_band,
            objective_band,
        })
    }
}

/// How much of a text is read for its sentiment, and in what pieces
/// ([`SentimentModel::read`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reading {
    /// Consecutive sentences are scored together up to this many
    /// characters: the model was trained on reviews and posts of this
    /// length, and a longer text's features add up to certainties no part
    /// of it has (the weights are length-normalised by √n, not n).
    pub passage_chars: usize,
    /// Passages are read while they start within this many characters: a
    /// long article's sentiment is that of its lede (the sentences around
    /// hits further on are read for the mentions).
    pub lede_chars: usize,
}

impl Reading {
    /// Measured on the labelled data with `vane sentiment eval --long`:
    /// on the Chinese validation texts over 150 characters, 0.940 against
    /// 0.936 with a lede of 400 characters, 0.932 read whole and 0.897
    /// sentence by sentence; 250 characters is a news lede (the title and
    /// the first paragraph).
    pub const DEFAULT: Reading = Reading {
        passage_chars: 200,
        lede_chars: 250,
    };
    /// The whole text as one passage: exactly [`SentimentModel::score`].
    pub const WHOLE: Reading = Reading {
        passage_chars: usize::MAX,
        lede_chars: usize::MAX,
    };
}

/// A text read for sentiment ([`SentimentModel::read`]).
#[derive(Debug, Clone)]
pub struct TextScores<'m> {
    model: &'m SentimentModel,
    /// Character ranges of the sentences.
    ranges: Vec<std::ops::Range<usize>>,
    /// P(positive) and P(factual) of each passage read.
    passages: Vec<(f32, f32)>,
    /// The same of each sentence holding or neighbouring a hit; `None` for
    /// the others.
    sentences: Vec<Option<(f32, f32)>>,
}

impl TextScores<'_> {
    /// The sentiment of the text: one passage exactly as
    /// [`SentimentModel::score`]; several, the mean of theirs in log-odds.
    pub fn overall(&self) -> Sentiment {
        let (probability, objectivity) = self.overall_log_odds();
        self.model.label(sigmoid(probability), sigmoid(objectivity))
    }

    fn overall_log_odds(&self) -> (f32, f32) {
        let count = self.passages.len().max(1) as f32;
        let (probability, objectivity) = self.passages.iter().fold(
            (0f32, 0f32),
            |(probability, objectivity), &(passage_probability, passage_objectivity)| {
                (
                    probability + logit(passage_probability),
                    objectivity + logit(passage_objectivity),
                )
            },
        );
        (probability / count, objectivity / count)
    }

    /// The sentiment towards hits at `spans` (character ranges): the mean in
    /// log-odds of the sentences holding a hit (weight 1), their neighbours
    /// (½) and the text as a whole (1), so that the sentences about the
    /// brand decide, in the light of what the article is about. No spans,
    /// or a text of one sentence: [`Self::overall`].
    pub fn around(&self, spans: &[(usize, usize)]) -> Sentiment {
        if spans.is_empty() || self.ranges.len() <= 1 {
            return self.overall();
        }
        let holds_hit = hit_sentences(&self.ranges, spans);
        let (mut probability, mut objectivity) = self.overall_log_odds();
        let mut total = 1f32;
        for (index, part) in self.sentences.iter().enumerate() {
            let weight = if holds_hit[index] {
                1.0
            } else if (index > 0 && holds_hit[index - 1])
                || holds_hit.get(index + 1).copied().unwrap_or(false)
            {
                0.5
            } else {
                continue;
            };
            let Some((sentence_probability, sentence_objectivity)) = *part else {
                continue;
            };
            total += weight;
            probability += weight * logit(sentence_probability);
            objectivity += weight * logit(sentence_objectivity);
        }
        self.model
            .label(sigmoid(probability / total), sigmoid(objectivity / total))
    }
}

/// Which sentences (character `ranges`) hold a hit at `spans`.
fn hit_sentences(ranges: &[std::ops::Range<usize>], spans: &[(usize, usize)]) -> Vec<bool> {
    ranges
        .iter()
        .map(|range| {
            spans
                .iter()
                .any(|&(start, end)| start < range.end && end > range.start)
        })
        .collect()
}

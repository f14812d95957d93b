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

    /// Sentiment towards what a topic hit in a long text: each sentence is
    /// scored on its own and weighted 1 if it holds a hit (`spans`: character
    /// ranges), ½ if it neighbours one and 1/10 otherwise, so that the
    /// sentences about the brand decide, not the rest of the article. With
    /// no spans, the whole text is scored.
    pub fn score_around(&self, text: &str, spans: &[(usize, usize)]) -> Sentiment {
        if spans.is_empty() {
            return self.score(text);
        }
        self.sentences(text).around(spans)
    }

    /// Scores a text sentence by sentence, once: the sentiment of the
    /// whole and towards any number of topics' hits then costs nothing more.
    pub fn sentences(&self, text: &str) -> SentenceScores<'_> {
        let ranges = vane_text::sentences(text);
        let mut features = Vec::new();
        if ranges.len() <= 1 {
            extract(self.language, text, &mut features);
            return SentenceScores {
                model: self,
                ranges: std::iter::once(0..text.chars().count()).collect(),
                parts: vec![self.parts(&features)],
            };
        }
        let chars: Vec<char> = text.chars().collect();
        let mut sentence = String::new();
        let parts = ranges
            .iter()
            .map(|range| {
                sentence.clear();
                sentence.extend(&chars[range.clone()]);
                extract(self.language, &sentence, &mut features);
                self.parts(&features)
            })
            .collect();
        SentenceScores {
            model: self,
            ranges,
            parts,
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

/// A text scored sentence by sentence ([`SentimentModel::sentences`]).
#[derive(Debug, Clone)]
pub struct SentenceScores<'m> {
    model: &'m SentimentModel,
    /// Character ranges of the sentences.
    ranges: Vec<std::ops::Range<usize>>,
    /// P(positive) and P(factual) of each sentence.
    parts: Vec<(f32, f32)>,
}

impl SentenceScores<'_> {
    /// The sentiment of the whole text. A single sentence is scored as a
    /// whole (exactly [`SentimentModel::score`]); a longer text is the mean
    /// of its sentences in log-odds, so that a long article's many mildly
    /// charged sentences do not add up to a certainty no sentence has.
    pub fn overall(&self) -> Sentiment {
        self.weighted(|_| 1.0)
    }

    /// The sentiment towards hits at `spans` (character ranges), weighted as
    /// [`SentimentModel::score_around`] says; no spans: [`Self::overall`].
    pub fn around(&self, spans: &[(usize, usize)]) -> Sentiment {
        if spans.is_empty() || self.ranges.len() <= 1 {
            return self.overall();
        }
        let holds_hit: Vec<bool> = self
            .ranges
            .iter()
            .map(|range| {
                spans
                    .iter()
                    .any(|&(start, end)| start < range.end && end > range.start)
            })
            .collect();
        self.weighted(|index| {
            let near_hit = (index > 0 && holds_hit[index - 1])
                || holds_hit.get(index + 1).copied().unwrap_or(false);
            if holds_hit[index] {
                1.0
            } else if near_hit {
                0.5
            } else {
                0.1
            }
        })
    }

    fn weighted(&self, weight: impl Fn(usize) -> f32) -> Sentiment {
        if self.parts.len() == 1 {
            let (probability, objectivity) = self.parts[0];
            return self.model.label(probability, objectivity);
        }
        let (mut total, mut probability, mut objectivity) = (0f32, 0f32, 0f32);
        for (index, &(sentence_probability, sentence_objectivity)) in self.parts.iter().enumerate()
        {
            let weight = weight(index);
            total += weight;
            // averaged as log-odds, so that one clearly charged sentence
            // about the brand is not washed out by mild ones around it
            probability += weight * logit(sentence_probability);
            objectivity += weight * logit(sentence_objectivity);
        }
        self.model
            .label(sigmoid(probability / total), sigmoid(objectivity / total))
    }
}

//! Sentiment of Chinese and English text: a label (positive, neutral,
//! negative), a score in [−1, 1] and a confidence, from linear models over
//! hashed n-gram features that Vane trains itself (`train.rs`) on the
//! labelled data in `../shared/data/sentiment`.
//!
//! The trained models are committed (`models/*.bin`) and embedded in the
//! binary. Inference is pure: no I/O, no clock.

mod emotion;
mod features;
mod model;
mod train;

pub use emotion::{Emotion, detect_emotion, emotion_counts, strongest_emotion};
pub use model::{ModelError, Reading, SentimentModel, TextScores};
pub use train::{Example, Split, TrainingConfig, TrainingReport, split, train};

use std::sync::OnceLock;

/// The languages with a model.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Language {
    Chinese,
    English,
}

impl Language {
    pub fn code(self) -> &'static str {
        match self {
            Language::Chinese => "zh",
            Language::English => "en",
        }
    }

    pub fn from_code(code: &str) -> Option<Language> {
        match code.trim().to_ascii_lowercase().as_str() {
            "zh" => Some(Language::Chinese),
            "en" => Some(Language::English),
            _ => None,
        }
    }

    /// The model language for a text: Chinese when Han characters make up
    /// a fair share of its letters, else English.
    pub fn guess(text: &str) -> Language {
        let (mut han, mut letters) = (0usize, 0usize);
        for c in text.chars() {
            if ('\u{4E00}'..='\u{9FFF}').contains(&c) || ('\u{3400}'..='\u{4DBF}').contains(&c) {
                han += 1;
                letters += 1;
            } else if c.is_alphabetic() {
                letters += 1;
            }
        }
        if han * 5 >= letters && han > 0 {
            Language::Chinese
        } else {
            Language::English
        }
    }
}

/// The three labels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Label {
    Positive,
    Neutral,
    Negative,
}

impl Label {
    pub fn as_str(self) -> &'static str {
        match self {
            Label::Positive => "positive",
            Label::Neutral => "neutral",
            Label::Negative => "negative",
        }
    }
}

/// What a model says of one text.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Sentiment {
    pub label: Label,
    /// 2·P(positive) − 1, calibrated: −1 surely negative, +1 surely positive.
    pub score: f32,
    /// The probability of the label given.
    pub confidence: f32,
    pub language: Language,
}

/// The committed model of a language, parsed on first use.
pub fn embedded(language: Language) -> &'static SentimentModel {
    static CHINESE: OnceLock<SentimentModel> = OnceLock::new();
    static ENGLISH: OnceLock<SentimentModel> = OnceLock::new();
    let (cell, bytes): (&OnceLock<SentimentModel>, &[u8]) = match language {
        Language::Chinese => (&CHINESE, include_bytes!("../models/zh.bin")),
        Language::English => (&ENGLISH, include_bytes!("../models/en.bin")),
    };
    cell.get_or_init(|| SentimentModel::from_bytes(bytes).expect("the committed model is valid"))
}

/// Scores a text with the committed model of its language (`None`: guess).
pub fn score(text: &str, language: Option<Language>) -> Sentiment {
    let language = language.unwrap_or_else(|| Language::guess(text));
    embedded(language).score(text)
}

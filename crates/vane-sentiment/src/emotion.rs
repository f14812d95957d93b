//! Emotion: the feeling a text expresses, where it says one — anger, fear,
//! sadness, joy, surprise or disgust — from lexicons of words and phrases
//! written for this purpose (not trained on the labelled data). Anger and
//! fear come first in ties: they are what a crisis team must see.

use std::sync::OnceLock;

use aho_corasick::AhoCorasick;
use rustc_hash::FxHashMap;
use vane_text::NormalizedText;

use crate::Language;

/// The six emotion classes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Emotion {
    Anger,
    Fear,
    Sadness,
    Disgust,
    Surprise,
    Joy,
}

impl Emotion {
    /// In order of precedence in ties.
    pub const ALL: [Emotion; 6] = [
        Emotion::Anger,
        Emotion::Fear,
        Emotion::Sadness,
        Emotion::Disgust,
        Emotion::Surprise,
        Emotion::Joy,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Emotion::Anger => "anger",
            Emotion::Fear => "fear",
            Emotion::Sadness => "sadness",
            Emotion::Disgust => "disgust",
            Emotion::Surprise => "surprise",
            Emotion::Joy => "joy",
        }
    }
}

const CHINESE: &[(Emotion, &[&str])] = &[
    (
        Emotion::Anger,
        &[
            "愤怒",
            "气愤",
            "生气",
            "恼火",
            "发火",
            "怒",
            "可恶",
            "混蛋",
            "坑人",
            "骗子",
            "欺骗",
            "无耻",
            "忍无可忍",
            "太过分",
            "抵制",
            "讨说法",
            "维权",
            "气死",
        ],
    ),
    (
        Emotion::Fear,
        &[
            "害怕",
            "恐惧",
            "担心",
            "担忧",
            "可怕",
            "吓人",
            "吓死",
            "惊恐",
            "恐慌",
            "不敢",
            "危险",
            "隐患",
            "后怕",
            "不安全",
            "焦虑",
            "胆战心惊",
        ],
    ),
    (
        Emotion::Sadness,
        &[
            "伤心", "难过", "悲伤", "遗憾", "心痛", "痛心", "哭", "失望", "沮丧", "可惜", "悲痛",
            "哀悼", "惋惜", "心寒",
        ],
    ),
    (
        Emotion::Disgust,
        &[
            "恶心",
            "厌恶",
            "讨厌",
            "反感",
            "垃圾",
            "恶劣",
            "令人作呕",
            "鄙视",
            "差劲",
            "烂透",
        ],
    ),
    (
        Emotion::Surprise,
        &[
            "震惊",
            "惊讶",
            "吃惊",
            "没想到",
            "意外",
            "竟然",
            "居然",
            "不可思议",
            "惊呆",
            "难以置信",
        ],
    ),
    (
        Emotion::Joy,
        &[
            "开心", "高兴", "快乐", "喜欢", "满意", "惊喜", "幸福", "欣喜", "愉快", "点赞", "太棒",
            "值得", "激动", "感谢",
        ],
    ),
];

const ENGLISH: &[(Emotion, &[&str])] = &[
    (
        Emotion::Anger,
        &[
            "angry",
            "anger",
            "furious",
            "outrage",
            "outraged",
            "outrageous",
            "rage",
            "mad",
            "annoyed",
            "infuriating",
            "livid",
            "scam",
            "ripoff",
            "unacceptable",
            "boycott",
            "hate",
        ],
    ),
    (
        Emotion::Fear,
        &[
            "afraid",
            "fear",
            "scared",
            "scary",
            "terrified",
            "terrifying",
            "frightening",
            "worried",
            "worry",
            "dangerous",
            "danger",
            "unsafe",
            "panic",
            "anxious",
            "alarming",
            "threat",
        ],
    ),
    (
        Emotion::Sadness,
        &[
            "sad",
            "sadly",
            "heartbroken",
            "unhappy",
            "disappointed",
            "disappointing",
            "depressing",
            "grief",
            "mourn",
            "tragic",
            "tragedy",
            "regret",
            "sorry",
            "miss",
        ],
    ),
    (
        Emotion::Disgust,
        &[
            "disgusting",
            "disgusted",
            "gross",
            "awful",
            "horrible",
            "nasty",
            "revolting",
            "sickening",
            "vile",
            "trash",
            "garbage",
        ],
    ),
    (
        Emotion::Surprise,
        &[
            "surprised",
            "surprising",
            "shocked",
            "shocking",
            "unexpected",
            "amazed",
            "astonished",
            "unbelievable",
            "wow",
            "stunned",
        ],
    ),
    (
        Emotion::Joy,
        &[
            "happy",
            "glad",
            "delighted",
            "love",
            "loved",
            "lovely",
            "great",
            "wonderful",
            "excellent",
            "awesome",
            "joy",
            "pleased",
            "excited",
            "fantastic",
            "thrilled",
        ],
    ),
];

struct ChineseLexicon {
    automaton: AhoCorasick,
    emotions: Vec<Emotion>,
}

fn chinese_lexicon() -> &'static ChineseLexicon {
    static LEXICON: OnceLock<ChineseLexicon> = OnceLock::new();
    LEXICON.get_or_init(|| {
        let (patterns, emotions): (Vec<&str>, Vec<Emotion>) = CHINESE
            .iter()
            .flat_map(|(emotion, words)| words.iter().map(move |word| (*word, *emotion)))
            .unzip();
        ChineseLexicon {
            // a DFA: every Chinese document's title and body are scanned
            automaton: AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(patterns)
                .expect("a small lexicon"),
            emotions,
        }
    })
}

fn english_lexicon() -> &'static FxHashMap<&'static str, Emotion> {
    // looked up for every word of every English document
    static LEXICON: OnceLock<FxHashMap<&'static str, Emotion>> = OnceLock::new();
    LEXICON.get_or_init(|| {
        ENGLISH
            .iter()
            .flat_map(|(emotion, words)| words.iter().map(move |word| (*word, *emotion)))
            .collect()
    })
}

/// The emotion a text expresses most, or `None` when it expresses none.
pub fn detect_emotion(text: &str, language: Language) -> Option<Emotion> {
    strongest_emotion(&emotion_counts(&NormalizedText::new(text), language))
}

/// How often each emotion's words occur in an already normalised text, in
/// the order of [`Emotion::ALL`]; counts of several fields add up.
pub fn emotion_counts(normalized: &NormalizedText, language: Language) -> [usize; 6] {
    let mut counts = [0usize; 6];
    let index = |emotion: Emotion| {
        Emotion::ALL
            .iter()
            .position(|&candidate| candidate == emotion)
            .unwrap_or(0)
    };
    match language {
        Language::Chinese => {
            let lexicon = chinese_lexicon();
            for found in lexicon.automaton.find_iter(normalized.folded.as_str()) {
                counts[index(lexicon.emotions[found.pattern().as_usize()])] += 1;
            }
        }
        Language::English => {
            let lexicon = english_lexicon();
            let mut negated_until = 0;
            for (position, token) in normalized.tokens.iter().enumerate() {
                let word = normalized.folded_token(token);
                if matches!(word, "not" | "no" | "never" | "t") {
                    negated_until = position + 3;
                    continue;
                }
                // "not happy" says nothing certain about the feeling
                if position < negated_until {
                    continue;
                }
                if let Some(&emotion) = lexicon.get(word) {
                    counts[index(emotion)] += 1;
                }
            }
        }
    }
    counts
}

/// The emotion with the most words, crisis emotions first in ties; `None`
/// when no emotion word occurred.
pub fn strongest_emotion(counts: &[usize; 6]) -> Option<Emotion> {
    let best = counts.iter().copied().max().unwrap_or(0);
    (best > 0).then(|| Emotion::ALL[counts.iter().position(|&count| count == best).unwrap_or(0)])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emotions_come_from_their_words_and_crisis_ones_win_ties() {
        for (text, language, emotion) in [
            (
                "车主非常愤怒，要求厂家给个说法",
                Language::Chinese,
                Some(Emotion::Anger),
            ),
            (
                "刹车失灵太可怕了，现在都不敢开",
                Language::Chinese,
                Some(Emotion::Fear),
            ),
            ("收到礼物很开心", Language::Chinese, Some(Emotion::Joy)),
            ("国务院召开常务会议", Language::Chinese, None),
            (
                "Customers are furious about the recall",
                Language::English,
                Some(Emotion::Anger),
            ),
            (
                "I am scared and happy",
                Language::English,
                Some(Emotion::Fear),
            ),
            ("I am not happy", Language::English, None),
            ("The meeting starts at ten", Language::English, None),
        ] {
            assert_eq!(detect_emotion(text, language), emotion, "{text}");
        }
    }
}

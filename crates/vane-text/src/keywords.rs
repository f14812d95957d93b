//! Keywords of a text by TF-IDF against committed IDF tables: Chinese words
//! from jieba's segmentation, English words from the tokens. The tables
//! (`data/idf_zh.tsv`, `data/idf_en.tsv`) are computed from People's Daily
//! and the Lee corpus by `vane text idf`, and committed.

use std::collections::HashMap;
use std::sync::OnceLock;

use jieba_rs::Jieba;

use crate::NormalizedText;

/// The segmenter with its built-in dictionary, loaded once.
pub fn jieba() -> &'static Jieba {
    static JIEBA: OnceLock<Jieba> = OnceLock::new();
    JIEBA.get_or_init(Jieba::new)
}

/// Words too common or too empty to be keywords.
const STOP_WORDS: &[&str] = &[
    "的", "了", "是", "在", "和", "有", "也", "就", "都", "而", "及", "与", "着", "或", "一个",
    "没有", "我们", "你们", "他们", "这个", "那个", "这些", "那些", "自己", "什么", "因为", "所以",
    "但是", "如果", "已经", "可以", "进行", "通过", "以及", "这样", "还是", "不是", "就是", "一些",
    "这种", "其中", "对于", "并且", "同时", "the", "and", "for", "that", "this", "with", "was",
    "are", "have", "has", "had", "but", "not", "you", "they", "their", "from", "been", "were",
    "will", "would", "which", "what", "when", "there", "said", "says", "about", "also", "into",
    "more", "than", "its", "his", "her", "she", "him", "our", "out", "who", "all", "can", "one",
    "two", "new", "after", "over", "some", "could",
];

/// The words of a text that count for keywords, in order.
pub fn keyword_candidates(text: &str, chinese: bool) -> Vec<String> {
    let normalized = NormalizedText::new(text);
    let words: Vec<String> = if chinese {
        jieba()
            .cut(&normalized.folded, false)
            .into_iter()
            .map(|token| token.word.to_string())
            .collect()
    } else {
        normalized
            .tokens
            .iter()
            .map(|token| normalized.folded_token(token).to_string())
            .collect()
    };
    words
        .into_iter()
        .filter(|word| {
            let characters = word.chars().count();
            let long_enough = if chinese {
                characters >= 2
            } else {
                characters >= 3
            };
            long_enough
                && word.chars().any(char::is_alphabetic)
                && !word.chars().all(|c| c.is_ascii_digit())
                && !STOP_WORDS.contains(&word.as_str())
        })
        .collect()
}

/// Inverse document frequencies: `ln(documents / (1 + containing))`.
#[derive(Debug)]
pub struct IdfTable {
    idf: HashMap<String, f32>,
    /// For words the corpus never had: as rare as the rarest listed.
    unseen: f32,
}

impl IdfTable {
    /// Parses `word<TAB>idf` lines.
    pub fn parse(text: &str) -> IdfTable {
        let idf: HashMap<String, f32> = text
            .lines()
            .filter_map(|line| {
                let (word, value) = line.split_once('\t')?;
                Some((word.to_string(), value.trim().parse().ok()?))
            })
            .collect();
        let unseen = idf.values().copied().fold(0f32, f32::max);
        IdfTable { idf, unseen }
    }

    pub fn idf(&self, word: &str) -> f32 {
        self.idf.get(word).copied().unwrap_or(self.unseen)
    }

    /// The committed table for Chinese (`true`) or English.
    pub fn committed(chinese: bool) -> &'static IdfTable {
        static CHINESE: OnceLock<IdfTable> = OnceLock::new();
        static ENGLISH: OnceLock<IdfTable> = OnceLock::new();
        if chinese {
            CHINESE.get_or_init(|| IdfTable::parse(include_str!("../data/idf_zh.tsv")))
        } else {
            ENGLISH.get_or_init(|| IdfTable::parse(include_str!("../data/idf_en.tsv")))
        }
    }
}

/// The table text for a corpus of documents: words in at least two
/// documents, sorted, IDF to four decimals (stable output).
pub fn build_idf_table<'a>(documents: impl Iterator<Item = &'a str>, chinese: bool) -> String {
    let mut containing: HashMap<String, u32> = HashMap::new();
    let mut count = 0u32;
    for document in documents {
        count += 1;
        let mut words = keyword_candidates(document, chinese);
        words.sort();
        words.dedup();
        for word in words {
            *containing.entry(word).or_default() += 1;
        }
    }
    let mut rows: Vec<(String, u32)> = containing
        .into_iter()
        .filter(|(_, documents)| *documents >= 2)
        .collect();
    rows.sort();
    let mut table = String::new();
    for (word, documents) in rows {
        let idf = (count as f64 / (1.0 + documents as f64)).ln();
        table.push_str(&format!("{word}\t{idf:.4}\n"));
    }
    table
}

/// The `limit` best keywords of a text with their TF-IDF weights, best first.
pub fn keywords(text: &str, chinese: bool, limit: usize) -> Vec<(String, f32)> {
    let table = IdfTable::committed(chinese);
    let words = keyword_candidates(text, chinese);
    let mut counts: HashMap<String, u32> = HashMap::new();
    for word in words {
        *counts.entry(word).or_default() += 1;
    }
    let mut scored: Vec<(String, f32)> = counts
        .into_iter()
        .map(|(word, count)| {
            let weight = count as f32 * table.idf(&word);
            (word, weight)
        })
        .collect();
    scored.sort_by(|a, b| b.1.total_cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    scored.truncate(limit);
    scored
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keywords_prefer_rare_content_words() {
        let found = keywords(
            "小米汽车发布会今天举行，小米汽车的新车型备受关注，雷军介绍了小米汽车的销量。",
            true,
            3,
        );
        let words: Vec<&str> = found.iter().map(|(word, _)| word.as_str()).collect();
        assert!(words.contains(&"小米"), "{found:?}");
        assert!(!words.contains(&"的"), "{found:?}");
        let found = keywords(
            "The bushfire near Sydney forced residents to evacuate; the bushfire is spreading.",
            false,
            2,
        );
        assert_eq!(found[0].0, "bushfire", "{found:?}");
    }

    #[test]
    fn idf_tables_are_stable_text() {
        let table = build_idf_table(
            ["小米 发布 新车", "小米 召回", "华为 发布"].into_iter(),
            true,
        );
        assert_eq!(table, "发布\t0.0000\n小米\t0.0000\n");
        let parsed = IdfTable::parse(&table);
        assert_eq!(parsed.idf("小米"), 0.0);
    }
}

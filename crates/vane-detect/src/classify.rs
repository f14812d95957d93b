//! What makes a mention weigh more in a warning: who said it (authority)
//! and what it is about (sensitivity classes). Both lists are configurable;
//! the defaults are the ones a Chinese consumer-brand PR team starts from.

use aho_corasick::AhoCorasick;
use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use vane_model::Document;
use vane_text::NormalizedText;

/// The sensitivity classes of DESIGN §6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sensitivity {
    Safety,
    Recall,
    Litigation,
    Regulator,
    DataLeak,
    Labour,
    Discrimination,
}

/// Keywords (matched in the folded text: lower case, Simplified) per class.
pub const SENSITIVITY_KEYWORDS: &[(Sensitivity, &[&str])] = &[
    (
        Sensitivity::Safety,
        &[
            "起火",
            "自燃",
            "爆炸",
            "过热",
            "发烫",
            "烧伤",
            "烫伤",
            "触电",
            "冒烟",
            "鼓包",
            "安全隐患",
            "致死",
            "死亡",
            "受伤",
            "fire",
            "explod",
            "overheat",
            "burn",
            "injur",
            "smoke",
            "shock",
        ],
    ),
    (
        Sensitivity::Recall,
        &["召回", "下架", "停售", "recall", "withdrawn from sale"],
    ),
    (
        Sensitivity::Litigation,
        &[
            "起诉",
            "诉讼",
            "官司",
            "律师函",
            "索赔",
            "集体诉讼",
            "lawsuit",
            "sued",
            "sues",
            "class action",
        ],
    ),
    (
        Sensitivity::Regulator,
        &[
            "约谈",
            "立案",
            "处罚",
            "罚款",
            "监管部门",
            "市场监管",
            "市场监督管理",
            "消费者协会",
            "消协",
            "regulator",
            "fined",
            "investigation",
            "probe",
        ],
    ),
    (
        Sensitivity::DataLeak,
        &[
            "泄露",
            "数据泄漏",
            "隐私",
            "黑客",
            "窃取",
            "data leak",
            "breach",
            "hacked",
            "privacy",
        ],
    ),
    (
        Sensitivity::Labour,
        &[
            "欠薪",
            "裁员",
            "罢工",
            "过劳",
            "996",
            "layoff",
            "strike",
            "unpaid wage",
        ],
    ),
    (
        Sensitivity::Discrimination,
        &[
            "歧视",
            "辱华",
            "性别歧视",
            "种族",
            "discriminat",
            "racis",
            "sexis",
        ],
    ),
];

/// Central and state media and regulators, by author name.
pub const AUTHORITY_AUTHORS: &[&str] = &[
    "人民日报",
    "新华社",
    "新华网",
    "央视新闻",
    "中央电视台",
    "cctv",
    "中国新闻网",
    "中新网",
    "光明日报",
    "经济日报",
    "中国日报",
    "环球时报",
    "澎湃新闻",
    "市场监管总局",
    "国家市场监督管理总局",
    "中国消费者协会",
    "工信部",
    "工业和信息化部",
    "网信办",
];

/// The same, by site (and its sub-domains).
pub const AUTHORITY_SITES: &[&str] = &[
    "people.com.cn",
    "xinhuanet.com",
    "news.cn",
    "cctv.com",
    "chinanews.com.cn",
    "gmw.cn",
    "ce.cn",
    "chinadaily.com.cn",
    "huanqiu.com",
    "thepaper.cn",
    "samr.gov.cn",
    "cca.org.cn",
    "miit.gov.cn",
    "cac.gov.cn",
];

/// Decides authority and sensitivity of documents.
#[derive(Debug)]
pub struct Classifier {
    keywords: AhoCorasick,
    classes: Vec<Sensitivity>,
    authors: Vec<String>,
    sites: Vec<String>,
    /// Verified accounts with at least this many followers count as authority.
    pub verified_followers: u64,
}

/// Additions to the built-in lists (the `[signals]` section of the
/// configuration).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SignalSettings {
    /// Authors that count as central media or regulators, besides
    /// [`AUTHORITY_AUTHORS`].
    pub authority_authors: Vec<String>,
    /// Sites (and their sub-domains) that do, besides [`AUTHORITY_SITES`].
    pub authority_sites: Vec<String>,
    /// Verified accounts with at least this many followers count as
    /// authority (default 1,000,000).
    pub verified_followers: Option<u64>,
    /// More sensitivity keywords per class: `safety = ["…"]`.
    pub keywords: BTreeMap<Sensitivity, Vec<String>>,
}

impl Default for Classifier {
    fn default() -> Self {
        Classifier::with(&SignalSettings::default())
    }
}

impl Classifier {
    /// The built-in lists with `settings` added.
    pub fn with(settings: &SignalSettings) -> Classifier {
        let mut patterns = Vec::new();
        let mut classes = Vec::new();
        let extra = settings
            .keywords
            .iter()
            .flat_map(|(class, words)| words.iter().map(move |word| (*class, word.as_str())));
        let built_in = SENSITIVITY_KEYWORDS
            .iter()
            .flat_map(|(class, words)| words.iter().map(move |word| (*class, *word)));
        for (class, word) in built_in.chain(extra) {
            let folded = NormalizedText::new(word).folded;
            if !folded.trim().is_empty() {
                patterns.push(folded);
                classes.push(class);
            }
        }
        let authors = AUTHORITY_AUTHORS
            .iter()
            .copied()
            .chain(settings.authority_authors.iter().map(String::as_str))
            .map(|author| NormalizedText::new(author.trim_start_matches('@')).folded)
            .collect();
        let sites = AUTHORITY_SITES
            .iter()
            .copied()
            .chain(settings.authority_sites.iter().map(String::as_str))
            .map(|site| site.trim().to_lowercase())
            .collect();
        Classifier {
            // a DFA: the scan runs over every document's full text
            keywords: AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(&patterns)
                .expect("keyword patterns build"),
            classes,
            authors,
            sites,
            verified_followers: settings.verified_followers.unwrap_or(1_000_000),
        }
    }

    /// The sensitivity classes a document's title and body touch.
    pub fn sensitivity(&self, document: &Document) -> Vec<Sensitivity> {
        let title = NormalizedText::new(&document.title);
        let body = NormalizedText::new(&document.body);
        self.sensitivity_of(&[&title, &body])
    }

    /// The same for fields normalised already (the pipeline's).
    pub fn sensitivity_of(&self, fields: &[&NormalizedText]) -> Vec<Sensitivity> {
        let mut found: Vec<Sensitivity> = Vec::new();
        for hit in fields
            .iter()
            .flat_map(|field| self.keywords.find_overlapping_iter(field.folded.as_str()))
        {
            let class = self.classes[hit.pattern().as_usize()];
            if !found.contains(&class) {
                found.push(class);
            }
        }
        found
    }

    /// Central or state media, a regulator, or a large verified account.
    pub fn authority(&self, document: &Document) -> bool {
        self.large_verified(document) || self.central_media(document)
    }

    /// A verified account at or above the follower threshold.
    pub fn large_verified(&self, document: &Document) -> bool {
        document.verified && document.followers >= self.verified_followers
    }

    /// Central or state media or a regulator, by author or site.
    pub fn central_media(&self, document: &Document) -> bool {
        let author = NormalizedText::new(document.author.trim_start_matches('@')).folded;
        if !author.is_empty() && self.authors.contains(&author) {
            return true;
        }
        let site = document.effective_site();
        self.sites
            .iter()
            .any(|known| site == *known || site.ends_with(&format!(".{known}")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(author: &str, url: &str, body: &str) -> Document {
        Document {
            author: author.to_string(),
            url: url.to_string(),
            body: body.to_string(),
            ..Document::default()
        }
    }

    #[test]
    fn authority_is_central_media_regulators_and_large_verified_accounts() {
        let classifier = Classifier::default();
        assert!(classifier.authority(&document("@人民日报", "", "")));
        assert!(classifier.authority(&document("", "https://finance.people.com.cn/n1/x.html", "")));
        assert!(classifier.authority(&document("市场监管总局", "", "")));
        assert!(!classifier.authority(&document("人民日报粉丝", "https://notpeople.com.cn/", "")));
        let mut verified = document("数码博主", "", "");
        verified.verified = true;
        verified.followers = 2_000_000;
        assert!(classifier.authority(&verified));
        verified.followers = 20_000;
        assert!(!classifier.authority(&verified));
    }

    #[test]
    fn settings_add_authorities_and_keywords() {
        let mut keywords = BTreeMap::new();
        keywords.insert(Sensitivity::Safety, vec!["断电".to_string()]);
        let classifier = Classifier::with(&SignalSettings {
            authority_authors: vec!["@财经杂志".to_string()],
            authority_sites: vec!["caixin.com".to_string()],
            verified_followers: Some(10_000),
            keywords,
        });
        assert!(classifier.authority(&document("财经杂志", "", "")));
        assert!(classifier.authority(&document("", "https://www.caixin.com/a", "")));
        assert!(
            classifier.authority(&document("人民日报", "", "")),
            "built-ins stay"
        );
        assert_eq!(
            classifier.sensitivity(&document("", "", "突然斷電")),
            [Sensitivity::Safety]
        );
    }

    #[test]
    fn sensitivity_classes_in_chinese_traditional_and_english() {
        let classifier = Classifier::default();
        let classes = |body: &str| classifier.sensitivity(&document("", "", body));
        assert_eq!(
            classes("手機充電時電池過熱起火，廠家宣布召回"),
            [Sensitivity::Safety, Sensitivity::Recall]
        );
        assert_eq!(
            classes("Regulator opens a PROBE after the data breach"),
            [Sensitivity::Regulator, Sensitivity::DataLeak]
        );
        assert_eq!(
            classes("员工因欠薪起诉公司"),
            [Sensitivity::Labour, Sensitivity::Litigation]
        );
        assert!(classes("新品发布会圆满成功").is_empty());
    }
}

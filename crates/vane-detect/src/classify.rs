//! What makes a mention weigh more in a warning: who said it (authority)
//! and what it is about (sensitivity classes). Both lists are configurable;
//! the defaults are the ones a Chinese consumer-brand PR team starts from.

use aho_corasick::AhoCorasick;
use serde::Serialize;
use vane_model::Document;
use vane_text::NormalizedText;

/// The sensitivity classes of DESIGN §6.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
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

impl Default for Classifier {
    fn default() -> Self {
        Classifier::new(
            SENSITIVITY_KEYWORDS,
            AUTHORITY_AUTHORS,
            AUTHORITY_SITES,
            1_000_000,
        )
    }
}

impl Classifier {
    pub fn new(
        keywords: &[(Sensitivity, &[&str])],
        authors: &[&str],
        sites: &[&str],
        verified_followers: u64,
    ) -> Classifier {
        let mut patterns = Vec::new();
        let mut classes = Vec::new();
        for (class, words) in keywords {
            for word in *words {
                patterns.push(NormalizedText::new(word).folded);
                classes.push(*class);
            }
        }
        Classifier {
            keywords: AhoCorasick::new(&patterns).expect("keyword patterns build"),
            classes,
            authors: authors
                .iter()
                .map(|author| NormalizedText::new(author).folded)
                .collect(),
            sites: sites.iter().map(|site| site.to_lowercase()).collect(),
            verified_followers,
        }
    }

    /// The sensitivity classes a document's title and body touch.
    pub fn sensitivity(&self, document: &Document) -> Vec<Sensitivity> {
        let text = NormalizedText::new(&format!("{}\n{}", document.title, document.body)).folded;
        let mut found: Vec<Sensitivity> = Vec::new();
        for hit in self.keywords.find_overlapping_iter(&text) {
            let class = self.classes[hit.pattern().as_usize()];
            if !found.contains(&class) {
                found.push(class);
            }
        }
        found
    }

    /// Central or state media, a regulator, or a large verified account.
    pub fn authority(&self, document: &Document) -> bool {
        (document.verified && document.followers >= self.verified_followers)
            || self.central_media(document)
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

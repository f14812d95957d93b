//! Deterministic benchmark material from the real texts in
//! `../shared/data/news`: ~2 KB documents cut from People's Daily and the
//! Lee corpus, and monitoring topics of the shapes PR teams write (OR lists
//! of brand and product names in Chinese and English, NEAR pairs,
//! exclusions, field filters).

use std::collections::HashMap;
use std::path::Path;

use anyhow::{Context, Result};
use vane_model::{Channel, Document, DocumentId, TopicId};
use vane_text::Seeded;

/// The texts the material is cut from.
pub(crate) struct Corpus {
    chinese_paragraphs: Vec<String>,
    english_sentences: Vec<String>,
}

impl Corpus {
    pub(crate) fn load(data_dir: &Path) -> Result<Corpus> {
        let chinese_path = data_dir.join("news/zh/peoples_daily_199801.txt");
        let english_path = data_dir.join("news/en/lee_background.cor");
        let chinese = std::fs::read_to_string(&chinese_path)
            .with_context(|| format!("cannot read {}", chinese_path.display()))?;
        let english = std::fs::read_to_string(&english_path)
            .with_context(|| format!("cannot read {}", english_path.display()))?;
        let chinese_paragraphs: Vec<String> = chinese
            .lines()
            .map(str::trim)
            .filter(|line| !line.is_empty())
            .map(String::from)
            .collect();
        let english_sentences: Vec<String> = english
            .lines()
            .flat_map(|article| article.split_inclusive(". "))
            .map(str::trim)
            .filter(|sentence| !sentence.is_empty())
            .map(String::from)
            .collect();
        anyhow::ensure!(
            chinese_paragraphs.len() > 100 && english_sentences.len() > 100,
            "the corpus in {} is too small",
            data_dir.display()
        );
        Ok(Corpus {
            chinese_paragraphs,
            english_sentences,
        })
    }
}

const SITES: &[&str] = &[
    "people.com.cn",
    "news.people.com.cn",
    "xinhuanet.com",
    "news.sina.com.cn",
    "weibo.com",
    "mp.weixin.qq.com",
    "douyin.com",
    "zhihu.com",
    "abc.net.au",
    "www.abc.net.au",
    "reuters.com",
    "mi.com",
    "news.mi.com",
    "huawei.com",
];
const AUTHORS: &[&str] = &[
    "人民日报",
    "新华社",
    "央视新闻",
    "ABC News",
    "Reuters",
    "雷军",
    "数码博主",
    "科技评论员",
    "John Smith",
    "张三",
];
const REGIONS: &[&str] = &["广东", "北京", "上海", "浙江", "NSW", "Victoria"];
const TARGET_BYTES: usize = 2048;

/// `count` documents of about 2 KB, two Chinese to one English.
pub(crate) fn documents(corpus: &Corpus, count: usize, seed: u64) -> Vec<Document> {
    let mut random = Seeded::new(seed);
    (0..count)
        .map(|index| {
            let chinese = index % 3 != 2;
            let (pieces, separator) = if chinese {
                (&corpus.chinese_paragraphs, "\n")
            } else {
                (&corpus.english_sentences, " ")
            };
            let start = random.below(pieces.len());
            let title: String = pieces[start]
                .chars()
                .take(if chinese { 30 } else { 120 })
                .collect();
            let mut body = String::with_capacity(TARGET_BYTES + 512);
            let mut at = start + 1;
            while body.len() < TARGET_BYTES {
                if !body.is_empty() {
                    body.push_str(separator);
                }
                body.push_str(&pieces[at % pieces.len()]);
                at += 1;
            }
            let cut = (0..=TARGET_BYTES.min(body.len()))
                .rev()
                .find(|&byte| body.is_char_boundary(byte))
                .unwrap_or(0);
            body.truncate(cut);
            let site = random.pick(SITES);
            Document {
                id: DocumentId::new(format!("doc-{index}")),
                title,
                body,
                url: format!(
                    "https://{site}/{}/{index}.html",
                    if random.chance(60) { "news" } else { "a" }
                ),
                author: random.pick(AUTHORS).to_string(),
                lang: if chinese { "zh" } else { "en" }.to_string(),
                country: if chinese { "cn" } else { "au" }.to_string(),
                region: random.pick(REGIONS).to_string(),
                channel: Some(*random.pick(&[
                    Channel::News,
                    Channel::News,
                    Channel::Weibo,
                    Channel::Wechat,
                    Channel::Douyin,
                    Channel::Forum,
                    Channel::X,
                ])),
                verified: random.chance(20),
                repost: random.chance(35),
                followers: *random.pick(&[0, 120, 3_000, 50_000, 2_000_000]),
                likes: random.below(5_000) as u64,
                comments: random.below(800) as u64,
                shares: random.below(1_500) as u64,
                views: random.below(200_000) as u64,
                published_at: Some(format!(
                    "2026-11-{:02}T{:02}:{:02}:00+08:00",
                    1 + index % 28,
                    index % 24,
                    index % 60
                )),
                ..Document::default()
            }
        })
        .collect()
}

const BRANDS_ZH: &[&str] = &[
    "小米",
    "红米",
    "华为",
    "荣耀",
    "苹果",
    "三星",
    "联想",
    "海尔",
    "格力",
    "美的",
    "比亚迪",
    "蔚来",
    "理想汽车",
    "小鹏",
    "吉利",
    "长城汽车",
    "海信",
    "长虹",
    "中兴",
    "大疆",
    "京东",
    "阿里巴巴",
    "腾讯",
    "百度",
    "网易",
    "字节跳动",
    "抖音",
    "快手",
    "美团",
    "拼多多",
    "宁德时代",
    "茅台",
    "伊利",
    "蒙牛",
    "中国移动",
    "中国联通",
    "中国电信",
    "一汽",
    "上汽",
    "东风",
];
const BRANDS_EN: &[&str] = &[
    "Xiaomi",
    "Redmi",
    "Huawei",
    "Honor",
    "Apple",
    "iPhone",
    "Samsung",
    "Galaxy",
    "Lenovo",
    "Sony",
    "Google",
    "Pixel",
    "Microsoft",
    "Intel",
    "Nvidia",
    "Tesla",
    "BYD",
    "Nio",
    "Toyota",
    "Qantas",
    "Telstra",
    "Woolworths",
    "Optus",
    "Holden",
];
const PRODUCTS: &[&str] = &[
    "14", "SU7", "Pro", "Ultra", "Note 13", "Mate 60", "P70", "S24", "Model 3", "MIX",
];
const ISSUES_ZH: &[&str] = &[
    "召回", "自燃", "起火", "事故", "投诉", "质量", "故障", "维权", "爆炸", "降价", "发布", "上市",
    "销量", "裁员", "罚款", "起诉", "泄露", "断供", "涨价", "停产",
];
const ISSUES_EN: &[&str] = &[
    "recall",
    "fire",
    "crash",
    "lawsuit",
    "complaint",
    "price",
    "launch",
    "sales",
    "fine",
    "leak",
    "strike",
    "outage",
    "battery",
    "explosion",
    "ban",
    "probe",
];

/// Words of the corpus itself, so that topics also hit the documents.
struct Vocabulary {
    han: Vec<String>,
    words: Vec<String>,
}

fn vocabulary(corpus: &Corpus) -> Vocabulary {
    let mut han: HashMap<String, usize> = HashMap::new();
    for paragraph in corpus.chinese_paragraphs.iter().step_by(3) {
        let chars: Vec<char> = paragraph.chars().collect();
        for pair in chars.windows(2) {
            if pair.iter().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)) {
                *han.entry(pair.iter().collect()).or_default() += 1;
            }
        }
    }
    let mut words: HashMap<String, usize> = HashMap::new();
    for sentence in &corpus.english_sentences {
        for word in sentence
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|word| word.len() >= 4)
        {
            *words.entry(word.to_lowercase()).or_default() += 1;
        }
    }
    // skip the most frequent: monitoring terms are names and issues, not function words
    let ranked = |counts: HashMap<String, usize>, skip: usize, take: usize| {
        let mut entries: Vec<(String, usize)> = counts.into_iter().collect();
        entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        entries
            .into_iter()
            .skip(skip)
            .take(take)
            .map(|(text, _)| text)
            .collect::<Vec<_>>()
    };
    // names and issues are mid-frequency words, not the commonest ones
    Vocabulary {
        han: ranked(han, 500, 5000),
        words: ranked(words, 200, 2000),
    }
}

/// `count` topics of the shapes PR teams write.
pub(crate) fn topics(corpus: &Corpus, count: usize, seed: u64) -> Vec<(TopicId, String)> {
    let vocabulary = vocabulary(corpus);
    let mut random = Seeded::new(seed);
    (0..count)
        .map(|index| {
            (
                TopicId::new(format!("topic-{index}")),
                topic(&vocabulary, &mut random),
            )
        })
        .collect()
}

/// A brand or product name. Most come from the brand lists, which these
/// 1998 texts rarely mention (as in real streams, where most documents
/// mention none of a team's brands); one in five is a name-like word of the
/// corpus, so that topics do match and verification is exercised.
fn name(vocabulary: &Vocabulary, random: &mut Seeded) -> String {
    match random.below(10) {
        0..=3 => random.pick(BRANDS_ZH).to_string(),
        4..=5 => random.pick(BRANDS_EN).to_lowercase(),
        6..=7 => format!(
            "\"{} {}\"",
            random.pick(BRANDS_EN).to_lowercase(),
            random.pick(PRODUCTS).to_lowercase()
        ),
        8 => random.pick(&vocabulary.han).clone(),
        _ => random.pick(&vocabulary.words).clone(),
    }
}

fn issue(vocabulary: &Vocabulary, random: &mut Seeded) -> String {
    match random.below(10) {
        0..=4 => random.pick(ISSUES_ZH).to_string(),
        5..=7 => random.pick(ISSUES_EN).to_string(),
        8 => random.pick(&vocabulary.han).clone(),
        _ => random.pick(&vocabulary.words).clone(),
    }
}

fn or_list(
    random: &mut Seeded,
    low: usize,
    high: usize,
    mut item: impl FnMut(&mut Seeded) -> String,
) -> String {
    let count = low + random.below(high - low + 1);
    let items: Vec<String> = (0..count).map(|_| item(random)).collect();
    if items.len() == 1 {
        items.into_iter().next().unwrap_or_default()
    } else {
        format!("({})", items.join(" OR "))
    }
}

fn topic(vocabulary: &Vocabulary, random: &mut Seeded) -> String {
    match random.below(8) {
        0 | 1 => format!(
            "{} AND {} NOT site:{}",
            or_list(random, 2, 8, |random| name(vocabulary, random)),
            or_list(random, 2, 6, |random| issue(vocabulary, random)),
            random.pick(SITES)
        ),
        2 => format!(
            "{} NEAR/{} {}",
            or_list(random, 1, 4, |random| name(vocabulary, random)),
            5 + random.below(11),
            or_list(random, 1, 4, |random| issue(vocabulary, random))
        ),
        3 => format!(
            "title:{} AND channel:({} OR {}) AND followers:[{} TO *]",
            or_list(random, 2, 4, |random| name(vocabulary, random)),
            random.pick(&["news", "weibo"]),
            random.pick(&["wechat", "douyin", "x"]),
            random.pick(&[1_000, 10_000, 100_000])
        ),
        4 => {
            let brand = random.pick(BRANDS_EN);
            format!(
                "{{{}}} OR {{{}}} OR {}",
                brand,
                brand.to_uppercase(),
                random.pick(BRANDS_ZH)
            )
        }
        5 => format!(
            "\"{} {}\"~3 AND lang:{} AND -repost:true",
            random.pick(BRANDS_EN).to_lowercase(),
            random.pick(&vocabulary.words),
            random.pick(&["en", "zh"])
        ),
        6 => format!(
            "{} AND NOT {}",
            or_list(random, 1, 5, |random| name(vocabulary, random)),
            or_list(random, 1, 3, |random| issue(vocabulary, random))
        ),
        _ => {
            let word = random.pick(&vocabulary.words);
            format!(
                "({}* OR {}) AND {}",
                &word[..4.min(word.len())],
                name(vocabulary, random),
                issue(vocabulary, random)
            )
        }
    }
}

//! Decoding and article extraction on pages shaped like real Chinese and
//! English news sites: navigation, breadcrumbs, share buttons, related
//! links, comment widgets and footers around the article.

use vane_text::{decode, extract_article};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(name),
    )
    .unwrap()
}

#[test]
fn chinese_news_page_in_gbk_reduces_to_its_article() {
    // the fixture is stored as UTF-8 and served here as GBK, as it declares
    let utf8 = String::from_utf8(fixture("news_zh.html")).unwrap();
    let (gbk, _, unmappable) = encoding_rs::GBK.encode(&utf8);
    assert!(!unmappable);
    let decoded = decode(&gbk, Some("text/html"));
    assert_eq!(decoded.encoding, "GBK");
    let article = extract_article(&decoded.text);
    assert_eq!(article.title, "小米汽车召回部分SU7车辆");
    assert_eq!(article.author.as_deref(), Some("记者 王小明"));
    assert_eq!(
        article.published.as_deref(),
        Some("2026-11-20T09:30:00+08:00")
    );
    let text = article.text();
    assert_eq!(article.paragraphs.len(), 3, "{:#?}", article.paragraphs);
    assert!(text.starts_with("11月20日，小米汽车宣布召回"), "{text}");
    assert!(
        text.contains("“收到通知后已经预约了升级，希望问题尽快解决。”"),
        "{text}"
    );
    for boilerplate in [
        "首页",
        "新浪首页",
        "分享到微博",
        "相关新闻",
        "雷军回应",
        "网友甲",
        "发表评论",
        "Copyright",
        "广告脚本",
        "color: red",
    ] {
        assert!(
            !text.contains(boilerplate),
            "{boilerplate} leaked into {text}"
        );
    }
}

#[test]
fn english_news_page_reduces_to_its_article() {
    let decoded = decode(&fixture("news_en.html"), None);
    let article = extract_article(&decoded.text);
    assert_eq!(article.title, "Xiaomi recalls SU7 cars over brake software");
    assert_eq!(
        article.author.as_deref(),
        Some("Jane Doe, Technology reporter")
    );
    assert_eq!(article.published.as_deref(), Some("2026-11-20T02:00:00Z"));
    let text = article.text();
    assert!(
        text.contains("free over-the-air update & that no injuries"),
        "{text}"
    );
    assert!(text.contains("Analysts said the recall"), "{text}");
    for boilerplate in [
        "Home",
        "Business",
        "Related stories",
        "Xiaomi profits soar",
        "Great reporting",
        "I love my SU7",
        "All rights reserved",
        "Privacy",
    ] {
        assert!(
            !text.contains(boilerplate),
            "{boilerplate} leaked into {text}"
        );
    }
}

#[test]
fn broken_html_never_panics_and_keeps_what_text_there_is() {
    for html in [
        "",
        "<",
        "<p>unclosed",
        "text only",
        "<div><p>a</div></p>",
        "<script>never closed",
        "&#xZZ; &#99999999; &amp",
        "<meta content=>",
        "<a href='x'",
        "&中文没有分号的实体&amp",
        "<p class=\"作者\">作者：张三</p>",
    ] {
        let article = extract_article(html);
        let _ = article.text();
    }
    assert_eq!(
        extract_article("<p>Hello &amp; welcome</p>").paragraphs,
        ["Hello & welcome"]
    );
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 3000, ..Default::default() })]

    /// Any bytes at all decode, and any text extracts, without a panic.
    #[test]
    fn any_page_decodes_and_extracts(bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300), text in "[<>/a-z=\"' &;#x0-9中文。，\\-!]{0,200}") {
        let decoded = decode(&bytes, Some("text/html; charset=gbk"));
        let _ = extract_article(&decoded.text);
        let article = extract_article(&text);
        proptest::prop_assert!(article.paragraphs.iter().all(|paragraph| !paragraph.is_empty()));
    }
}

/// Records of a CSV file: quoted fields may hold commas, newlines and
/// doubled quotes.
fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.trim_start_matches('\u{feff}').chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => quoted = true,
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\n') => {
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    if !field.is_empty() || !record.is_empty() {
        record.push(field);
        records.push(record);
    }
    records
}

/// The probability that a reused answer scores above an original one.
fn area_under_curve(scores: &[(f32, bool)]) -> f64 {
    let positives: Vec<f32> = scores
        .iter()
        .filter(|(_, reused)| *reused)
        .map(|(score, _)| *score)
        .collect();
    let negatives: Vec<f32> = scores
        .iter()
        .filter(|(_, reused)| !*reused)
        .map(|(score, _)| *score)
        .collect();
    let mut wins = 0.0;
    for p in &positives {
        for n in &negatives {
            wins += if p > n {
                1.0
            } else if p == n {
                0.5
            } else {
                0.0
            };
        }
    }
    wins / (positives.len() * negatives.len()) as f64
}

#[test]
fn fingerprints_separate_reused_answers_from_originals_in_clough_stevenson() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/neardup/en/clough_stevenson.csv");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} is missing", path.display()));
    let records = csv_records(&text);
    assert_eq!(records.len(), 95);
    let mut resemblance = Vec::new();
    let mut containment = Vec::new();
    for record in &records {
        let [answer, source, label] = record.as_slice() else {
            panic!("{record:?}")
        };
        let reused = label.trim() != "0";
        let (answer, source) = (
            vane_text::Fingerprint::of(answer),
            vane_text::Fingerprint::of(source),
        );
        resemblance.push((answer.resemblance(&source), reused));
        containment.push((answer.containment(&source), reused));
    }
    let auc_resemblance = area_under_curve(&resemblance);
    let auc_containment = area_under_curve(&containment);
    // the threshold that best separates them (Youden's J), for the record
    let mut best = (0.0f32, 0.0f64);
    for &(threshold, _) in &containment {
        let positives = containment.iter().filter(|(_, reused)| *reused).count() as f64;
        let negatives = containment.len() as f64 - positives;
        let hits = containment
            .iter()
            .filter(|(score, reused)| *reused && *score >= threshold)
            .count() as f64;
        let false_alarms = containment
            .iter()
            .filter(|(score, reused)| !*reused && *score >= threshold)
            .count() as f64;
        let j = hits / positives - false_alarms / negatives;
        if j > best.1 {
            best = (threshold, j);
        }
    }
    eprintln!(
        "clough-stevenson: AUC resemblance {auc_resemblance:.4}, containment {auc_containment:.4}; best containment threshold {:.3} (Youden J {:.3})",
        best.0, best.1
    );
    assert!(auc_resemblance >= 0.95, "{auc_resemblance}");
    assert!(auc_containment >= 0.95, "{auc_containment}");
}

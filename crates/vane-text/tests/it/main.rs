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

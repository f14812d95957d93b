//! QUERY-LANGUAGE.md section by section: every row of every table with a
//! matching and a non-matching example, and the precise rules of §12.

use vane_model::{Channel, Document, DocumentId, TextField};

use crate::{body, check, check_documents, hits};

fn titled(title: &str, text: &str) -> Document {
    Document {
        id: DocumentId::new("d"),
        title: title.to_string(),
        body: text.to_string(),
        ..Document::default()
    }
}

fn with(update: impl FnOnce(&mut Document)) -> Document {
    let mut document = body("小米 xiaomi");
    update(&mut document);
    document
}

// §2 Normalisation and tokens

#[test]
fn normalisation_folds_width_case_and_traditional_characters() {
    check("小米", &[("ＸＩＡＯＭＩ 小米汽车", true), ("小麦", false)]);
    check("舆情", &[("輿情監測", true), ("舆论", false)]);
    check("發佈會", &[("发布会", true), ("发言会", false)]);
    check(
        "xiaomi",
        &[("XIAOMI", true), ("ｘｉａｏｍｉ", true), ("xiaomo", false)],
    );
    check("ＳＵ７", &[("su7", true), ("su8", false)]);
}

#[test]
fn accents_unaccented_terms_match_both_accented_terms_only_accented() {
    check(
        "cafe",
        &[("un café noir", true), ("a cafe", true), ("a cafes", false)],
    );
    check("café", &[("un café noir", true), ("a cafe", false)]);
    check(
        "\"são paulo\"",
        &[
            ("São Paulo", true),
            ("são paulo", true),
            ("Sao Paulo", false),
            ("são paulò", true),
        ],
    );
    // a decomposed accent in the text is the same accent
    check("café", &[("cafe\u{301}", true)]);
}

#[test]
fn han_characters_match_as_substrings_words_match_whole() {
    check(
        "小米",
        &[
            ("小米汽车", true),
            ("大小米粒", true),
            ("小 米", false),
            ("小，米", false),
        ],
    );
    check(
        "apple",
        &[
            ("an apple a day", true),
            ("pineapple", false),
            ("apples", false),
            ("Apple-Music", true),
        ],
    );
    check("su7", &[("小米SU7发布会", true), ("su77", false)]);
}

#[test]
fn separators_between_han_tokens_only_where_the_query_has_them() {
    check(
        "\"小米 汽车\"",
        &[
            ("小米汽车", true),
            ("小米 汽车", true),
            ("小米，汽车", true),
            ("小米的汽车", false),
        ],
    );
    check(
        "\"redmi note\"",
        &[
            ("Redmi-Note 13", true),
            ("redmi  note", true),
            ("redmi k70 note", false),
        ],
    );
    check(
        "澎湃OS",
        &[("澎湃 OS", true), ("澎湃OS", true), ("澎湃 系统 OS", false)],
    );
}

#[test]
fn kana_and_hangul_follow_their_token_rules() {
    check("ソニー", &[("新型ソニーの製品", true), ("ソニ", false)]);
    check("삼성", &[("삼성 갤럭시", true), ("삼성전자", false)]);
}

// §3 Terms

#[test]
fn terms_words_runs_phrases_and_wildcards() {
    check("xiaomi", &[("Xiaomi announced", true), ("xiaomis", false)]);
    check("小米", &[("小米发布", true), ("米小", false)]);
    check(
        "\"redmi note 13\"",
        &[("the Redmi Note 13 Pro", true), ("redmi note 12", false)],
    );
    check(
        "“redmi note 13”",
        &[("redmi note 13", true), ("note 13 redmi", false)],
    );
    check(
        "xiao*",
        &[
            ("xiao", true),
            ("XiaoMi", true),
            ("xia", false),
            ("dexiaomi", false),
        ],
    );
    check(
        "colo?r",
        &[
            ("colour", true),
            ("colr", false),
            ("color", false),
            ("colouur", false),
        ],
    );
    check(
        "\"red* note\"",
        &[
            ("redmi note", true),
            ("red note", true),
            ("blue note", false),
        ],
    );
    check(
        "xi*mi",
        &[("xiaomi", true), ("ximi", true), ("xiaomo", false)],
    );
}

// §4 Case-sensitive blocks

#[test]
fn case_sensitive_blocks_match_exact_case() {
    check(
        "{NIO}",
        &[("NIO stock", true), ("nio stock", false), ("Nio", false)],
    );
    check(
        "{Apple Music}",
        &[
            ("on Apple Music today", true),
            ("apple music", false),
            ("Apple music", false),
        ],
    );
    check("{ＮＩＯ}", &[("NIO", true)]);
    check("{蔚來}", &[("蔚来", true)]);
    check("{MIU*}", &[("MIUI 14", true), ("miui", false)]);
}

// §5 Boolean operators

#[test]
fn boolean_operators() {
    check("a AND b", &[("a b", true), ("a c", false)]);
    check("a OR b", &[("b", true), ("c", false)]);
    check("a NOT b", &[("a c", true), ("a b", false)]);
    check("a AND NOT b", &[("a c", true), ("a b", false)]);
    check("a -b", &[("a c", true), ("a b", false)]);
    check("a b", &[("b a", true), ("a", false)]);
    check("(a OR b) c", &[("b c", true), ("a b", false)]);
    check("(a OR b)-c", &[("a", true), ("a c", false)]);
    check(
        "apple and pear",
        &[("apple and pear", true), ("apple pear", false)],
    );
    check(
        "apple or pear",
        &[("apple or pear", true), ("apple", false)],
    );
    check("a AND NOT (b OR c)", &[("a d", true), ("a c", false)]);
    check("a b AND c", &[("a b c", true), ("a b", false)]);
    check("channel:weibo -repost:true", &[("anything", false)]);
}

// §6 Proximity

#[test]
fn near_counts_tokens_between_hits_in_either_order() {
    // exactly 5 tokens between: matches; 6: does not
    check(
        "a NEAR/5 b",
        &[
            ("a x x x x x b", true),
            ("a x x x x x x b", false),
            ("b x x x x x a", true),
        ],
    );
    check(
        "a NEAR b",
        &[("a x x x x x b", true), ("a x x x x x x b", false)],
    );
    check(
        "a NEAR/0 b",
        &[("a b", true), ("b a", true), ("a x b", false)],
    );
}

#[test]
fn ordered_near_needs_the_left_term_first() {
    check("a NEAR/5f b", &[("a x b", true), ("b x a", false)]);
    check("a ONEAR/5 b", &[("a x b", true), ("b x a", false)]);
    check("a ONEAR/1 b", &[("a x b", true), ("a x x b", false)]);
}

#[test]
fn near_counts_han_characters_as_tokens() {
    check(
        "小米 NEAR/10 召回",
        &[
            ("小米汽车今日宣布部分车辆召回", true),
            ("小米公司的汽车业务部门今天正式宣布召回", false),
        ],
    );
    check(
        "(小米汽车 OR \"xiaomi su7\" OR su7) NEAR/10 (事故 OR 刹车 OR 失控)",
        &[
            ("xiaomi su7 发生事故", true),
            ("su7 在高速上因为某种未知原因而导致了严重的交通事故", false),
        ],
    );
    check(
        "(a OR b) NEAR/3 (c OR d)",
        &[("b x x x d", true), ("b x x x x d", false), ("a c", true)],
    );
}

#[test]
fn near_never_spans_two_fields() {
    check_documents(
        "a NEAR/5 b",
        &[(titled("a", "b"), false), (titled("a b", ""), true)],
    );
}

#[test]
fn slop_phrases_match_in_any_order_within_the_window() {
    check(
        "\"xiaomi 14\"~3",
        &[
            ("14 pro from xiaomi", true),
            ("xiaomi launches the new 14", true),
            ("xiaomi a b c d 14", false),
        ],
    );
    check("\"a b c\"~0", &[("c b a", true), ("a b x c", false)]);
    check(
        "\"a a b\"~1",
        &[("a b a", true), ("a b x", false), ("a x a b", true)],
    );
    check("\"a\"~4", &[("a", true), ("b", false)]);
    // the specification's row: all of a b c within a window of 3 + 4 = 7
    check(
        "\"a b c\"~4",
        &[
            ("c x x x x b a", true),
            ("c x x x x x b a", false),
            ("a x x x x x x c b", false),
        ],
    );
}

// §7 Field operators

#[test]
fn title_and_body_scopes() {
    check_documents(
        "title:小米",
        &[
            (titled("小米发布", "无关"), true),
            (titled("无关", "小米发布"), false),
        ],
    );
    check_documents(
        "title:\"lei jun\"",
        &[
            (titled("Lei Jun speaks", ""), true),
            (titled("lei", "jun"), false),
        ],
    );
    check_documents(
        "title:(a OR b)",
        &[(titled("b", ""), true), (titled("c", "a"), false)],
    );
    check_documents(
        "body:xiaomi",
        &[(titled("", "xiaomi"), true), (titled("xiaomi", ""), false)],
    );
    check_documents(
        "title:{NIO}",
        &[(titled("NIO", ""), true), (titled("nio", "NIO"), false)],
    );
}

#[test]
fn site_matches_the_host_and_its_sub_domains() {
    let at = |url: &str| with(|document| document.url = url.to_string());
    check_documents(
        "xiaomi site:mi.com",
        &[
            (at("https://mi.com/a"), true),
            (at("https://www.mi.com/a"), true),
            (at("https://news.mi.com/a"), true),
            (at("https://xiaomi.com/a"), false),
            (at("https://mi.com.cn/a"), false),
        ],
    );
    check_documents(
        "xiaomi site:news.mi.com",
        &[
            (at("https://news.mi.com/"), true),
            (at("https://mi.com/"), false),
        ],
    );
    check_documents(
        "xiaomi",
        &[(with(|document| document.site = "WWW.Mi.com".into()), true)],
    );
    check_documents(
        "site:mi.com",
        &[(with(|document| document.site = "WWW.Mi.com".into()), true)],
    );
}

#[test]
fn url_matches_a_case_insensitive_substring() {
    let at = |url: &str| with(|document| document.url = url.to_string());
    check_documents(
        "xiaomi url:/news/",
        &[
            (at("https://a.com/NEWS/1"), true),
            (at("https://a.com/blog/1"), false),
        ],
    );
    check_documents(
        "url:a*b",
        &[
            (at("https://x.com/a*b"), true),
            (at("https://x.com/ab"), false),
        ],
    );
}

#[test]
fn keyword_fields_compare_after_normalisation() {
    let by = |author: &str| with(|document| document.author = author.to_string());
    check_documents(
        "author:\"人民日报\"",
        &[(by("人民日報"), true), (by("人民日报社"), false)],
    );
    // the accent rule holds for keyword values too
    check_documents(
        "author:jose",
        &[(by("José"), true), (by("Jose"), true), (by("Josep"), false)],
    );
    check_documents("author:josé", &[(by("JOSÉ"), true), (by("Jose"), false)]);
    check_documents(
        "author:xinhua",
        &[(by("XINHUA"), true), (by("xinhua net"), false)],
    );
    let lang = |code: &str| with(|document| document.lang = code.to_string());
    check_documents(
        "xiaomi lang:zh",
        &[
            (lang("zh"), true),
            (lang("ZH-cn"), true),
            (lang("en"), false),
        ],
    );
    check_documents(
        "lang:(zh OR en)",
        &[(lang("en"), true), (lang("ja"), false)],
    );
    let country = |code: &str| with(|document| document.country = code.to_string());
    check_documents(
        "country:cn",
        &[(country("CN"), true), (country("us"), false)],
    );
    let region = |name: &str| with(|document| document.region = name.to_string());
    check_documents(
        "region:广东",
        &[(region("廣東"), true), (region("广西"), false)],
    );
    check_documents(
        "channel:weibo",
        &[
            (
                with(|document| document.channel = Some(Channel::Weibo)),
                true,
            ),
            (
                with(|document| document.channel = Some(Channel::News)),
                false,
            ),
            (body("x"), false),
        ],
    );
    check_documents(
        "channel:(news OR weibo)",
        &[
            (
                with(|document| document.channel = Some(Channel::News)),
                true,
            ),
            (
                with(|document| document.channel = Some(Channel::Wechat)),
                false,
            ),
        ],
    );
}

#[test]
fn boolean_and_numeric_metadata() {
    check_documents(
        "verified:true",
        &[
            (with(|document| document.verified = true), true),
            (body("x"), false),
        ],
    );
    check_documents(
        "repost:false",
        &[
            (body("x"), true),
            (with(|document| document.repost = true), false),
        ],
    );
    check_documents("verified:(true OR false)", &[(body("x"), true)]);
    let followers = |count: u64| with(|document| document.followers = count);
    check_documents(
        "followers:[10000 TO *]",
        &[(followers(10000), true), (followers(9999), false)],
    );
    check_documents(
        "likes:[100 TO 5000]",
        &[
            (with(|document| document.likes = 5000), true),
            (with(|document| document.likes = 5001), false),
            (with(|document| document.likes = 99), false),
        ],
    );
    check_documents(
        "views:[* TO 100]",
        &[
            (with(|document| document.views = 100), true),
            (with(|document| document.views = 101), false),
        ],
    );
    check_documents(
        "followers:1000",
        &[(followers(1000), true), (followers(1001), false)],
    );
    check_documents(
        "shares:[1 TO 2] comments:[3 TO *]",
        &[
            (
                with(|document| {
                    document.shares = 2;
                    document.comments = 3
                }),
                true,
            ),
            (with(|document| document.shares = 2), false),
        ],
    );
}

#[test]
fn field_operators_combine_with_boolean_operators() {
    let query = "(小米 OR xiaomi) AND channel:weibo AND NOT site:mi.com";
    let weibo = |url: &str| {
        with(|document| {
            document.channel = Some(Channel::Weibo);
            document.url = url.to_string();
        })
    };
    check_documents(
        query,
        &[
            (weibo("https://weibo.com/1"), true),
            (weibo("https://mi.com/1"), false),
        ],
    );
    check_documents("TITLE:小米", &[(titled("小米", ""), true)]);
}

// §8 Comments

#[test]
fn comments_are_whitespace() {
    check("a<<<x>>>b", &[("a b", true), ("ab", false)]);
    check(
        "xiaomi <<<the brand, any case>>> OR redmi",
        &[("redmi", true), ("the brand", false)],
    );
}

// §11 Examples

#[test]
fn specification_examples_parse_and_match_what_they_say() {
    let example1 = "(小米 OR xiaomi OR 红米 OR redmi) AND (召回 OR 自燃 OR 起火 OR recall OR fire) NOT site:mi.com";
    let on = |title: &str, url: &str| Document {
        url: url.to_string(),
        ..titled(title, "")
    };
    check_documents(
        example1,
        &[
            (on("红米手机起火", "https://weibo.com/1"), true),
            (on("Xiaomi issues recall", "https://news.com/1"), true),
            (on("小米手机起火", "https://www.mi.com/news"), false),
            (on("小米发布新品", "https://weibo.com/1"), false),
        ],
    );

    let example2 = "(小米汽车 OR \"xiaomi su7\" OR su7) NEAR/10 (事故 OR 刹车 OR 失控)";
    check(
        example2,
        &[
            ("小米汽车高速失控", true),
            ("SU7 brake 刹车", true),
            ("小米汽车发布会现场非常热闹观众很多也没有任何事故", false),
        ],
    );

    let example3 =
        "title:(雷军 OR \"lei jun\") AND channel:(news OR weibo) AND followers:[100000 TO *]";
    let post = |title: &str, channel: Channel, followers: u64| Document {
        channel: Some(channel),
        followers,
        ..titled(title, "")
    };
    check_documents(
        example3,
        &[
            (post("雷军发布会", Channel::Weibo, 2_000_000), true),
            (post("Lei Jun on stage", Channel::News, 100_000), true),
            (post("雷军发布会", Channel::Wechat, 2_000_000), false),
            (post("雷军发布会", Channel::Weibo, 99_999), false),
            (
                Document {
                    channel: Some(Channel::Weibo),
                    followers: 200_000,
                    ..titled("发布会", "雷军")
                },
                false,
            ),
        ],
    );

    let example4 =
        "{MIUI} OR {HyperOS} OR 澎湃OS <<<system names, case-sensitive for the Latin ones>>>";
    check(
        example4,
        &[
            ("升级MIUI 14", true),
            ("HyperOS update", true),
            ("澎湃os 发布", true),
            ("miui hyperos", false),
        ],
    );

    let example5 = "\"xiaomi 14\"~3 AND lang:en AND -repost:true";
    let english = |text: &str, repost: bool| Document {
        lang: "en".into(),
        repost,
        ..body(text)
    };
    check_documents(
        example5,
        &[
            (english("the 14 ultra by Xiaomi", false), true),
            (english("the 14 ultra by Xiaomi", true), false),
            (
                Document {
                    lang: "zh".into(),
                    ..body("xiaomi 14")
                },
                false,
            ),
        ],
    );
}

// §10 Hit spans

#[test]
fn hit_spans_are_character_offsets_in_the_original_text() {
    let document = titled("輿情：ＸＩＡＯＭＩ", "新款小米SU7发布，xiaomi");
    let found = hits("舆情 AND (xiaomi OR su7)", &document);
    let text = |field: TextField, start: u32, end: u32| -> String {
        document
            .text(field)
            .chars()
            .skip(start as usize)
            .take((end - start) as usize)
            .collect()
    };
    let shown: Vec<(TextField, String)> = found
        .iter()
        .map(|hit| (hit.field, text(hit.field, hit.start, hit.end)))
        .collect();
    assert_eq!(
        shown,
        [
            (TextField::Title, "輿情".to_string()),
            (TextField::Title, "ＸＩＡＯＭＩ".to_string()),
            (TextField::Body, "SU7".to_string()),
            (TextField::Body, "xiaomi".to_string()),
        ]
    );
    // negated terms do not hit; NEAR reports both sides
    let found = hits("a NEAR/1 b -c", &body("a x b"));
    assert_eq!(found.len(), 2);
    assert_eq!(
        (found[0].start, found[0].end, found[1].start, found[1].end),
        (0, 1, 4, 5)
    );
}

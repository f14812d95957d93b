//! Stories on a labelled syndication set generated from real text, and the
//! index's own guarantees.

mod syndication;

use vane_detect::{StoryConfig, StoryIndex};
use vane_model::Timestamp;

const ARTICLE: &str = "小米汽车宣布召回部分SU7车辆，共计约三万辆。据介绍，本次召回范围内的车辆在特定情况下可能出现制动系统软件异常，存在安全隐患。小米汽车将通过远程升级的方式免费为车主更新软件，车主无需到店。";

#[test]
fn copies_join_the_story_of_their_most_similar_earlier_copy() {
    let mut index = StoryIndex::new(StoryConfig::default());
    let first = index.add("a", ARTICLE, Timestamp(1_000));
    let copy = index.add(
        "b",
        &format!("来源：新华社\n{ARTICLE}\n责任编辑：王芳"),
        Timestamp(2_000),
    );
    let other = index.add("c", "华为今天发布了新款折叠屏手机，售价一万元起，首批用户对屏幕和续航评价很高，预计下月开始全面供货。", Timestamp(3_000));
    assert_eq!(copy.story, first.story);
    assert_eq!(copy.parent.as_deref(), Some("a"));
    assert_ne!(other.story, first.story);
    // an earlier-published copy arriving late becomes the first publisher
    let early = index.add("d", ARTICLE, Timestamp(500));
    assert_eq!(early.story, first.story);
    assert_eq!(index.first(first.story).id, "d");
}

#[test]
fn the_window_bounds_memory_and_empty_texts_stand_alone() {
    let config = StoryConfig {
        window_seconds: 3_600,
        ..StoryConfig::default()
    };
    let mut index = StoryIndex::new(config);
    index.add("a", ARTICLE, Timestamp(0));
    for number in 0..100 {
        index.add(
            &format!("n{number}"),
            &format!("第{number}条不同的新闻内容，关于完全不同的事情和地点{number}。"),
            Timestamp(10_000 + number),
        );
    }
    assert!(index.live() <= 101);
    // the old article left the index: a copy now starts a new story
    let late = index.add("z", ARTICLE, Timestamp(20_000));
    assert!(late.parent.is_none());
    assert_eq!(
        index.live(),
        1,
        "documents older than the window were evicted"
    );
    let empty_one = index.add("e1", "", Timestamp(20_001));
    let empty_two = index.add("e2", "！！！", Timestamp(20_002));
    assert_ne!(empty_one.story, empty_two.story);
}

#[test]
fn ten_clusters_of_thucnews_titles_follow_their_categories() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data/news/zh/thucnews_titles_10k.tsv");
    let text =
        std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} is missing", path.display()));
    let mut categories: Vec<String> = Vec::new();
    let (mut labels, mut titles) = (Vec::new(), Vec::new());
    for line in text.lines() {
        let Some((category, title)) = line.split_once('\t') else {
            continue;
        };
        let label = categories
            .iter()
            .position(|known| known == category)
            .unwrap_or_else(|| {
                categories.push(category.to_string());
                categories.len() - 1
            });
        labels.push(label);
        titles.push(title);
    }
    let vectorizer = vane_detect::Vectorizer::fit(titles.iter().copied());
    let vectors: Vec<_> = titles
        .iter()
        .map(|title| vectorizer.vector(title))
        .collect();
    let clusters = vane_detect::k_means(&vectors, vectorizer.dimensions(), 10, 5, 2026);
    let nmi = vane_detect::normalized_mutual_information(&clusters, &labels);
    eprintln!(
        "thucnews: {} titles, {} categories, NMI {nmi:.4}",
        titles.len(),
        categories.len()
    );
    assert_eq!(categories.len(), 10);
    assert!(nmi >= 0.40, "NMI {nmi}");
}

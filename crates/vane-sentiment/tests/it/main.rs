//! The sentiment models: accuracy on the validation split the committed
//! models never saw, behaviour on plain examples, determinism of training,
//! and the model file format.

use vane_sentiment::{
    Example, Label, Language, Reading, SentimentModel, TrainingConfig, embedded, score, split,
    train,
};

fn data(path: &str) -> std::path::PathBuf {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(path);
    assert!(
        path.exists(),
        "the sentiment tests read {}; it is missing",
        path.display()
    );
    path
}

/// Reads a labelled TSV file of `../shared/data/sentiment`.
fn examples(path: &str) -> Vec<Example> {
    let text = std::fs::read_to_string(data(path)).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split('\t').collect();
    let at = |name: &str| header.iter().position(|column| *column == name);
    let (label, text_at, source) = (at("label").unwrap(), at("text").unwrap(), at("source"));
    lines
        .map(|line| {
            let fields: Vec<&str> = line.splitn(header.len(), '\t').collect();
            Example {
                text: fields[text_at].to_string(),
                positive: fields[label] == "1",
                source: source.map_or_else(String::new, |at| fields[at].to_string()),
            }
        })
        .collect()
}

fn validation_accuracy(path: &str, language: Language) -> f64 {
    let validation = split(examples(path), TrainingConfig::for_language(language).seed).validation;
    let model = embedded(language);
    let correct = validation
        .iter()
        .filter(|example| (model.score(&example.text).score > 0.0) == example.positive)
        .count();
    correct as f64 / validation.len() as f64
}

#[test]
fn chinese_model_reaches_the_accuracy_bar_on_its_validation_split() {
    let accuracy = validation_accuracy("sentiment/zh/train.tsv", Language::Chinese);
    assert!(accuracy >= 0.87, "{accuracy}");
}

#[test]
fn english_model_reaches_the_accuracy_bar_on_its_validation_split() {
    let accuracy = validation_accuracy("sentiment/en/train.tsv", Language::English);
    assert!(accuracy >= 0.83, "{accuracy}");
}

#[test]
fn plain_opinions_are_polar_and_plain_facts_neutral() {
    for (text, label) in [
        ("这家酒店服务很好，房间干净，下次还来。", Label::Positive),
        (
            "质量太差了，用了两天就坏，客服也不理人，不推荐购买。",
            Label::Negative,
        ),
        (
            "The staff were friendly and the room was spotless. Loved it!",
            Label::Positive,
        ),
        (
            "Terrible battery, it died after a week and support never answered.",
            Label::Negative,
        ),
        (
            "国务院总理主持召开国务院常务会议，部署下一阶段工作。",
            Label::Neutral,
        ),
        (
            "The committee will meet on Tuesday to review the budget.",
            Label::Neutral,
        ),
    ] {
        let sentiment = score(text, None);
        assert_eq!(sentiment.label, label, "{text}: {sentiment:?}");
        assert!(
            (-1.0..=1.0).contains(&sentiment.score) && (0.0..=1.0).contains(&sentiment.confidence)
        );
    }
}

#[test]
fn negation_turns_english_polarity() {
    let good = score("The update is good.", Some(Language::English)).score;
    let not_good = score("The update is not good.", Some(Language::English)).score;
    assert!(not_good < good, "{not_good} vs {good}");
}

#[test]
fn language_is_guessed_from_the_script() {
    assert_eq!(Language::guess("小米发布会 SU7"), Language::Chinese);
    assert_eq!(
        Language::guess("Xiaomi launches the SU7 (小米)"),
        Language::English
    );
    assert_eq!(score("", None).label, Label::Neutral);
}

fn tiny_split() -> vane_sentiment::Split {
    let mut examples = Vec::new();
    for index in 0..200 {
        let positive = index % 2 == 0;
        let text = if positive {
            format!("很好 喜欢 推荐 {index}")
        } else {
            format!("很差 失望 退货 {index}")
        };
        examples.push(Example {
            text,
            positive,
            source: String::new(),
        });
    }
    split(examples, 7)
}

#[test]
fn training_is_deterministic_and_models_round_trip() {
    let config = TrainingConfig {
        bits: 12,
        objectivity_bits: 10,
        ..TrainingConfig::for_language(Language::Chinese)
    };
    let factual: Vec<String> = (0..2500)
        .map(|index| format!("会议于今日召开，讨论了第{index}项工作安排。"))
        .collect();
    let (first, report) = train(Language::Chinese, &tiny_split(), &factual, &config);
    let (second, _) = train(Language::Chinese, &tiny_split(), &factual, &config);
    assert_eq!(first.to_bytes(), second.to_bytes());
    assert!(report.validation_accuracy > 0.9, "{report:?}");
    let read = SentimentModel::from_bytes(&first.to_bytes()).unwrap();
    assert_eq!(read, first);
    assert!(read.score("很好，推荐").score > 0.0);
    assert!(read.score("很差，失望").score < 0.0);
}

#[test]
fn broken_model_files_are_rejected() {
    let bytes = embedded(Language::English).to_bytes();
    assert!(SentimentModel::from_bytes(&bytes[..bytes.len() - 1]).is_err());
    assert!(SentimentModel::from_bytes(b"not a model at all, really").is_err());
    let mut longer = bytes.clone();
    longer.push(0);
    assert!(SentimentModel::from_bytes(&longer).is_err());
}

#[test]
fn sentiment_around_hits_follows_the_sentences_about_the_brand() {
    let article = "今天天气很好，大家心情愉快，公园里到处是欢声笑语，孩子们玩得很开心。\
                   小米汽车发生严重事故，车主投诉刹车失灵，质量太差。\
                   晚上的音乐会非常精彩，观众赞不绝口，演出圆满成功。";
    let model = embedded(Language::Chinese);
    let brand = article.chars().position(|c| c == '小').unwrap();
    let around = model.score_around(article, &[(brand, brand + 4)]);
    let whole = model.score(article);
    assert!(
        around.score < whole.score,
        "around {around:?} whole {whole:?}"
    );
    assert_eq!(around.label, Label::Negative, "{around:?}");
    assert_eq!(model.score_around(article, &[]), whole);
}

#[test]
fn a_short_text_is_read_whole_and_a_long_one_by_its_lede_and_hits() {
    let model = embedded(Language::Chinese);
    let short = "屏幕很清晰。电池也耐用，推荐购买。";
    assert_eq!(
        model.read(short, Reading::DEFAULT, &[]).overall(),
        model.score(short)
    );
    assert_eq!(
        model.read(short, Reading::WHOLE, &[]).overall(),
        model.score(short)
    );

    // a glowing lede, a long neutral middle and a complaint about the brand
    // at the very end
    let lede = "今天的发布会非常精彩，新品设计漂亮，性能出色，现场观众赞不绝口，大家都很满意。";
    let middle = "会议于上午九点在市会展中心举行，来自各地的代表参加了会议。".repeat(12);
    let tail = "另外，有用户投诉朗铭手机电池发热严重，售后态度很差，非常失望。";
    let article = format!("{lede}{middle}{tail}");
    let brand = article.chars().count() - tail.chars().count()
        + tail.chars().position(|c| c == '朗').unwrap();
    let read = model.read(&article, Reading::DEFAULT, &[(brand, brand + 2)]);
    // the document reads as its lede: the complaint 800 characters on is
    // not part of it
    let overall = read.overall();
    assert!(
        overall.score > 0.2 && overall.label != Label::Negative,
        "{overall:?}"
    );
    assert_eq!(
        read.overall(),
        model.read(&article, Reading::DEFAULT, &[]).overall()
    );
    // the mention of the brand is read where the brand is
    let around = read.around(&[(brand, brand + 2)]);
    assert_eq!(around.label, Label::Negative, "{around:?}");
    assert!(around.score < read.overall().score);
    // read whole, the long neutral middle outweighs both ends
    assert_ne!(
        model.read(&article, Reading::WHOLE, &[]).overall(),
        read.overall()
    );
}

#[test]
fn a_sentence_read_as_a_passage_and_around_a_hit_counts_as_itself() {
    // a long sentence, then two short ones: the first passage is the long
    // sentence with the next, the second the last sentence alone
    let model = embedded(Language::English);
    let sentences = [
        "The new phone arrived on Monday after a long wait, and the box, the charger and the manual were all in order when we opened the package at home. ",
        "The Lumio battery overheats badly. ",
        "Support never answered our emails at all.",
    ];
    let text = sentences.concat();
    let brand = text.find("Lumio").unwrap();
    let spans = [(brand, brand + 5)];
    let read = model.read(&text, Reading::DEFAULT, &spans);
    // the sentence of the hit (weight 1), both neighbours (½ each) and the
    // text's overall (1), each scored on its own, averaged in log-odds
    let logit = |sentiment: vane_sentiment::Sentiment| {
        let probability = ((sentiment.score + 1.0) / 2.0) as f64;
        (probability / (1.0 - probability)).ln()
    };
    let expected = (logit(read.overall())
        + logit(model.score(sentences[1].trim()))
        + 0.5 * logit(model.score(sentences[0].trim()))
        + 0.5 * logit(model.score(sentences[2])))
        / 3.0;
    let expected = 2.0 / (1.0 + (-expected).exp()) - 1.0;
    let around = read.around(&spans).score as f64;
    assert!(
        (around - expected).abs() < 1e-4,
        "{around} against {expected}"
    );
}

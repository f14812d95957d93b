//! A generated syndication test set: real People's Daily and Lee articles,
//! each republished one to four times with the edits syndication makes
//! (wire credits and bylines, editor lines, a sentence dropped or
//! inserted, truncation to 60–90 %, full-width letters and digits,
//! Traditional characters), in random arrival order; plus hard negatives —
//! different articles on the same subject (sharing a keyword), and
//! different articles carrying the same long copyright boilerplate.

use std::collections::HashMap;
use vane_text::Seeded;

use vane_detect::{StoryConfig, StoryIndex, StoryKey, may_have_credits, strip_credits};
use vane_model::Timestamp;
use vane_text::{keywords, sentences, traditional_to_simplified_pairs};

pub(crate) struct Generated {
    pub(crate) id: String,
    pub(crate) text: String,
    pub(crate) published: Timestamp,
    /// The true story: the id of its original.
    pub(crate) original: String,
}

const BOILERPLATE: &str = "版权声明：本网站所刊登的各种新闻、信息和各种专题专栏资料，均为本网版权所有，未经协议授权禁止下载使用。凡本网注明“来源：本网”的所有作品，版权均属于本网，转载请注明出处。如对稿件内容有疑议，请及时与我们联系，联系电话010-12345678，电子邮件news@example.com，我们将在核实后及时处理。";

fn shared_data(path: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(path);
    std::fs::read_to_string(&path).unwrap_or_else(|_| panic!("{} is missing", path.display()))
}

fn to_traditional(text: &str) -> String {
    let mut back: HashMap<char, char> = HashMap::new();
    for &(traditional, simplified) in traditional_to_simplified_pairs() {
        back.entry(simplified).or_insert(traditional);
    }
    text.chars()
        .map(|c| back.get(&c).copied().unwrap_or(c))
        .collect()
}

fn to_full_width(text: &str) -> String {
    text.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                char::from_u32(c as u32 + 0xFEE0).unwrap_or(c)
            } else {
                c
            }
        })
        .collect()
}

fn sentence_list(text: &str) -> Vec<String> {
    let chars: Vec<char> = text.chars().collect();
    sentences(text)
        .into_iter()
        .map(|range| chars[range].iter().collect())
        .collect()
}

/// One republished copy of `original` with one to three edits.
fn copy_of(original: &str, chinese: bool, donor: &str, random: &mut Seeded) -> String {
    let mut text = original.to_string();
    let edits = 1 + random.below(3);
    for _ in 0..edits {
        text = match random.below(7) {
            0 => {
                if chinese {
                    format!(
                        "{}{}",
                        [
                            "来源：新华社\n",
                            "（记者 张伟）",
                            "来源：人民网\n",
                            "本报北京电（记者 李华）"
                        ][random.below(4)],
                        text
                    )
                } else {
                    format!(
                        "{}{}",
                        ["SYDNEY (Reuters) - ", "CANBERRA (AP) - ", "(Reuters) - "]
                            [random.below(3)],
                        text
                    )
                }
            }
            1 => {
                if chinese {
                    format!(
                        "{text}\n{}",
                        ["责任编辑：王芳", "（责任编辑：赵强）", "原标题：今日要闻"]
                            [random.below(3)]
                    )
                } else {
                    format!(
                        "{text}\n{}",
                        [
                            "Editing by John Smith",
                            "Reporting by Jane Doe; Editing by Mark Lee"
                        ][random.below(2)]
                    )
                }
            }
            2 => {
                let mut list = sentence_list(&text);
                if list.len() > 3 {
                    list.remove(1 + random.below(list.len() - 2));
                }
                list.join(if chinese { "" } else { " " })
            }
            3 => {
                let mut list = sentence_list(&text);
                let extra = sentence_list(donor);
                if !extra.is_empty() && list.len() > 1 {
                    let at = 1 + random.below(list.len() - 1);
                    list.insert(at, extra[random.below(extra.len())].clone());
                }
                list.join(if chinese { "" } else { " " })
            }
            4 => {
                let chars: Vec<char> = text.chars().collect();
                let keep = chars.len() * (60 + random.below(31)) / 100;
                chars[..keep].iter().collect()
            }
            5 => to_full_width(&text),
            _ => {
                if chinese {
                    to_traditional(&text)
                } else {
                    text.replace("the ", "The ")
                }
            }
        };
    }
    text
}

pub(crate) fn generate(seed: u64) -> (Vec<Generated>, usize) {
    let mut random = Seeded::new(seed);
    let chinese = shared_data("news/zh/peoples_daily_199801.txt");
    let paragraphs: Vec<&str> = chinese
        .lines()
        .filter(|line| line.chars().count() >= 40)
        .collect();
    let english = shared_data("news/en/lee_background.cor");
    let articles: Vec<&str> = english.lines().filter(|line| line.len() > 600).collect();
    let mut originals: Vec<(String, bool)> = Vec::new();
    // Chinese articles: four consecutive paragraphs, far apart
    for index in 0..150 {
        let start = index * (paragraphs.len() / 160);
        originals.push((paragraphs[start..start + 4].join(""), true));
    }
    for article in articles.iter().take(60) {
        originals.push((article.to_string(), false));
    }
    // different articles carrying the same long boilerplate, from a part
    // of the file the articles above do not use
    for index in 0..30 {
        let start = 151 * (paragraphs.len() / 160) + index * 3;
        originals.push((
            format!("{}\n{BOILERPLATE}", paragraphs[start..start + 2].join("")),
            true,
        ));
    }
    let mut documents = Vec::new();
    let base = Timestamp::parse("2026-11-20T00:00:00Z").unwrap().0;
    for (number, (text, chinese)) in originals.iter().enumerate() {
        let original_id = format!("o{number}");
        let published = base + number as i64 * 600;
        documents.push(Generated {
            id: original_id.clone(),
            text: text.clone(),
            published: Timestamp(published),
            original: original_id.clone(),
        });
        // the boilerplate originals stand alone: they are the negatives
        let copies = if number >= 210 {
            0
        } else {
            1 + random.below(4)
        };
        for copy in 0..copies {
            let donor = &originals[random.below(originals.len())].0;
            documents.push(Generated {
                id: format!("o{number}-c{copy}"),
                text: copy_of(text, *chinese, donor, &mut random),
                published: Timestamp(published + 60 * (1 + random.below(600)) as i64),
                original: original_id.clone(),
            });
        }
    }
    // arrival in random order
    for index in (1..documents.len()).rev() {
        documents.swap(index, random.below(index + 1));
    }
    // same-subject pairs among the originals: sharing their top keyword
    let mut by_keyword: HashMap<String, usize> = HashMap::new();
    for (text, chinese) in &originals {
        if let Some((word, _)) = keywords(text, *chinese, 1).into_iter().next() {
            *by_keyword.entry(word).or_default() += 1;
        }
    }
    let same_subject_pairs = by_keyword
        .values()
        .map(|&count| count * count.saturating_sub(1) / 2)
        .sum();
    (documents, same_subject_pairs)
}

#[test]
fn stories_group_syndicated_copies_and_find_the_first_publisher() {
    let (documents, same_subject_pairs) = generate(2026);
    let mut index = StoryIndex::new(StoryConfig::default());
    let stories: Vec<usize> = documents
        .iter()
        .map(|document| {
            index
                .add(&document.id, &document.text, document.published)
                .story
        })
        .collect();

    // pairwise precision and recall of "same story"
    let (mut both, mut predicted, mut actual) = (0u64, 0u64, 0u64);
    for left in 0..documents.len() {
        for right in left + 1..documents.len() {
            let same_predicted = stories[left] == stories[right];
            let same_actual = documents[left].original == documents[right].original;
            both += u64::from(same_predicted && same_actual);
            predicted += u64::from(same_predicted);
            actual += u64::from(same_actual);
        }
    }
    let precision = both as f64 / predicted.max(1) as f64;
    let recall = both as f64 / actual.max(1) as f64;
    let f1 = 2.0 * precision * recall / (precision + recall);
    let first_right = documents
        .iter()
        .zip(&stories)
        .filter(|(document, story)| index.first(**story).id == document.original)
        .count();
    let first_accuracy = first_right as f64 / documents.len() as f64;
    eprintln!(
        "syndication: {} documents, {} true stories, {} found; pairwise precision {precision:.4} recall {recall:.4} F1 {f1:.4}; first publisher {first_accuracy:.4}; {same_subject_pairs} same-subject original pairs, 30 boilerplate-sharing originals",
        documents.len(),
        documents
            .iter()
            .map(|document| &document.original)
            .collect::<std::collections::HashSet<_>>()
            .len(),
        index.stories()
    );
    assert!(
        same_subject_pairs > 20,
        "the set must hold same-subject negatives"
    );
    assert!(f1 >= 0.95, "pairwise F1 {f1}");
    assert!(
        first_accuracy >= 0.95,
        "first-publisher accuracy {first_accuracy}"
    );
}

#[test]
fn a_key_from_the_matchers_normalised_title_and_body_is_the_key_of_the_text() {
    let (documents, _) = generate(7);
    let mut without_credits = 0;
    for document in &documents {
        let (title, body) = document
            .text
            .split_once('\n')
            .unwrap_or((document.text.as_str(), ""));
        let text = format!("{title}\n{body}");
        let parts = [
            vane_text::NormalizedText::new(title),
            vane_text::NormalizedText::new(body),
        ];
        assert_eq!(
            StoryKey::of_parts(&text, &[&parts[0], &parts[1]]),
            StoryKey::of(&text),
            "{}",
            document.id
        );
        without_credits += usize::from(!may_have_credits(&text));
    }
    // both ways are taken: texts with credits are normalised again
    assert!(without_credits > documents.len() / 5, "{without_credits}");
    assert!(without_credits < documents.len(), "{without_credits}");
}

#[test]
fn a_text_without_credit_marks_has_the_key_of_its_stripped_text() {
    let (documents, _) = generate(5);
    // `StoryKey::of` skips stripping these texts; stripped, they have no
    // mark either, so the right side is the key of the stripped text
    let mut without_credits = 0;
    for document in &documents {
        if may_have_credits(&document.text) {
            continue;
        }
        let stripped = strip_credits(&document.text);
        assert!(!may_have_credits(&stripped), "{}", document.id);
        assert_eq!(
            StoryKey::of(&document.text),
            StoryKey::of(&stripped),
            "{}",
            document.id
        );
        without_credits += 1;
    }
    assert!(without_credits > documents.len() / 5, "{without_credits}");
    assert!(without_credits < documents.len(), "{without_credits}");
}

/// A restart rebuilds the index from the store's assignments without
/// comparing again: new documents must then land where they would have
/// without the restart.
#[test]
fn a_restored_index_assigns_new_copies_as_the_running_one_does() {
    let (documents, _) = generate(11);
    let (history, arrivals) = documents.split_at(documents.len() * 7 / 10);
    let mut running = StoryIndex::new(StoryConfig::default());
    let mut restored = StoryIndex::new(StoryConfig::default());
    // the running index's story number → the restored index's
    let mut numbers: HashMap<usize, usize> = HashMap::new();
    for document in history {
        let assigned = running.add(&document.id, &document.text, document.published);
        let again = restored.restore_keyed(
            &document.id,
            StoryKey::of(&document.text),
            document.published,
            numbers.get(&assigned.story).copied(),
            assigned.parent.clone(),
        );
        assert_eq!(again.parent, assigned.parent);
        assert_eq!(
            *numbers.entry(assigned.story).or_insert(again.story),
            again.story
        );
    }
    assert!(numbers.len() < history.len(), "the history holds copies");
    let mut joined_history = 0;
    for document in arrivals {
        let expected = running.add(&document.id, &document.text, document.published);
        let found = restored.add(&document.id, &document.text, document.published);
        assert_eq!(found.parent, expected.parent, "{}", document.id);
        let story = *numbers.entry(expected.story).or_insert(found.story);
        assert_eq!(found.story, story, "{}", document.id);
        joined_history += usize::from(
            expected
                .parent
                .as_ref()
                .is_some_and(|parent| history.iter().any(|document| &document.id == parent)),
        );
    }
    assert!(joined_history > 10, "{joined_history}");
}

#[test]
fn a_restored_document_with_an_unknown_story_starts_one() {
    let mut index = StoryIndex::new(StoryConfig::default());
    let text = "国家市场监督管理总局今天发布消息，小米通讯技术有限公司决定召回部分移动电源。";
    let first = index.restore_keyed("a", StoryKey::of(text), Timestamp(100), None, None);
    let unknown = index.restore_keyed("b", StoryKey::of(text), Timestamp(100), Some(7), None);
    assert_eq!((first.story, unknown.story), (0, 1));
    // stored as a member of story 0 with its parent, though its text differs
    let member = index.restore_keyed(
        "c",
        StoryKey::of("完全不同的另一篇文章，讲的是天气。"),
        Timestamp(101),
        Some(0),
        Some("a".to_string()),
    );
    assert_eq!((member.story, member.parent.as_deref()), (0, Some("a")));
    assert_eq!(index.members(0).len(), 2);
    // a copy arriving now finds the restored documents
    let copy = index.add("d", text, Timestamp(102));
    assert!(copy.story <= 1, "{copy:?}");
    assert!(copy.parent.is_some(), "{copy:?}");
}

//! Adding, changing and removing topics one at a time gives the same
//! matches, in the same order, as building the final set from scratch.

use vane_model::{Document, DocumentId, TopicId};
use vane_query::{MatchScratch, Percolator, PreparedDocument, Query};

fn topic_text(index: usize) -> String {
    // every topic brings anchors of its own, so the delta automaton grows
    // past its limit and is merged into the main one
    format!("(brand{index} OR 品牌{index}号) AND (recall OR 召回 OR likes:[{index} TO *])")
}

fn documents() -> Vec<Document> {
    (0..400)
        .map(|index| Document {
            id: DocumentId::new(index.to_string()),
            body: format!(
                "brand{} 品牌{}号 召回 news recall",
                index * 7 % 3000,
                index * 13 % 3000
            ),
            likes: (index * 11) as u64,
            ..Document::default()
        })
        .collect()
}

fn results(percolator: &Percolator, documents: &[Document]) -> Vec<Vec<String>> {
    let mut scratch = MatchScratch::default();
    documents
        .iter()
        .map(|document| {
            percolator
                .percolate(&PreparedDocument::new(document), &mut scratch, true)
                .into_iter()
                .map(|found| format!("{}:{:?}", found.topic, found.hits))
                .collect()
        })
        .collect()
}

#[test]
fn one_by_one_changes_equal_a_fresh_build() {
    let mut live: Vec<(String, String)> = Vec::new();
    let mut percolator = Percolator::new();
    for index in 0..3000 {
        let text = topic_text(index);
        percolator.insert(
            TopicId::new(format!("t{index}")),
            Query::parse(&text).unwrap(),
        );
        live.push((format!("t{index}"), text));
    }
    // remove every third topic, change every fifth in place
    for index in (0..3000).step_by(3) {
        assert!(percolator.remove(&TopicId::new(format!("t{index}"))));
        live.retain(|(id, _)| *id != format!("t{index}"));
    }
    assert!(!percolator.remove(&TopicId::new("t0")));
    for index in (1..3000).step_by(5) {
        let id = format!("t{index}");
        let Some(entry) = live.iter_mut().find(|(other, _)| *other == id) else {
            continue;
        };
        entry.1 = format!("brand{} OR 新品{index}", index + 1);
        percolator.insert(TopicId::new(id), Query::parse(&entry.1).unwrap());
    }
    assert_eq!(percolator.len(), live.len());
    let fresh = Percolator::build(
        live.iter()
            .map(|(id, text)| (TopicId::new(id.clone()), text.as_str())),
    )
    .unwrap();
    let documents = documents();
    let incremental = results(&percolator, &documents);
    assert_eq!(incremental, results(&fresh, &documents));
    assert!(
        incremental.iter().map(Vec::len).sum::<usize>() > 400,
        "the documents must match topics"
    );
}

#[test]
fn removing_most_topics_recompiles_and_keeps_order() {
    let mut percolator = Percolator::new();
    for index in 0..2500 {
        percolator.insert(
            TopicId::new(format!("t{index}")),
            Query::parse(&topic_text(index)).unwrap(),
        );
    }
    for index in 0..2500 {
        if index % 10 != 0 {
            percolator.remove(&TopicId::new(format!("t{index}")));
        }
    }
    let kept: Vec<(String, String)> = (0..2500)
        .step_by(10)
        .map(|index| (format!("t{index}"), topic_text(index)))
        .collect();
    let fresh = Percolator::build(
        kept.iter()
            .map(|(id, text)| (TopicId::new(id.clone()), text.as_str())),
    )
    .unwrap();
    let documents = documents();
    assert_eq!(
        results(&percolator, &documents),
        results(&fresh, &documents)
    );
    // 2,500 topics brought 5,002 anchors; once removed topics outnumber the
    // live ones, the tables are recompiled without theirs
    assert!(
        percolator.anchor_literals().len() < 2_500,
        "{} anchors kept",
        percolator.anchor_literals().len()
    );
    assert!(fresh.anchor_literals().len() <= percolator.anchor_literals().len());
}

#[test]
fn a_changed_topic_keeps_its_place_in_the_output() {
    let mut percolator = Percolator::build([
        (TopicId::new("a"), "xiaomi"),
        (TopicId::new("b"), "recall"),
        (TopicId::new("c"), "news"),
    ])
    .unwrap();
    percolator.insert(TopicId::new("a"), Query::parse("news").unwrap());
    let document = Document {
        body: "news of a recall".to_string(),
        ..Document::default()
    };
    let order: Vec<String> = results(&percolator, &[document])[0]
        .iter()
        .map(|text| text.split(':').next().unwrap().to_string())
        .collect();
    assert_eq!(order, ["a", "b", "c"]);
}

#[test]
fn retuning_by_observed_frequencies_changes_no_result() {
    let topics: Vec<(String, String)> = (0..600)
        .map(|index| (format!("t{index}"), topic_text(index)))
        .collect();
    let build = || {
        Percolator::build(
            topics
                .iter()
                .map(|(id, text)| (TopicId::new(id.clone()), text.as_str())),
        )
        .unwrap()
    };
    let documents = documents();
    let mut tuned = build();
    let mut scratch = MatchScratch::default();
    assert!(!tuned.retune(&scratch), "no statistics yet");
    for document in documents
        .iter()
        .cycle()
        .take(vane_query::MIN_DOCUMENTS_TO_RETUNE as usize)
    {
        tuned.percolate(&PreparedDocument::new(document), &mut scratch, false);
    }
    assert!(tuned.retune(&scratch));
    assert_eq!(results(&tuned, &documents), results(&build(), &documents));
}

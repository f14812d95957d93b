//! Stages, idempotence, dead letters, inbox, restart, search, rollups.

use vane_model::{Polarity, Timestamp, TopicId};
use vane_pipeline::{Pipeline, PipelineConfig, Received};
use vane_query::{MatchScratch, Percolator, PreparedDocument, Query};
use vane_store::{Bucket, Filter, InboxItem, SeriesRequest};
use vane_text::Seeded;

use crate::{document, pipeline_configured, pipeline_with, received, store};

const TOPICS: &[(&str, &str)] = &[
    ("xiaomi", "小米 OR xiaomi"),
    ("recall", "(小米 OR xiaomi) AND (召回 OR recall)"),
];

#[tokio::test]
async fn ingest_stores_mentions_with_hits_and_sentiment_and_again_adds_nothing() {
    let (_directory, store) = store().await;
    let pipeline = pipeline_with(store.clone(), TOPICS).await;
    let items = vec![
        received(document(
            "a",
            "小米宣布召回部分充电宝",
            "小米公司今天宣布召回一批存在安全隐患的充电宝，质量太差，用户非常失望。",
            0,
        )),
        received(document(
            "b",
            "Xiaomi unveils a phone",
            "Xiaomi showed a wonderful new phone; reviewers loved it.",
            1,
        )),
        received(document("c", "天气", "今天北京天气晴朗。", 2)),
    ];
    let summary = pipeline.ingest(items.clone(), Vec::new()).await.unwrap();
    assert_eq!(
        (
            summary.read,
            summary.new,
            summary.duplicates,
            summary.dead_letters
        ),
        (3, 3, 0, 0)
    );

    let mentions = store
        .mentions(&Filter::default(), None, 10)
        .await
        .unwrap()
        .items;
    let pairs: Vec<(&str, &str)> = mentions
        .iter()
        .map(|mention| {
            (
                mention.topic.as_str(),
                mention.document.document.id.as_str(),
            )
        })
        .collect();
    // newest first; a document matched by two topics is two mentions
    assert_eq!(pairs, [("xiaomi", "b"), ("recall", "a"), ("xiaomi", "a")]);
    let recall = &mentions[1];
    assert_eq!(recall.sentiment, Polarity::Negative);
    assert_eq!(recall.document.document.lang, "zh", "language detected");
    let spans: Vec<(u32, u32)> = recall.hits.iter().map(|hit| (hit.start, hit.end)).collect();
    assert!(
        spans.contains(&(0, 2)) && spans.contains(&(4, 6)),
        "{spans:?}"
    );
    assert_eq!(mentions[0].sentiment, Polarity::Positive);

    let again = pipeline.ingest(items, Vec::new()).await.unwrap();
    assert_eq!((again.new, again.duplicates), (0, 3));
    assert_eq!(store.counts().await.unwrap().mentions, 3);
}

#[tokio::test]
async fn bad_items_become_dead_letters_and_the_rest_goes_through() {
    let (_directory, store) = store().await;
    let config = PipelineConfig {
        max_document_bytes: 1_000,
        ..PipelineConfig::default()
    };
    let pipeline = Pipeline::start(store.clone(), config, Timestamp(0))
        .await
        .unwrap();
    let mut bad_time = document("late", "x", "y", 0);
    bad_time.published_at = Some("yesterday-ish".to_string());
    let items = vec![
        received(document("big", "big", &"长".repeat(400), 0)),
        received(bad_time),
        received(document("fine", "小米", "正常的文章", 0)),
    ];
    let summary = pipeline.ingest(items, Vec::new()).await.unwrap();
    assert_eq!((summary.new, summary.dead_letters), (1, 2));
    let letters = store.dead_letters(None, 10).await.unwrap().items;
    let reasons: Vec<&str> = letters
        .iter()
        .map(|letter| letter.reason.as_str())
        .collect();
    assert!(reasons[0].starts_with("published_at: "), "{reasons:?}");
    assert!(
        reasons[1]
            .starts_with("document too large: 1203 bytes of title and body, the limit is 1000"),
        "{reasons:?}"
    );
    assert_eq!(letters[1].item_id.as_deref(), Some("big"));
    assert!(store.document("fine").await.unwrap().is_some());
}

#[tokio::test]
async fn the_inbox_acknowledges_then_the_worker_stores_each_item_once() {
    let (_directory, store) = store().await;
    let pipeline = pipeline_with(store.clone(), TOPICS).await;
    let item = |id: &str| InboxItem {
        source_id: None,
        received_at: Timestamp(1_795_000_000),
        document: document(id, "小米", "小米发布会", 0),
    };
    let first = pipeline
        .submit(vec![item("p1"), item("p2"), item("p1")], Vec::new())
        .await
        .unwrap();
    assert_eq!((first.new, first.duplicates), (2, 1));
    assert_eq!(store.inbox_depth().await.unwrap(), 2);
    assert_eq!(pipeline.drain_once().await.unwrap(), 2);
    assert_eq!(store.inbox_depth().await.unwrap(), 0);
    // re-delivery after storing is a duplicate at the inbox
    let again = pipeline.submit(vec![item("p2")], Vec::new()).await.unwrap();
    assert_eq!((again.new, again.duplicates), (0, 1));
    assert_eq!(store.counts().await.unwrap().documents, 2);
}

/// What a store holds after the pipeline, comparable across stores.
async fn stored_outcome(store: &dyn vane_store::Store) -> Vec<String> {
    let mut rows = Vec::new();
    let page = store
        .documents(&Filter::default(), None, 10_000)
        .await
        .unwrap();
    for stored in page.items {
        rows.push(format!(
            "{} {} {:?} {:?} {}",
            stored.document.id.as_str(),
            stored.story_id,
            stored.parent_id,
            stored.sentiment,
            stored.sentiment_score
        ));
    }
    let page = store
        .mentions(&Filter::default(), None, 10_000)
        .await
        .unwrap();
    for mention in page.items {
        rows.push(format!(
            "{} {} {:?} {} {:?}",
            mention.topic.as_str(),
            mention.document.document.id.as_str(),
            mention.sentiment,
            mention.sentiment_score,
            mention.hits
        ));
    }
    rows.sort();
    rows
}

#[tokio::test]
async fn the_worker_analysing_one_batch_while_committing_another_stores_what_draining_in_turn_does()
{
    // copies of the same paragraphs across many small batches: stories
    // span batches, so the order of analysis and commits shows
    let config = PipelineConfig {
        batch_size: 25,
        ..PipelineConfig::default()
    };
    let items: Vec<InboxItem> = corpus_documents(400)
        .into_iter()
        .map(|document| InboxItem {
            source_id: None,
            received_at: Timestamp(1_795_000_000),
            document,
        })
        .collect();
    let mut outcomes = Vec::new();
    for overlapped in [false, true] {
        let (_directory, store) = store().await;
        let pipeline = pipeline_configured(store.clone(), config.clone(), TOPICS).await;
        // the inbox empties between the two rounds, and SQLite numbers the
        // second round's entries from 1 again
        let (first, second) = items.split_at(350);
        if overlapped {
            let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
            let worker = tokio::spawn(std::sync::Arc::clone(&pipeline).run_worker(async {
                let _ = stopped.await;
            }));
            for (round, stored) in [(first, 350), (second, 400)] {
                pipeline.submit(round.to_vec(), Vec::new()).await.unwrap();
                let deadline = std::time::Instant::now() + std::time::Duration::from_secs(60);
                while store.counts().await.unwrap().documents < stored {
                    assert!(
                        std::time::Instant::now() < deadline,
                        "the worker did not store the round of {stored}"
                    );
                    tokio::time::sleep(std::time::Duration::from_millis(20)).await;
                }
            }
            stop.send(()).unwrap();
            worker.await.unwrap();
        } else {
            for round in [first, second] {
                pipeline.submit(round.to_vec(), Vec::new()).await.unwrap();
                while pipeline.drain_once().await.unwrap() > 0 {}
            }
        }
        assert_eq!(store.inbox_depth().await.unwrap(), 0);
        assert_eq!(store.counts().await.unwrap().documents, 400);
        // each item analysed and committed once: 14 + 2 batches of 25
        assert_eq!(
            pipeline
                .metrics
                .batches
                .load(std::sync::atomic::Ordering::Relaxed),
            16
        );
        outcomes.push(stored_outcome(store.as_ref()).await);
    }
    assert!(outcomes[0].len() > 400, "the topics matched");
    assert_eq!(outcomes[0], outcomes[1]);
}

#[tokio::test]
async fn a_batch_analysed_on_all_cores_stores_what_one_document_at_a_time_does() {
    // 400 documents of repeated paragraphs in one batch: 25 chunks, whose
    // story assignments interleave with the analysis of later chunks; a
    // chunk assigned out of order would change first publishers, parents
    // and which mention is its topic's first of a story
    let mut documents = corpus_documents(400);
    // the last 250 are copies of the first 150, some with a line added
    for index in 150..400 {
        let original = documents[index * 7 % 150].body.clone();
        documents[index].body = if index % 2 == 0 {
            original
        } else {
            format!("{original}\n（转载）")
        };
    }
    let items: Vec<Received> = documents.into_iter().map(received).collect();
    let mut outcomes = Vec::new();
    for one_by_one in [true, false] {
        let (_directory, store) = store().await;
        let config = PipelineConfig {
            batch_size: 1_000,
            ..PipelineConfig::default()
        };
        let pipeline = pipeline_configured(store.clone(), config, TOPICS).await;
        if one_by_one {
            for item in &items {
                pipeline
                    .ingest(vec![item.clone()], Vec::new())
                    .await
                    .unwrap();
            }
        } else {
            let summary = pipeline.ingest(items.clone(), Vec::new()).await.unwrap();
            assert_eq!(summary.new, 400);
        }
        let page = store
            .documents(&Filter::default(), None, 1_000)
            .await
            .unwrap();
        let copies = page
            .items
            .iter()
            .filter(|stored| stored.story_id != stored.document.id.as_str())
            .count();
        assert!(copies >= 250, "copies joined earlier stories: {copies}");
        outcomes.push(stored_outcome(store.as_ref()).await);
    }
    assert_eq!(outcomes[0], outcomes[1]);
}

#[tokio::test]
async fn a_restarted_pipeline_keeps_copies_in_their_story() {
    let (_directory, store) = store().await;
    let text = "国家市场监督管理总局今天发布消息，小米通讯技术有限公司决定召回部分移动电源，\
                本次召回范围内的产品存在电芯过热的安全隐患，消费者可联系客服免费更换。";
    {
        let pipeline = pipeline_with(store.clone(), TOPICS).await;
        pipeline
            .ingest(
                vec![received(document("first", "小米召回移动电源", text, 0))],
                Vec::new(),
            )
            .await
            .unwrap();
    }
    let pipeline = Pipeline::start(
        store.clone(),
        PipelineConfig::default(),
        Timestamp(1_795_000_000),
    )
    .await
    .unwrap();
    let copy = format!("{text}（来源：新华社）");
    pipeline
        .ingest(
            vec![received(document("copy", "小米召回移动电源", &copy, 30))],
            Vec::new(),
        )
        .await
        .unwrap();
    let stored = store.document("copy").await.unwrap().unwrap();
    assert_eq!(stored.story_id, "first");
    assert_eq!(stored.parent_id.as_deref(), Some("first"));
    let stories = store.stories(&Filter::default(), 10).await.unwrap();
    assert_eq!(
        (stories[0].documents, stories[0].first.document.id.as_str()),
        (2, "first")
    );
    // the copy is no new story for the topic: counted once in the rollups
    let series = store
        .series(&SeriesRequest {
            topic: TopicId::new("xiaomi"),
            bucket: Bucket::Day,
            from: Timestamp(1_794_900_000),
            to: Timestamp(1_795_100_000),
            channel: None,
        })
        .await
        .unwrap();
    let (mentions, stories): (u64, u64) = series.iter().fold((0, 0), |(m, s), point| {
        (m + point.mentions, s + point.stories)
    });
    assert_eq!((mentions, stories), (2, 1));
}

#[tokio::test]
async fn the_story_index_is_restored_from_the_window_page_by_page() {
    let (_directory, store) = store().await;
    let pipeline = pipeline_with(store.clone(), TOPICS).await;
    let bodies = [
        "春节期间铁路客流创下新高",
        "新款手机的电池续航测试结果公布",
        "The council approved the new budget on Tuesday",
        "研究人员发现一种新的海洋生物",
        "Heavy rain closed several roads in the north",
    ];
    let mut items = Vec::new();
    for (index, (received_at, body)) in [1_000, 2_000, 2_000, 3_000, 4_000]
        .into_iter()
        .zip(bodies)
        .enumerate()
    {
        let mut item = received(document(&format!("d{index}"), "", body, index as i64));
        item.received_at = Timestamp(received_at);
        items.push(item);
    }
    pipeline.ingest(items, Vec::new()).await.unwrap();
    // received at 2,000 or later, two at a time, in order of storage
    let mut ids = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .recent_story_members(Timestamp(2_000), after, 2)
            .await
            .unwrap();
        assert!(page.len() <= 2);
        let Some(last) = page.last() else { break };
        after = Some(last.seq);
        for member in &page {
            assert_eq!(member.story_id, member.id, "each its own story");
            assert!(bodies.contains(&member.body.as_str()));
            ids.push(member.id.clone());
        }
    }
    assert_eq!(ids, ["d1", "d2", "d3", "d4"]);
}

/// Real sentences from the news corpus, with brand words spliced in.
fn corpus_documents(count: usize) -> Vec<vane_model::Document> {
    let text = std::fs::read_to_string("../../../shared/data/news/zh/peoples_daily_199801.txt")
        .or_else(|_| std::fs::read_to_string("../shared/data/news/zh/peoples_daily_199801.txt"))
        .expect("../shared/data is readable");
    let paragraphs: Vec<&str> = text
        .lines()
        .filter(|line| line.chars().count() > 40)
        .collect();
    let mut random = Seeded::new(7);
    let words = ["小米", "xiaomi", "召回", "recall", "华为", "发布"];
    (0..count)
        .map(|index| {
            let mut body = random.pick(&paragraphs).to_string();
            for _ in 0..random.below(3) {
                let at = body
                    .char_indices()
                    .map(|(at, _)| at)
                    .nth(random.below(body.chars().count()))
                    .unwrap_or(0);
                let word: &&str = random.pick(&words);
                body.insert_str(at, word);
            }
            document(&format!("d{index}"), "", &body, index as i64)
        })
        .collect()
}

#[tokio::test]
async fn the_warning_history_pages_are_the_mentions_of_the_window_oldest_first_without_text() {
    let (_directory, store) = store().await;
    let pipeline = pipeline_with(store.clone(), TOPICS).await;
    // documents a minute apart, several in the same minute
    let documents: Vec<_> = corpus_documents(300)
        .into_iter()
        .enumerate()
        .map(|(index, mut document)| {
            document.published_at =
                Some(Timestamp(1_795_000_000 + (index as i64 / 3) * 60).to_string());
            document.verified = index % 2 == 0;
            document.followers = index as u64;
            document
        })
        .collect();
    pipeline
        .ingest(documents.into_iter().map(received).collect(), Vec::new())
        .await
        .unwrap();
    let since = Timestamp(1_795_000_000 + 30 * 60);
    let mut expected: Vec<String> = store
        .mentions(
            &Filter {
                from: Some(since),
                ..Filter::default()
            },
            None,
            10_000,
        )
        .await
        .unwrap()
        .items
        .into_iter()
        .map(|mention| {
            let document = &mention.document;
            format!(
                "{} {} {} {} {:?} {:?} {} {} {} {:?}",
                document.published_at.0,
                document.seq,
                mention.topic.as_str(),
                document.document.id.as_str(),
                mention.sentiment,
                document.document.channel,
                document.document.verified,
                document.document.followers,
                document.document.likes + document.document.comments + document.document.shares,
                document.signals,
            )
        })
        .collect();
    expected.sort();
    assert!(expected.len() > 30, "{}", expected.len());
    // pages of 7 that split minutes and documents
    let mut pages = Vec::new();
    let mut after = None;
    loop {
        let page = store
            .warning_mentions(since, after.as_ref(), 7)
            .await
            .unwrap();
        assert!(page.len() <= 7);
        let Some(last) = page.last().cloned() else {
            break;
        };
        pages.extend(page);
        after = Some(last);
    }
    let read: Vec<String> = pages
        .iter()
        .map(|mention| {
            format!(
                "{} {} {} {} {:?} {:?} {} {} {} {:?}",
                mention.published_at.0,
                mention.document_seq,
                mention.topic.as_str(),
                mention.document_id,
                mention.sentiment,
                mention.channel,
                mention.verified,
                mention.followers,
                mention.engagement,
                mention.signals,
            )
        })
        .collect();
    // oldest first by time and document: the order the engines need
    assert!(pages.windows(2).all(|pair| {
        (pair[0].published_at, pair[0].document_seq) <= (pair[1].published_at, pair[1].document_seq)
    }));
    let mut sorted = read.clone();
    sorted.sort();
    assert_eq!(sorted, expected);
}

#[tokio::test]
async fn search_finds_exactly_what_the_matcher_matches() {
    let (_directory, store) = store().await;
    let pipeline = pipeline_with(store.clone(), &[]).await;
    let documents = corpus_documents(1_500);
    pipeline
        .ingest(
            documents.iter().cloned().map(received).collect(),
            Vec::new(),
        )
        .await
        .unwrap();
    let queries = [
        "小米 AND 召回",
        "xiaomi OR recall",
        "\"人民 日报\" OR 新华社",
        "小米 NEAR/5 发布",
        "经济* AND NOT 小米",
        "{小米} AND 华为",
        "channel:news AND 发展",
        "title:小米",
    ];
    let mut matched = 0;
    for text in queries {
        let query = Query::parse(text).unwrap();
        let percolator = Percolator::from_queries([(TopicId::new("q"), query.clone())]);
        let mut scratch = MatchScratch::default();
        let mut expected: Vec<String> = Vec::new();
        for document in &documents {
            let mut normalised = document.clone();
            normalised.lang = "zh".to_string();
            normalised.site = normalised.effective_site();
            if !percolator
                .percolate(&PreparedDocument::new(&normalised), &mut scratch, false)
                .is_empty()
            {
                expected.push(document.id.as_str().to_string());
            }
        }
        expected.reverse(); // newest stored first
        let mut found = Vec::new();
        let mut cursor = None;
        loop {
            let page = vane_store::search(store.as_ref(), &query, &Filter::default(), cursor, 50)
                .await
                .unwrap();
            found.extend(
                page.items
                    .iter()
                    .map(|result| result.document.document.id.as_str().to_string()),
            );
            match page.next {
                Some(next) => cursor = Some(next),
                None => break,
            }
        }
        assert_eq!(found, expected, "query {text}");
        matched += found.len();
    }
    // the queries must find something for the comparison to mean anything
    assert!(matched > 300, "{matched}");
}

#[tokio::test]
async fn the_mention_list_pages_by_cursor_and_filters() {
    let (_directory, store) = store().await;
    let pipeline = pipeline_with(store.clone(), TOPICS).await;
    let documents: Vec<_> = (0..25)
        .map(|index| received(document(&format!("m{index}"), "小米", "小米新品", index)))
        .collect();
    pipeline.ingest(documents, Vec::new()).await.unwrap();
    let filter = Filter {
        topic: Some(TopicId::new("xiaomi")),
        ..Filter::default()
    };
    let mut seen = Vec::new();
    let mut cursor = None;
    loop {
        let page = store.mentions(&filter, cursor, 10).await.unwrap();
        seen.extend(
            page.items
                .iter()
                .map(|m| m.document.document.id.as_str().to_string()),
        );
        match page.next {
            Some(next) => cursor = Some(next),
            None => break,
        }
    }
    let expected: Vec<String> = (0..25).rev().map(|index| format!("m{index}")).collect();
    assert_eq!(seen, expected);
    let windowed = Filter {
        from: Some(Timestamp(1_795_000_000 + 10 * 60)),
        to: Some(Timestamp(1_795_000_000 + 12 * 60)),
        ..filter
    };
    let page = store.mentions(&windowed, None, 50).await.unwrap();
    assert_eq!(page.items.len(), 2);
    let none = Filter {
        channel: Some(vane_model::Channel::Weibo),
        ..Filter::default()
    };
    assert!(
        store
            .mentions(&none, None, 50)
            .await
            .unwrap()
            .items
            .is_empty()
    );
}

#[tokio::test]
async fn topics_changed_in_the_store_by_another_process_take_effect_on_sync() {
    let (_directory, store) = store().await;
    let pipeline = pipeline_with(store.clone(), TOPICS).await;
    let topic = |id: &str, query: &str| vane_model::Topic {
        id: TopicId::new(id),
        name: String::new(),
        query: query.to_string(),
        brand: None,
        competitor: false,
        enabled: true,
    };
    store.put_topic(&topic("huawei", "华为")).await.unwrap();
    store.put_topic(&topic("xiaomi", "红米")).await.unwrap();
    store.delete_topic(&TopicId::new("recall")).await.unwrap();
    pipeline.sync_topics().await.unwrap();
    pipeline
        .ingest(
            vec![received(document("s", "华为与红米", "小米召回华为", 0))],
            Vec::new(),
        )
        .await
        .unwrap();
    let mut topics: Vec<String> = store
        .document_mentions("s")
        .await
        .unwrap()
        .iter()
        .map(|mention| mention.topic.as_str().to_string())
        .collect();
    topics.sort();
    assert_eq!(topics, ["huawei", "xiaomi"]);
    let hits = &store.document_mentions("s").await.unwrap()[1].hits;
    assert_eq!(
        (hits[0].start, hits[0].end),
        (3, 5),
        "xiaomi now means 红米"
    );
}

#[tokio::test]
async fn a_long_chinese_body_with_a_bracket_is_no_panic() {
    // the HTML sniffing looked at the first 2,048 bytes, which can end
    // inside a character
    let (_directory, store) = store().await;
    let pipeline = pipeline_with(store.clone(), TOPICS).await;
    let body = format!("<{}", "小米召回充电宝。".repeat(200));
    let summary = pipeline
        .ingest(vec![received(document("long", "", &body, 0))], Vec::new())
        .await
        .unwrap();
    assert_eq!(summary.new, 1);
    assert_eq!(store.document_mentions("long").await.unwrap().len(), 2);
}

#[tokio::test]
async fn committed_batches_reach_the_database_file_while_the_store_is_open() {
    // the writer does not checkpoint; the store's checkpoint connection
    // copies the WAL into the database file after each commit
    let (directory, store) = store().await;
    let pipeline = pipeline_with(store.clone(), TOPICS).await;
    let body = "小米公司今天发布了新款手机，售价三千九百九十九元。".repeat(40);
    let items: Vec<_> = (0..200)
        .map(|index| received(document(&format!("d{index}"), "小米新品", &body, index)))
        .collect();
    let stored_bytes = 200 * body.len() as u64;
    pipeline.ingest(items, Vec::new()).await.unwrap();
    let file = directory.path().join("vane.db");
    let mut size = 0;
    for _ in 0..100 {
        size = std::fs::metadata(&file).unwrap().len();
        if size >= stored_bytes {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(
        size >= stored_bytes,
        "the database file holds {size} bytes, the committed bodies {stored_bytes}"
    );
}

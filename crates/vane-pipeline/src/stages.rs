//! The pipeline's stages over a batch: normalise → dedupe → match →
//! analyse. Pure CPU work, no I/O and no clock: the caller passes the
//! received items and gets back what to store and what to dead-letter.
//! Aggregation (rollups) happens in the store's commit, over exactly the
//! documents that were new.

use std::collections::HashMap;
use std::sync::Mutex;
use std::sync::atomic::{AtomicUsize, Ordering};

use rustc_hash::FxHashSet;
use vane_detect::{Classifier, StoryConfig, StoryIndex, StoryKey};
use vane_model::{Channel, Document, Polarity, SourceId, TextField, Timestamp, TopicId};
use vane_query::{MatchScratch, Percolator, PreparedDocument, Query, index_tokens};
use vane_sentiment::{Label, Language, Reading};
use vane_store::{MentionHit, NewDeadLetter, NewDocument, NewMention, Signals, StoredStoryMember};
use vane_text::parallel::{cores, map_in_order};

/// How the stages behave.
#[derive(Debug, Clone)]
pub struct PipelineConfig {
    /// Copies published within this many seconds of each other can form a story.
    pub story_window_seconds: i64,
    /// Title and body together larger than this become a dead letter.
    pub max_document_bytes: usize,
    /// Items per batch.
    pub batch_size: usize,
    /// Estimated audience of a news outlet by site, for reach; social
    /// posts use the author's followers.
    pub outlet_audience: HashMap<String, u64>,
    /// The warning engine's weights, thresholds and rules.
    pub warnings: vane_detect::WarningConfig,
    /// Where warnings are sent.
    pub routes: Vec<vane_notify::Route>,
    /// Additions to the authority and sensitivity lists.
    pub signals: vane_detect::SignalSettings,
    /// Keep live warning engines (`vane serve`); an import does not need them.
    pub live_warnings: bool,
}

impl Default for PipelineConfig {
    fn default() -> Self {
        Self {
            story_window_seconds: 3 * 86_400,
            max_document_bytes: 1 << 20,
            batch_size: 1_000,
            outlet_audience: HashMap::new(),
            warnings: vane_detect::WarningConfig::default(),
            routes: Vec::new(),
            signals: vane_detect::SignalSettings::default(),
            live_warnings: false,
        }
    }
}

/// An item as a source delivered it.
#[derive(Debug, Clone)]
pub struct Received {
    pub source_id: Option<SourceId>,
    pub received_at: Timestamp,
    pub document: Document,
}

/// The stages' output for one batch.
#[derive(Debug, Default)]
pub struct Processed {
    pub documents: Vec<NewDocument>,
    pub dead_letters: Vec<NewDeadLetter>,
}

/// The state the stages keep between batches: active topics, the story
/// index of the window, and which stories each topic has seen.
#[derive(Debug)]
pub struct Analyser {
    config: PipelineConfig,
    percolator: Percolator,
    /// Each active topic's query as written, to tell changed topics.
    query_texts: std::collections::HashMap<TopicId, String>,
    scratch: MatchScratch,
    /// Authority and sensitivity of documents, for warnings.
    classifier: Classifier,
    /// Working memory of the other threads, kept between batches.
    thread_scratches: Vec<MatchScratch>,
    stories: Stories,
}

/// The order-dependent part of the stages: the story index of the window,
/// and which stories each topic has seen. Documents are assigned in their
/// order of arrival.
#[derive(Debug)]
struct Stories {
    index: StoryIndex,
    /// Story number of the index → story id (its first-arrived document).
    ids: Vec<String>,
    topic_stories: FxHashSet<(TopicId, String)>,
}

impl Stories {
    /// A document's story, and whether each mention is its topic's first
    /// of that story.
    fn assign(&mut self, analysed: Analysed) -> NewDocument {
        let Analysed {
            mut new,
            story_key,
            matched_topics,
        } = analysed;
        let assignment =
            self.index
                .add_keyed(new.document.id.as_str(), story_key, new.published_at);
        if assignment.story == self.ids.len() {
            self.ids.push(new.document.id.as_str().to_string());
        }
        let story_id = self.ids[assignment.story].clone();
        for (mention, topic) in new.mentions.iter_mut().zip(matched_topics) {
            mention.new_story = self.topic_stories.insert((topic, story_id.clone()));
        }
        new.story_id = story_id;
        new.parent_id = assignment.parent;
        new
    }

    /// Assigns the chunks analysed so far, in order from `slots[*next]`, into
    /// `processed`; stops at the first chunk still waiting or in work.
    fn assign_done(&mut self, slots: &[Mutex<Slot>], next: &mut usize, processed: &mut Processed) {
        while let Some(slot) = slots.get(*next) {
            let results = {
                let mut slot = slot.lock().unwrap_or_else(|e| e.into_inner());
                match std::mem::replace(&mut *slot, Slot::Assigned) {
                    Slot::Done(results) => results,
                    other => {
                        *slot = other;
                        return;
                    }
                }
            };
            for result in results {
                match result {
                    Ok(analysed) => processed.documents.push(self.assign(analysed)),
                    Err(letter) => processed.dead_letters.push(letter),
                }
            }
            *next += 1;
        }
    }
}

/// A chunk of a batch on its way through [`Analyser::process`].
enum Slot {
    /// Received, not yet taken by a thread.
    Waiting(Vec<Received>),
    /// Taken by a thread and being analysed.
    InWork,
    /// Analysed, waiting for its story assignments.
    Done(Vec<Result<Analysed, NewDeadLetter>>),
    /// Assigned: its documents and dead letters are in the output.
    Assigned,
}

/// Cuts a payload to what a dead letter keeps.
pub fn payload_excerpt(text: &str) -> String {
    const KEEP: usize = 4_096;
    if text.len() <= KEEP {
        return text.to_string();
    }
    let mut end = KEEP;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    format!("{}… ({} bytes in all)", &text[..end], text.len())
}

impl Analyser {
    pub fn new(config: PipelineConfig) -> Self {
        let classifier = Classifier::with(&config.signals);
        let stories = StoryIndex::new(StoryConfig {
            window_seconds: config.story_window_seconds,
            ..StoryConfig::default()
        });
        Self {
            config,
            percolator: Percolator::new(),
            query_texts: std::collections::HashMap::new(),
            scratch: MatchScratch::default(),
            thread_scratches: Vec::new(),
            classifier,
            stories: Stories {
                index: stories,
                ids: Vec::new(),
                topic_stories: FxHashSet::default(),
            },
        }
    }

    pub fn config(&self) -> &PipelineConfig {
        &self.config
    }

    /// Adds or replaces a topic's query (`text` is the query as written).
    pub fn set_topic(&mut self, topic: TopicId, text: &str, query: Query) {
        self.query_texts.insert(topic.clone(), text.to_string());
        self.percolator.insert(topic, query);
    }

    pub fn remove_topic(&mut self, topic: &TopicId) -> bool {
        self.query_texts.remove(topic);
        self.percolator.remove(topic)
    }

    pub fn topics(&self) -> usize {
        self.percolator.len()
    }

    /// The query text a topic is active with.
    pub fn query_text(&self, topic: &TopicId) -> Option<&str> {
        self.query_texts.get(topic).map(String::as_str)
    }

    pub fn topic_ids(&self) -> Vec<TopicId> {
        self.query_texts.keys().cloned().collect()
    }

    /// The story keys of stored documents, computed on all cores, for
    /// [`Analyser::restore_documents`].
    pub fn story_keys(stored: &[StoredStoryMember]) -> Vec<StoryKey> {
        map_in_order(stored, &mut vec![(); cores()], |stored, _| {
            StoryKey::of(&story_text(&stored.title, &stored.body))
        })
    }

    /// Puts stored documents (in their order of storage, with their
    /// [`Analyser::story_keys`]) back into the story index after a restart,
    /// each under the story and parent it was stored with: nothing is
    /// compared again. `numbers` holds the index's number of each story id
    /// restored so far, across calls.
    pub fn restore_documents(
        &mut self,
        stored: &[StoredStoryMember],
        keys: Vec<StoryKey>,
        numbers: &mut HashMap<String, usize>,
    ) {
        for (stored, key) in stored.iter().zip(keys) {
            let story = numbers.get(&stored.story_id).copied();
            let assignment = self.stories.index.restore_keyed(
                &stored.id,
                key,
                stored.published_at,
                story,
                stored.parent_id.clone(),
            );
            if assignment.story == self.stories.ids.len() {
                self.stories.ids.push(stored.story_id.clone());
                numbers.insert(stored.story_id.clone(), assignment.story);
            }
        }
    }

    /// Remembers that a topic has a mention of a story already.
    pub fn restore_topic_story(&mut self, topic: TopicId, story: String) {
        self.stories.topic_stories.insert((topic, story));
    }

    /// Runs the stages over a batch, in order of arrival. The pure part of
    /// each document's work (normalise, match, analyse, fingerprint) runs on
    /// all cores. Story assignment, which depends on the order, runs on the
    /// calling thread between its chunks, over the chunks done so far, so
    /// that no core waits for it at the end of the batch.
    pub fn process(&mut self, items: Vec<Received>) -> Processed {
        let threads = cores();
        let config = &self.config;
        let percolator = &self.percolator;
        let classifier = &self.classifier;
        // small chunks taken in turn: the threads share the cores with the
        // store's writer, and halves fixed in advance would leave one core
        // idle while the other thread finishes a half slowed down by it
        const CHUNK: usize = 16;
        let mut slots: Vec<Mutex<Slot>> = Vec::with_capacity(items.len().div_ceil(CHUNK));
        let mut items = items.into_iter();
        loop {
            let chunk: Vec<Received> = items.by_ref().take(CHUNK).collect();
            if chunk.is_empty() {
                break;
            }
            slots.push(Mutex::new(Slot::Waiting(chunk)));
        }
        let slots = &slots;
        let next = AtomicUsize::new(0);
        // analyses the next waiting chunk; false when none is left
        let analyse_next = |scratch: &mut MatchScratch| {
            let Some(slot) = slots.get(next.fetch_add(1, Ordering::Relaxed)) else {
                return false;
            };
            let taken = std::mem::replace(
                &mut *slot.lock().unwrap_or_else(|e| e.into_inner()),
                Slot::InWork,
            );
            let Slot::Waiting(part) = taken else {
                unreachable!("each chunk is taken once");
            };
            let analysed = part
                .into_iter()
                .map(|item| analyse_guarded(item, config, percolator, scratch, classifier))
                .collect();
            *slot.lock().unwrap_or_else(|e| e.into_inner()) = Slot::Done(analysed);
            true
        };
        let helpers = threads.min(slots.len()).saturating_sub(1);
        let scratches = &mut self.thread_scratches;
        if scratches.len() < helpers {
            scratches.resize_with(helpers, MatchScratch::default);
        }
        let main_scratch = &mut self.scratch;
        let stories = &mut self.stories;
        let mut processed = Processed::default();
        let mut assigned = 0;
        std::thread::scope(|scope| {
            let handles: Vec<_> = scratches[..helpers]
                .iter_mut()
                .map(|scratch| scope.spawn(|| while analyse_next(scratch) {}))
                .collect();
            loop {
                stories.assign_done(slots, &mut assigned, &mut processed);
                if !analyse_next(main_scratch) {
                    break;
                }
            }
            for handle in handles {
                if let Err(panic) = handle.join() {
                    std::panic::resume_unwind(panic);
                }
            }
        });
        stories.assign_done(slots, &mut assigned, &mut processed);
        debug_assert_eq!(assigned, slots.len(), "every chunk is assigned");
        self.scratch_retune();
        processed
    }

    fn scratch_retune(&mut self) {
        let seen = self.scratch.statistics().documents;
        if seen == vane_query::MIN_DOCUMENTS_TO_RETUNE || seen.is_power_of_two() && seen > 1_000 {
            self.percolator.retune(&self.scratch);
        }
    }
}

/// A document through the parallel stages, waiting for its story.
struct Analysed {
    new: NewDocument,
    story_key: StoryKey,
    matched_topics: Vec<TopicId>,
}

/// [`analyse`], with a panic on some input turned into that item's dead
/// letter: one bad document must not stop the batch, and a batch that
/// failed would be retried for ever.
fn analyse_guarded(
    item: Received,
    config: &PipelineConfig,
    percolator: &Percolator,
    scratch: &mut MatchScratch,
    classifier: &Classifier,
) -> Result<Analysed, NewDeadLetter> {
    let at = item.received_at;
    let source_id = item.source_id.clone();
    let item_id = item.document.id.as_str().to_string();
    // what is left of the item after a panic: enough to find it again
    let payload = format!(
        "title: {}\nurl: {}\nbody: {}",
        item.document.title,
        item.document.url,
        item.document.body.chars().take(200).collect::<String>()
    );
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        analyse(item, config, percolator, scratch, classifier)
    }))
    .unwrap_or_else(|panic| {
        let message = panic
            .downcast_ref::<&str>()
            .map(|text| text.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_default();
        tracing::error!(item = item_id, "analysing a document panicked: {message}");
        Err(NewDeadLetter {
            at,
            source_id,
            item_id: Some(item_id),
            reason: format!("internal error while analysing the document: {message}"),
            payload,
        })
    })
}

/// normalise → match → analyse for one item; pure.
fn analyse(
    item: Received,
    config: &PipelineConfig,
    percolator: &Percolator,
    scratch: &mut MatchScratch,
    classifier: &Classifier,
) -> Result<Analysed, NewDeadLetter> {
    let Received {
        source_id,
        received_at,
        document,
    } = item;
    let reject = |document: &Document, reason: String| NewDeadLetter {
        at: received_at,
        source_id: source_id.clone(),
        item_id: Some(document.id.as_str().to_string()),
        reason,
        payload: payload_excerpt(&serde_json::to_string(document).unwrap_or_default()),
    };
    let (document, published_at) = match normalise(document, received_at, config) {
        Ok(normalised) => normalised,
        Err(rejected) => {
            let (document, reason) = *rejected;
            return Err(reject(&document, reason));
        }
    };
    let text = story_text(&document.title, &document.body);
    let prepared = PreparedDocument::new(&document);
    let story_key = StoryKey::of_parts(
        &text,
        &[
            prepared.text(TextField::Title),
            prepared.text(TextField::Body),
        ],
    );
    let matches: Vec<(TopicId, Vec<MentionHit>)> = percolator
        .percolate(&prepared, scratch, true)
        .into_iter()
        .map(|found| {
            let hits = found.hits.iter().map(MentionHit::from).collect();
            (found.topic.clone(), hits)
        })
        .collect();
    let mut tokens = String::with_capacity(document.title.len() + document.body.len());
    let language =
        Language::from_code(&document.lang).unwrap_or_else(|| Language::guess(&document.body));
    let mut emotions = [0usize; 6];
    index_tokens(
        &TextField::ALL.map(|field| prepared.text(field)),
        &mut tokens,
    );
    for field in TextField::ALL {
        let counts = vane_sentiment::emotion_counts(prepared.text(field), language);
        for (total, count) in emotions.iter_mut().zip(counts) {
            *total += count;
        }
    }
    let sensitivity = classifier.sensitivity_of(&[
        prepared.text(TextField::Title),
        prepared.text(TextField::Body),
    ]);
    drop(prepared);
    let emotion =
        vane_sentiment::strongest_emotion(&emotions).map(|emotion| emotion.as_str().to_string());
    // the text is scored sentence by sentence once, for the document and
    // for every mention's hits
    let model = vane_sentiment::embedded(language);
    let title_chars = document.title.chars().count() as u32 + 1;
    let spans: Vec<Vec<(usize, usize)>> = matches
        .iter()
        .map(|(_, hits)| {
            hits.iter()
                .map(|hit| {
                    let offset = if hit.field == TextField::Body {
                        title_chars
                    } else {
                        0
                    };
                    ((hit.start + offset) as usize, (hit.end + offset) as usize)
                })
                .collect()
        })
        .collect();
    let scores = model.read(&text, Reading::DEFAULT, &spans.concat());
    let overall = scores.overall();
    let mut matched_topics = Vec::with_capacity(matches.len());
    let mentions = matches
        .into_iter()
        .zip(&spans)
        .map(|((topic, hits), spans)| {
            let directed = scores.around(spans);
            matched_topics.push(topic.clone());
            NewMention {
                topic,
                sentiment: polarity(directed.label),
                sentiment_score: directed.score,
                hits,
                new_story: false,
            }
        })
        .collect();
    let reach = reach(&document, config);
    let central_media = classifier.central_media(&document);
    let signals = Signals {
        authority: central_media || classifier.large_verified(&document),
        central_media,
        sensitivity: sensitivity
            .iter()
            .map(|class| {
                serde_json::to_value(class)
                    .ok()
                    .and_then(|value| value.as_str().map(String::from))
                    .unwrap_or_default()
            })
            .collect(),
    };
    Ok(Analysed {
        new: NewDocument {
            source_id,
            published_at,
            received_at,
            sentiment: polarity(overall.label),
            sentiment_score: overall.score,
            emotion,
            story_id: String::new(),
            parent_id: None,
            reach,
            signals,
            index_tokens: tokens,
            mentions,
            document,
        },
        story_key,
        matched_topics,
    })
}

fn polarity(label: Label) -> Polarity {
    match label {
        Label::Positive => Polarity::Positive,
        Label::Neutral => Polarity::Neutral,
        Label::Negative => Polarity::Negative,
    }
}

/// What the story index compares: title and body.
fn story_text(title: &str, body: &str) -> String {
    format!("{title}\n{body}")
}

/// The normalise stage: size limit, HTML bodies reduced to article text,
/// the language detected when not given (so that `lang:` matches the same
/// in monitoring and in search), the site derived, the time checked.
/// Matching folds Unicode and Traditional Chinese itself.
fn normalise(
    mut document: Document,
    received_at: Timestamp,
    config: &PipelineConfig,
) -> Result<(Document, Timestamp), Box<(Document, String)>> {
    let size = document.title.len() + document.body.len();
    if size > config.max_document_bytes {
        return Err(Box::new((
            document,
            format!(
                "document too large: {size} bytes of title and body, the limit is {}",
                config.max_document_bytes
            ),
        )));
    }
    if document.id.as_str().trim().is_empty() {
        return Err(Box::new((document, "document has an empty id".to_string())));
    }
    if looks_like_html(&document.body) {
        let article = vane_text::extract_article(&document.body);
        document.body = article.text();
        if document.title.trim().is_empty() {
            document.title = article.title;
        }
    }
    document.title = document.title.trim().to_string();
    if document.lang.trim().is_empty() {
        let detected = vane_text::detect_language(&format!("{} {}", document.title, document.body));
        if detected != "und" {
            document.lang = detected.to_string();
        }
    } else {
        document.lang = document.lang.trim().to_lowercase();
    }
    document.site = document.effective_site();
    if document.channel.is_none() && !document.url.is_empty() {
        document.channel = Some(Channel::Web);
    }
    let published_at = match document.published_at.as_deref().map(str::trim) {
        Some(text) if !text.is_empty() => match Timestamp::parse(text) {
            Ok(time) => time,
            Err(error) => return Err(Box::new((document, format!("published_at: {error}")))),
        },
        _ => received_at,
    };
    document.published_at = Some(published_at.to_string());
    Ok((document, published_at))
}

fn looks_like_html(body: &str) -> bool {
    // most bodies are plain text: no tag, nothing more to look at
    if !body.as_bytes().contains(&b'<') {
        return false;
    }
    let mut end = body.len().min(2_048);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let head = &body[..end];
    let lower = head.to_ascii_lowercase();
    [
        "<p>", "<p ", "<div", "<br", "<html", "<body", "<article", "<span",
    ]
    .iter()
    .any(|tag| lower.contains(tag))
}

/// Estimated audience: a social post reaches its author's followers, a
/// news article its outlet's audience (configured per site).
fn reach(document: &Document, config: &PipelineConfig) -> u64 {
    if document.followers > 0 {
        return document.followers;
    }
    let mut site = document.site.as_str();
    loop {
        if let Some(&audience) = config.outlet_audience.get(site) {
            return audience;
        }
        match site.split_once('.') {
            Some((_, parent)) if parent.contains('.') => site = parent,
            _ => return 0,
        }
    }
}

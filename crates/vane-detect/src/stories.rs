//! Stories: copies of one article grouped together, incrementally.
//!
//! Each arriving document is fingerprinted (`vane_text::Fingerprint`, after
//! wire credits and editor lines are stripped) and looked up by exact
//! content hash and by its LSH band keys among the documents of the last
//! `window`; candidates are verified by the estimated containment and
//! resemblance of their shingle sets. A copy joins the story of its most
//! similar earlier document, which becomes its parent in the propagation
//! path; otherwise it starts a story. Documents older than the window
//! leave the index (their stories stay), so memory is bounded by the
//! window, and each document costs a constant expected number of lookups.

use std::collections::VecDeque;

use rustc_hash::FxHashMap;
use vane_model::Timestamp;
use vane_text::{Fingerprint, NormalizedText};

/// How documents are judged copies of each other.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StoryConfig {
    /// Documents published this long before the newest leave the index.
    pub window_seconds: i64,
    /// Minimum estimated share of the smaller text's shingles in the other.
    pub containment: f32,
    /// Minimum estimated resemblance (Jaccard) as well.
    pub resemblance: f32,
}

impl Default for StoryConfig {
    fn default() -> Self {
        Self {
            window_seconds: 7 * 86_400,
            containment: 0.6,
            resemblance: 0.2,
        }
    }
}

/// A document as a member of a story.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoryMember {
    pub id: String,
    pub published: Timestamp,
    /// Order of arrival, breaking ties of publication time.
    pub arrival: u64,
    /// The id of the earlier copy this one is most similar to (the
    /// propagation path), `None` for the story's first document.
    pub parent: Option<String>,
}

/// Where a document went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Assignment {
    /// The story, numbered from 0 in order of creation.
    pub story: usize,
    pub parent: Option<String>,
}

struct Live {
    id: String,
    fingerprint: Fingerprint,
    content: u64,
    published: Timestamp,
    story: usize,
}

/// What the index compares a text by: its fingerprint and exact content
/// hash, both after wire credits are stripped. Pure, so it can be computed
/// in parallel before the sequential assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryKey {
    fingerprint: Fingerprint,
    content: u64,
}

impl StoryKey {
    pub fn of(text: &str) -> StoryKey {
        // normalised once for both: this runs on every document. A text
        // with none of the marks comes out of `strip_credits` with its lines
        // trimmed only, which leaves its tokens, and so its key, as they were.
        if may_have_credits(text) {
            return StoryKey::of_stripped(text);
        }
        StoryKey::of_normalized(&[&NormalizedText::new(text)])
    }

    /// The key of `text` with its credits stripped.
    fn of_stripped(text: &str) -> StoryKey {
        StoryKey::of_normalized(&[&NormalizedText::new(&strip_credits(text))])
    }

    /// The key of `text` when its parts are normalised already (the
    /// matcher's title and body, `text` being `"title\nbody"`): the same
    /// key as [`StoryKey::of`] without normalising again, unless `text`
    /// has something [`strip_credits`] takes out.
    pub fn of_parts(text: &str, parts: &[&NormalizedText]) -> StoryKey {
        if may_have_credits(text) {
            return StoryKey::of_stripped(text);
        }
        StoryKey::of_normalized(parts)
    }

    fn of_normalized(parts: &[&NormalizedText]) -> StoryKey {
        let (fingerprint, content) = Fingerprint::with_content_hash(parts);
        StoryKey {
            fingerprint,
            content,
        }
    }
}

/// Lines starting with these are wire credits, bylines and editor lines.
const CREDIT_LINE_STARTS: [&str; 12] = [
    "来源：",
    "来源:",
    "责任编辑",
    "编辑：",
    "原标题",
    "本文来自",
    "转载",
    "Editing by",
    "Reporting by",
    "Writing by",
    "Copyright",
    "(c) ",
];
/// Lines starting with these are site disclaimers, the same on every
/// article of a site.
const DISCLAIMER_STARTS: [&str; 5] = [
    "版权声明",
    "免责声明",
    "版权所有",
    "All rights reserved",
    "©",
];
/// An inline byline: `（记者 张三）`.
const INLINE_BYLINE: &str = "（记者";
/// Wire prefixes: the text before and including them is a credit.
const WIRE_PREFIXES: [&str; 5] = [
    "(Reuters) - ",
    "(AP) - ",
    "(AFP) - ",
    "(Reuters) —",
    "(AP) —",
];

/// Whether [`strip_credits`] may change the tokens of `text`.
pub fn may_have_credits(text: &str) -> bool {
    static MARKS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    MARKS
        .get_or_init(|| {
            // every mark strip_credits looks for, found anywhere: a text with
            // none of them comes out of it with its lines trimmed only, which
            // leaves its tokens as they were
            let marks = CREDIT_LINE_STARTS
                .iter()
                .chain(&DISCLAIMER_STARTS)
                .chain(&WIRE_PREFIXES)
                .chain(&[INLINE_BYLINE]);
            aho_corasick::AhoCorasick::builder()
                .kind(Some(aho_corasick::AhoCorasickKind::DFA))
                .build(marks)
                .expect("the credit marks build")
        })
        .is_match(text)
        // a byline of its own: `（本报记者 张三）`
        || text.contains("记者") && text.lines().any(|line| is_byline(line.trim()))
}

/// A short line in full-width brackets naming a reporter.
fn is_byline(trimmed: &str) -> bool {
    trimmed.starts_with('（')
        && trimmed.ends_with('）')
        && trimmed.contains("记者")
        && trimmed.chars().count() <= 40
}

/// Members of one LSH band a new document is compared with at most.
const MAX_CANDIDATES_PER_BAND: usize = 16;

/// The incremental story index.
#[derive(Default)]
pub struct StoryIndex {
    config: StoryConfig,
    /// Documents still in the window, oldest publication first (roughly:
    /// by arrival; eviction uses the newest time seen).
    live: VecDeque<(u64, Live)>,
    /// Band key → live document numbers.
    bands: FxHashMap<u64, Vec<u64>>,
    /// Exact content hash → live document numbers.
    exact: FxHashMap<u64, Vec<u64>>,
    next_number: u64,
    newest: Option<Timestamp>,
    stories: Vec<Vec<StoryMember>>,
}

impl std::fmt::Debug for StoryIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StoryIndex")
            .field("live", &self.live.len())
            .field("stories", &self.stories.len())
            .finish()
    }
}

/// Wire credits, bylines and editor lines that syndication adds or changes:
/// `来源：新华社`, `（记者 张三）`, `责任编辑：李四`, `(Reuters) -`, `Editing by …`.
pub fn strip_credits(text: &str) -> String {
    let mut kept = String::with_capacity(text.len());
    for line in text.lines() {
        let trimmed = line.trim();
        let credit_line = CREDIT_LINE_STARTS
            .iter()
            .chain(&DISCLAIMER_STARTS)
            .any(|marker| trimmed.starts_with(marker))
            || is_byline(trimmed)
            || trimmed.contains("版权所有") && trimmed.contains("转载");
        if credit_line {
            continue;
        }
        let mut line = trimmed.to_string();
        // inline credits: （记者 张三） and "(Reuters) -" at the start
        while let Some(start) = line.find(INLINE_BYLINE) {
            let Some(end) = line[start..].find('）') else {
                break;
            };
            line.replace_range(start..start + end + '）'.len_utf8(), "");
        }
        for wire in WIRE_PREFIXES {
            if let Some(at) = line.find(wire) {
                line = line[at + wire.len()..].to_string();
            }
        }
        kept.push_str(&line);
        kept.push('\n');
    }
    kept
}

impl StoryIndex {
    pub fn new(config: StoryConfig) -> Self {
        Self {
            config,
            ..Self::default()
        }
    }

    /// The members of a story, in order of arrival.
    pub fn members(&self, story: usize) -> &[StoryMember] {
        &self.stories[story]
    }

    pub fn stories(&self) -> usize {
        self.stories.len()
    }

    /// The story's first publisher: earliest publication, ties by arrival.
    pub fn first(&self, story: usize) -> &StoryMember {
        self.stories[story]
            .iter()
            .min_by_key(|member| (member.published, member.arrival))
            .expect("stories have members")
    }

    /// How many documents are in the window now.
    pub fn live(&self) -> usize {
        self.live.len()
    }

    /// Assigns a document (its text, publication time) to a story.
    pub fn add(&mut self, id: &str, text: &str, published: Timestamp) -> Assignment {
        self.add_keyed(id, StoryKey::of(text), published)
    }

    /// [`StoryIndex::add`] with the text's key computed beforehand (for
    /// example on another thread).
    pub fn add_keyed(&mut self, id: &str, key: StoryKey, published: Timestamp) -> Assignment {
        let StoryKey {
            fingerprint,
            content,
        } = key;
        self.evict(published);

        // candidates: exact copies, then documents sharing an LSH band
        let mut best: Option<(f32, u64)> = None;
        fn consider(best: &mut Option<(f32, u64)>, number: u64, similarity: f32) {
            if best.is_none_or(|(best_similarity, _)| similarity > best_similarity) {
                *best = Some((similarity, number));
            }
        }
        // a text with nothing left to compare is no copy of anything
        let comparable = fingerprint.shingles() > 0;
        if let Some(numbers) = self.exact.get(&content).filter(|_| comparable) {
            for &number in numbers {
                consider(&mut best, number, 2.0);
            }
        }
        if best.is_none() && comparable {
            let keys = fingerprint.band_keys();
            let mut seen: Vec<u64> = Vec::new();
            for key in keys {
                // the most recent members of a band only: a story with
                // thousands of near-identical reposts must not make every
                // new copy compare with all of them
                let numbers = self.bands.get(&key).map_or(&[][..], Vec::as_slice);
                let recent = &numbers[numbers.len().saturating_sub(MAX_CANDIDATES_PER_BAND)..];
                for &number in recent {
                    if seen.contains(&number) {
                        continue;
                    }
                    seen.push(number);
                    let Some(other) = self.get(number) else {
                        continue;
                    };
                    let containment = fingerprint.containment(&other.fingerprint);
                    let resemblance = fingerprint.resemblance(&other.fingerprint);
                    if containment >= self.config.containment
                        && resemblance >= self.config.resemblance
                    {
                        consider(&mut best, number, containment + resemblance);
                    }
                }
            }
        }
        let (story, parent) = match best.and_then(|(_, found)| self.get(found)) {
            Some(similar) => (Some(similar.story), Some(similar.id.clone())),
            None => (None, None),
        };
        self.insert(id, fingerprint, content, published, story, parent)
    }

    /// Puts a document back as a member of the story it was assigned to
    /// before (a restart reading the store), without comparing it with
    /// anything: `story` is the index's number of that story, `None` for a
    /// story it does not hold yet. The assignment is what the store says,
    /// even where the window now holds other documents than it did then.
    pub fn restore_keyed(
        &mut self,
        id: &str,
        key: StoryKey,
        published: Timestamp,
        story: Option<usize>,
        parent: Option<String>,
    ) -> Assignment {
        self.evict(published);
        let story = story.filter(|&story| story < self.stories.len());
        self.insert(id, key.fingerprint, key.content, published, story, parent)
    }

    /// Adds a document to `story`, or to a new story.
    fn insert(
        &mut self,
        id: &str,
        fingerprint: Fingerprint,
        content: u64,
        published: Timestamp,
        story: Option<usize>,
        parent: Option<String>,
    ) -> Assignment {
        let comparable = fingerprint.shingles() > 0;
        let number = self.next_number;
        self.next_number += 1;
        let story = story.unwrap_or_else(|| {
            self.stories.push(Vec::new());
            self.stories.len() - 1
        });
        self.stories[story].push(StoryMember {
            id: id.to_string(),
            published,
            arrival: number,
            parent: parent.clone(),
        });
        if fingerprint.shingles() > 0 {
            for key in fingerprint.band_keys() {
                self.bands.entry(key).or_default().push(number);
            }
        }
        if comparable {
            self.exact.entry(content).or_default().push(number);
        }
        self.live.push_back((
            number,
            Live {
                id: id.to_string(),
                fingerprint,
                content,
                published,
                story,
            },
        ));
        Assignment { story, parent }
    }

    fn get(&self, number: u64) -> Option<&Live> {
        let oldest = self.live.front()?.0;
        let (found, live) = self.live.get(number.checked_sub(oldest)? as usize)?;
        (*found == number).then_some(live)
    }

    /// Drops documents published more than the window before the newest
    /// publication time seen.
    fn evict(&mut self, published: Timestamp) {
        let newest = self
            .newest
            .map_or(published, |newest| newest.max(published));
        self.newest = Some(newest);
        let horizon = newest.0 - self.config.window_seconds;
        while let Some((number, live)) = self.live.front() {
            if live.published.0 >= horizon {
                break;
            }
            let number = *number;
            for key in live.fingerprint.band_keys() {
                if let Some(numbers) = self.bands.get_mut(&key) {
                    numbers.retain(|&other| other != number);
                    if numbers.is_empty() {
                        self.bands.remove(&key);
                    }
                }
            }
            if let Some(numbers) = self.exact.get_mut(&live.content) {
                numbers.retain(|&other| other != number);
                if numbers.is_empty() {
                    let content = live.content;
                    self.exact.remove(&content);
                }
            }
            self.live.pop_front();
        }
    }
}

//! The percolator against the naive evaluator on generated queries over
//! real text from `../shared/data/news`: the same topics and the same hit
//! spans for every (query, document) pair.

use std::collections::HashMap;
use vane_text::Seeded;

use vane_model::{Channel, Document, DocumentId, TextField, TopicId};
use vane_query::{
    Expr, ExprKind, FlagField, KeywordField, MatchScratch, MetaCondition, NumberField, NumberRange,
    Percolator, PreparedDocument, Query, Span, Term,
};

use crate::naive;

const QUERIES: usize = 1000;
const DOCUMENTS: usize = 1100;

fn data_dir() -> std::path::PathBuf {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/news");
    assert!(
        dir.is_dir(),
        "the differential test reads real text from {}; it is missing",
        dir.display()
    );
    dir
}

const SITES: &[&str] = &[
    "people.com.cn",
    "news.people.com.cn",
    "xinhuanet.com",
    "abc.net.au",
    "www.abc.net.au",
    "weibo.com",
    "mi.com",
    "news.mi.com",
];
const AUTHORS: &[&str] = &[
    "人民日报",
    "人民日報",
    "新华社",
    "ABC News",
    "Lei Jun",
    "lei.jun",
    "张三",
    "José Pérez",
];
const REGIONS: &[&str] = &["广东", "廣東", "北京", "NSW", "Victoria"];

fn documents(random: &mut Seeded) -> Vec<Document> {
    let dir = data_dir();
    let chinese = std::fs::read_to_string(dir.join("zh/peoples_daily_199801.txt"))
        .expect("People's Daily text");
    let english = std::fs::read_to_string(dir.join("en/lee_background.cor")).expect("Lee corpus");
    let paragraphs: Vec<&str> = chinese
        .lines()
        .filter(|line| line.chars().count() >= 30)
        .collect();
    let sentences: Vec<&str> = english
        .split_inclusive(". ")
        .filter(|sentence| sentence.len() > 20)
        .collect();
    let mut documents = Vec::new();
    for index in 0..DOCUMENTS {
        let zh = index % 2 == 0;
        let (title, body) = if zh {
            let paragraph = *random.pick(&paragraphs);
            let cut = paragraph
                .char_indices()
                .nth(12 + random.below(10))
                .map_or(paragraph.len(), |(byte, _)| byte);
            let mut body = paragraph[cut..].to_string();
            if random.chance(30) {
                // separators between Han characters: a query's 经济 must not match 经 济
                let gap = 3 + random.below(5);
                body = body
                    .chars()
                    .enumerate()
                    .flat_map(|(at, c)| {
                        if at % gap == gap - 1 {
                            vec![c, *random.pick(&[' ', '，', '·'])]
                        } else {
                            vec![c]
                        }
                    })
                    .collect();
            }
            (paragraph[..cut].to_string(), body)
        } else {
            let start = random.below(sentences.len() - 4);
            (
                sentences[start].to_string(),
                sentences[start + 1..start + 1 + 1 + random.below(3)].concat(),
            )
        };
        let site = random.pick(SITES);
        documents.push(Document {
            id: DocumentId::new(format!("d{index}")),
            title,
            body,
            url: format!(
                "https://{site}/{}/{index}",
                if random.chance(50) { "news" } else { "Blog" }
            ),
            author: random.pick(AUTHORS).to_string(),
            lang: if zh { "zh" } else { "en-AU" }.to_string(),
            country: if zh { "CN" } else { "au" }.to_string(),
            region: random.pick(REGIONS).to_string(),
            channel: Some(*random.pick(Channel::ALL)),
            verified: random.chance(30),
            repost: random.chance(40),
            followers: *random.pick(&[0, 500, 10_000, 2_000_000]),
            likes: random.below(1000) as u64,
            views: random.below(100_000) as u64,
            ..Document::default()
        });
    }
    documents
}

/// Terms drawn from the documents themselves, weighted towards frequent
/// ones so that queries match often enough to test something.
struct Vocabulary {
    han: Vec<String>,
    words: Vec<String>,
    cased_words: Vec<String>,
    phrases: Vec<String>,
}

fn vocabulary(documents: &[Document], random: &mut Seeded) -> Vocabulary {
    let mut han_counts: HashMap<String, usize> = HashMap::new();
    let mut word_counts: HashMap<String, usize> = HashMap::new();
    let mut cased_counts: HashMap<String, usize> = HashMap::new();
    let mut phrases = Vec::new();
    for document in documents {
        let text: Vec<char> = document.body.chars().collect();
        for window in text.windows(2) {
            if window.iter().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(c)) {
                *han_counts.entry(window.iter().collect()).or_default() += 1;
                *han_counts.entry(window[0].to_string()).or_default() += 1;
            }
        }
        let words: Vec<&str> = document
            .body
            .split(|c: char| !c.is_alphanumeric())
            .filter(|word| word.is_ascii() && word.len() >= 2)
            .collect();
        for word in &words {
            *word_counts.entry(word.to_lowercase()).or_default() += 1;
            if word.chars().next().is_some_and(char::is_uppercase) {
                *cased_counts.entry(word.to_string()).or_default() += 1;
            }
        }
        if words.len() > 3 && random.chance(20) {
            let at = random.below(words.len() - 2);
            phrases.push(words[at..at + 2 + random.below(2)].join(" "));
        }
        if text.len() > 8 && random.chance(20) {
            let at = random.below(text.len() - 4);
            let run: String = text[at..at + 3].iter().collect();
            if run.chars().all(|c| ('\u{4E00}'..='\u{9FFF}').contains(&c)) {
                phrases.push(run);
            }
        }
    }
    let top = |counts: HashMap<String, usize>, limit: usize| {
        let mut entries: Vec<(String, usize)> = counts.into_iter().collect();
        entries.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        entries
            .into_iter()
            .take(limit)
            .map(|(text, _)| text)
            .collect::<Vec<_>>()
    };
    Vocabulary {
        han: top(han_counts, 300),
        words: top(word_counts, 300),
        cased_words: top(cased_counts, 100),
        phrases,
    }
}

fn expr(kind: ExprKind) -> Expr {
    Expr::new(kind, Span::default())
}

fn term_text(vocabulary: &Vocabulary, random: &mut Seeded) -> (String, bool) {
    match random.below(10) {
        0..=2 => (random.pick(&vocabulary.han).clone(), false),
        3..=4 => (random.pick(&vocabulary.words).clone(), false),
        5 => (random.pick(&vocabulary.phrases).clone(), false),
        6 => {
            let word = random.pick(&vocabulary.words);
            let keep = 3.min(word.len()).max(2);
            (format!("{}*", &word[..keep]), false)
        }
        7 => {
            let word = random.pick(&vocabulary.words).clone();
            if word.len() >= 4 {
                let mut chars: Vec<char> = word.chars().collect();
                let at = 2 + random.below(chars.len() - 2);
                chars[at] = '?';
                (chars.into_iter().collect(), false)
            } else {
                (word, false)
            }
        }
        8 => (random.pick(&vocabulary.cased_words).clone(), true),
        _ => {
            let first = random.pick(&vocabulary.han).clone();
            let second = random.pick(&vocabulary.han).clone();
            (format!("{first} {second}"), false)
        }
    }
}

fn term(vocabulary: &Vocabulary, random: &mut Seeded, slop_allowed: bool) -> Expr {
    let (text, case_sensitive) = term_text(vocabulary, random);
    let slop =
        (slop_allowed && !case_sensitive && random.chance(10)).then(|| random.below(4) as u32);
    expr(ExprKind::Term(Term {
        text,
        case_sensitive,
        slop,
    }))
}

fn meta(random: &mut Seeded) -> Expr {
    let condition = match random.below(8) {
        0 => MetaCondition::Site(vec![
            random
                .pick(&["people.com.cn", "abc.net.au", "mi.com", "news.mi.com"])
                .to_string(),
        ]),
        1 => MetaCondition::Url(vec![
            random.pick(&["/news/", "/blog/", "mi.com/"]).to_string(),
        ]),
        2 => MetaCondition::Keyword {
            field: KeywordField::Author,
            values: vec![
                random
                    .pick(&["人民日报", "lei jun", "jose perez", "josé pérez"])
                    .to_string(),
            ],
        },
        3 => {
            let (field, values): (KeywordField, &[&str]) = *random.pick(&[
                (KeywordField::Lang, &["zh", "en", "ZH"][..]),
                (KeywordField::Country, &["cn", "au"][..]),
                (KeywordField::Region, &["广东", "nsw", "北京"][..]),
            ]);
            MetaCondition::Keyword {
                field,
                values: vec![random.pick(values).to_string()],
            }
        }
        4 => MetaCondition::Channel(
            (0..1 + random.below(3))
                .map(|_| *random.pick(Channel::ALL))
                .collect(),
        ),
        5 => MetaCondition::Flag {
            field: *random.pick(&[FlagField::Verified, FlagField::Repost]),
            values: vec![random.chance(50)],
        },
        _ => MetaCondition::Range {
            field: *random.pick(&[
                NumberField::Followers,
                NumberField::Likes,
                NumberField::Views,
            ]),
            ranges: vec![{
                let low = random.chance(70).then(|| random.below(20_000) as u64);
                let high = random
                    .chance(40)
                    .then(|| low.unwrap_or(0) + random.below(100_000) as u64);
                NumberRange { low, high }
            }],
        },
    };
    expr(ExprKind::Meta(condition))
}

fn near_operand(vocabulary: &Vocabulary, random: &mut Seeded) -> Expr {
    if random.chance(30) {
        expr(ExprKind::Or(
            (0..2 + random.below(2))
                .map(|_| term(vocabulary, random, false))
                .collect(),
        ))
    } else {
        term(vocabulary, random, false)
    }
}

fn query(vocabulary: &Vocabulary, random: &mut Seeded, depth: usize, allow_fields: bool) -> Expr {
    if depth == 0 || random.chance(30) {
        return match random.below(10) {
            0 if allow_fields => meta(random),
            1 => expr(ExprKind::Near {
                left: Box::new(near_operand(vocabulary, random)),
                right: Box::new(near_operand(vocabulary, random)),
                distance: random.below(12) as u32,
                ordered: random.chance(30),
            }),
            _ => term(vocabulary, random, true),
        };
    }
    match random.below(7) {
        0..=2 => expr(ExprKind::Or(
            (0..2 + random.below(3))
                .map(|_| query(vocabulary, random, depth - 1, allow_fields))
                .collect(),
        )),
        3..=5 => {
            let mut children = vec![query(vocabulary, random, depth - 1, allow_fields)];
            for _ in 0..1 + random.below(2) {
                let child = query(vocabulary, random, depth - 1, allow_fields);
                children.push(if random.chance(35) {
                    expr(ExprKind::Not(Box::new(child)))
                } else {
                    child
                });
            }
            expr(ExprKind::And(children))
        }
        _ if allow_fields => expr(ExprKind::Scoped {
            field: *random.pick(&TextField::ALL),
            expr: Box::new(query(vocabulary, random, depth - 1, false)),
        }),
        _ => term(vocabulary, random, true),
    }
}

#[test]
fn percolator_agrees_with_the_naive_evaluator_on_a_million_pairs() {
    let mut random = Seeded::new(0x5EED_2026);
    let documents = documents(&mut random);
    let vocabulary = vocabulary(&documents, &mut random);
    let queries: Vec<Query> = (0..QUERIES)
        .map(|_| {
            let text = query(&vocabulary, &mut random, 3, true).to_string();
            Query::parse(&text).unwrap_or_else(|error| panic!("generated query {text:?}: {error}"))
        })
        .collect();
    let texts: Vec<String> = queries.iter().map(Query::normalized).collect();
    // most topics built at once, the rest added one by one (delta automaton)
    let bulk = QUERIES * 4 / 5;
    let mut percolator = Percolator::build(
        texts[..bulk]
            .iter()
            .enumerate()
            .map(|(index, text)| (TopicId::new(index.to_string()), text.as_str())),
    )
    .unwrap();
    for (index, query) in queries.iter().enumerate().skip(bulk) {
        percolator.insert(TopicId::new(index.to_string()), query.clone());
    }

    let mut scratch = MatchScratch::default();
    let (mut pairs, mut matched) = (0usize, 0usize);
    for document in &documents {
        let prepared = PreparedDocument::new(document);
        let found: HashMap<usize, Vec<vane_query::Hit>> = percolator
            .percolate(&prepared, &mut scratch, true)
            .into_iter()
            .map(|found| (found.topic.as_str().parse::<usize>().unwrap(), found.hits))
            .collect();
        let plain: Vec<usize> = percolator
            .percolate(&prepared, &mut scratch, false)
            .into_iter()
            .map(|found| found.topic.as_str().parse().unwrap())
            .collect();
        let mut explained: Vec<usize> = found.keys().copied().collect();
        explained.sort_unstable();
        assert_eq!(
            plain, explained,
            "explain changed the result on {}",
            document.id
        );
        for (index, query) in queries.iter().enumerate() {
            pairs += 1;
            let expected = naive::hits(query.expr(), &prepared);
            let actual = found.get(&index).cloned();
            assert_eq!(
                actual, expected,
                "query {:?} on document {:?} / {:?}",
                texts[index], document.title, document.body
            );
            matched += usize::from(expected.is_some());
        }
    }
    eprintln!("differential: {pairs} pairs, {matched} matched");
    assert!(pairs >= 1_000_000, "{pairs}");
    // the generated queries must match often enough to test the verifier
    assert!(
        matched * 50 > pairs && matched * 2 < pairs,
        "{matched} of {pairs} pairs matched"
    );
}

/// Whether a document's index tokens satisfy a search plan, read naively:
/// every index term of some literal of each clause is among the tokens.
fn satisfies(plan: &vane_query::SearchPlan, tokens: &[&str]) -> bool {
    plan.clauses.iter().all(|clause| {
        clause.iter().any(|literal| {
            literal.index_terms().iter().all(|term| {
                if term.prefix {
                    tokens
                        .iter()
                        .any(|token| token.starts_with(term.text.as_str()))
                } else {
                    tokens.contains(&term.text.as_str())
                }
            })
        })
    })
}

#[test]
fn search_plans_never_exclude_a_matching_document() {
    let mut random = Seeded::new(0x5EA2_C401);
    let documents = documents(&mut random);
    let vocabulary = vocabulary(&documents, &mut random);
    let indexed: Vec<(PreparedDocument, String)> = documents
        .iter()
        .map(|document| {
            let prepared = PreparedDocument::new(document);
            let mut tokens = String::new();
            vane_query::index_tokens(
                &vane_model::TextField::ALL.map(|field| prepared.text(field)),
                &mut tokens,
            );
            (prepared, tokens)
        })
        .collect();
    let (mut matched, mut pruned, mut planned) = (0usize, 0usize, 0usize);
    for _ in 0..300 {
        let text = query(&vocabulary, &mut random, 3, true).to_string();
        let query = Query::parse(&text).unwrap();
        let plan = query.search_plan();
        planned += usize::from(!plan.clauses.is_empty());
        for (prepared, tokens) in &indexed {
            let tokens: Vec<&str> = tokens.split(' ').collect();
            let candidate = satisfies(&plan, &tokens);
            if naive::hits(query.expr(), prepared).is_some() {
                matched += 1;
                assert!(candidate, "plan {plan:?} of {text:?} excludes a match");
            } else if !candidate {
                pruned += 1;
            }
        }
    }
    eprintln!(
        "search plans: {planned} of 300 with text clauses; {matched} matches kept, {pruned} non-matches pruned"
    );
    // the plans must narrow: most non-matching documents are never candidates
    assert!(planned > 200, "{planned}");
    assert!(pruned * 2 > 300 * documents.len() - matched, "{pruned}");
}

//! Integration tests of vane-query: the specification table by table, the
//! errors and lints, the print→parse round trip, the percolator against a
//! naive evaluator, and incremental topic changes.

mod differential;
mod errors;
mod incremental;
mod naive;
mod roundtrip;
mod spec;

use vane_model::{Document, DocumentId, TopicId};
use vane_query::{Hit, MatchScratch, Percolator, PreparedDocument, Query};

/// A document with only a body.
pub(crate) fn body(text: &str) -> Document {
    Document {
        id: DocumentId::new("d"),
        body: text.to_string(),
        ..Document::default()
    }
}

/// Whether `query` matches `document`, through the percolator.
pub(crate) fn matches(query: &str, document: &Document) -> bool {
    let percolator =
        Percolator::build([(TopicId::new("t"), query)]).unwrap_or_else(|error| panic!("{error}"));
    let mut scratch = MatchScratch::default();
    let prepared = PreparedDocument::new(document);
    let plain = !percolator
        .percolate(&prepared, &mut scratch, false)
        .is_empty();
    let explained = !percolator
        .percolate(&prepared, &mut scratch, true)
        .is_empty();
    assert_eq!(plain, explained, "explain changes the result of {query:?}");
    plain
}

/// The hit spans of `query` on `document`, as (field, text) pairs.
pub(crate) fn hits(query: &str, document: &Document) -> Vec<Hit> {
    let percolator =
        Percolator::build([(TopicId::new("t"), query)]).unwrap_or_else(|error| panic!("{error}"));
    let mut scratch = MatchScratch::default();
    let prepared = PreparedDocument::new(document);
    percolator
        .percolate(&prepared, &mut scratch, true)
        .into_iter()
        .flat_map(|found| found.hits)
        .collect()
}

/// Asserts, for each body text, whether `query` matches it.
pub(crate) fn check(query: &str, rows: &[(&str, bool)]) {
    Query::parse(query).unwrap_or_else(|error| panic!("{query}: {error}"));
    for (text, expected) in rows {
        let document = body(text);
        assert_eq!(
            matches(query, &document),
            *expected,
            "query {query:?} on {text:?}"
        );
        assert_eq!(
            naive::matches(query, &document),
            *expected,
            "naive: query {query:?} on {text:?}"
        );
    }
}

/// Asserts, for each document, whether `query` matches it.
pub(crate) fn check_documents(query: &str, rows: &[(Document, bool)]) {
    for (document, expected) in rows {
        assert_eq!(
            matches(query, document),
            *expected,
            "query {query:?} on {document:?}"
        );
        assert_eq!(
            naive::matches(query, document),
            *expected,
            "naive: query {query:?} on {document:?}"
        );
    }
}

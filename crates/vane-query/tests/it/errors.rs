//! Every kind of rejected query, with the column it must point at, and
//! every lint warning (QUERY-LANGUAGE.md §9, §12).

use vane_query::Query;

use crate::check;

/// Asserts that `query` is rejected at `column` with a message containing `message`.
fn rejects(query: &str, column: usize, message: &str) {
    match Query::parse(query) {
        Ok(parsed) => panic!("{query:?} was accepted as {}", parsed.normalized()),
        Err(error) => {
            assert_eq!(error.column, column, "{query:?}: {error}");
            assert!(error.message.contains(message), "{query:?}: {error}");
            assert!(!error.hint.is_empty(), "{query:?} has no hint");
            let shown = error.to_string();
            assert!(
                shown.starts_with(&format!("error at column {column}: ")),
                "{shown}"
            );
            let byte = query
                .char_indices()
                .nth(column - 1)
                .map_or(query.len(), |(byte, _)| byte);
            assert_eq!(error.byte_offset, byte, "{query:?}");
        }
    }
}

/// Asserts that `query` is accepted with a warning at `column` containing `message`.
fn warns(query: &str, column: usize, message: &str) {
    let parsed = Query::parse(query).unwrap_or_else(|error| panic!("{query:?}: {error}"));
    assert!(
        parsed
            .warnings()
            .iter()
            .any(|warning| warning.column == column && warning.message.contains(message)),
        "{query:?}: {:?}",
        parsed.warnings()
    );
}

fn clean(query: &str) {
    let parsed = Query::parse(query).unwrap_or_else(|error| panic!("{query:?}: {error}"));
    assert!(
        parsed.warnings().is_empty(),
        "{query:?}: {:?}",
        parsed.warnings()
    );
}

#[test]
fn quotes_and_brackets_must_balance() {
    rejects("小米 “红米", 4, "quote is not closed");
    rejects("\"xiaomi", 1, "quote is not closed");
    rejects("a ”b", 3, "quote is not closed");
    rejects("\"\"", 1, "phrase is empty");
    rejects("(a OR b", 1, "unbalanced (");
    rejects("a OR b)", 7, "unbalanced )");
    rejects("((a)", 1, "unbalanced (");
    rejects("()", 1, "empty parentheses");
    rejects("{NIO", 1, "not closed");
    rejects("NIO}", 4, "unbalanced }");
    rejects("a <<<note", 3, "comment <<< is not closed");
    rejects("\"a b\"~x", 6, "number after ~");
}

#[test]
fn operators_must_have_operands() {
    rejects("", 1, "empty");
    rejects("<<<only a comment>>>", 1, "empty");
    rejects("a AND", 3, "nothing after");
    rejects("AND a", 1, "nothing before");
    rejects("OR b", 1, "nothing before");
    rejects("a OR OR b", 3, "another operator");
    rejects("a NEAR/5", 3, "NEAR has nothing after");
    rejects("NEAR a", 1, "NEAR has nothing before");
    rejects("a NOT", 3, "nothing after");
    rejects("a - b", 3, "must touch");
    rejects("a NEAR/x b", 3, "not a proximity operator");
    rejects("a NOT NOT b", 7, "doubled");
}

#[test]
fn and_or_mixing_needs_parentheses() {
    rejects("a AND b OR c", 9, "AND and OR mixed");
    rejects("a OR b AND c", 8, "AND and OR mixed");
    rejects("a b OR c", 5, "implicit AND");
    rejects("a OR b c", 8, "implicit AND");
    rejects("a OR b -c", 8, "implicit AND");
    rejects("a OR NOT b", 3, "OR followed by NOT");
    rejects("(a OR b) AND c OR d", 16, "AND and OR mixed");
}

#[test]
fn wildcards_need_two_letters_and_a_word() {
    rejects("*mi", 1, "cannot start with the wildcard");
    rejects("a ?olor", 3, "cannot start with the wildcard");
    rejects("*小米", 1, "cannot start with the wildcard");
    rejects("x*", 2, "at least 2 letters");
    rejects("\"redmi n*\"", 9, "at least 2 letters");
    rejects("title:x?z", 8, "at least 2 letters");
}

#[test]
fn near_operands_are_terms_phrases_or_or_groups() {
    rejects("(a AND b) NEAR/5 c", 1, "AND inside a NEAR operand");
    rejects("a NEAR/5 (b c)", 10, "AND inside a NEAR operand");
    rejects("a NEAR/5 -b", 10, "NOT inside a NEAR operand");
    rejects("NOT a NEAR/5 b", 1, "NOT inside a NEAR operand");
    rejects("a NEAR/5 (b OR -c)", 13, "OR followed by NOT");
    rejects("a NEAR/5 b NEAR/5 c", 12, "cannot be chained");
    rejects(
        "title:a NEAR/5 b",
        1,
        "field operator inside a NEAR operand",
    );
    rejects("\"a b\"~2 NEAR/5 c", 1, "~n phrase inside a NEAR operand");
}

#[test]
fn fields_must_be_known_and_well_formed() {
    let error = Query::parse("tag:xiaomi").unwrap_err();
    assert_eq!(error.column, 1);
    assert!(error.message.contains("unknown field `tag`"), "{error}");
    assert!(
        error.hint.contains("title, body, site, url, author"),
        "{error}"
    );
    rejects("小米 http://mi.com", 4, "unknown field `http`");
    rejects("title: 小米", 7, "followed by a space");
    rejects("site:", 6, "followed by a space");
    rejects("site:mi.com/news", 6, "not a host");
    rejects("site:mi.com:8080", 6, "not a host");
    rejects("channel:myspace", 9, "unknown channel");
    rejects("verified:maybe", 10, "true or false");
    rejects("likes:[10 TO 1]", 7, "above its end");
    rejects("likes:[a TO 1]", 7, "not a range");
    rejects("likes:many", 7, "number or a range");
    rejects("lang:english", 6, "not a lang code");
    rejects("channel:(news AND weibo)", 15, "only OR");
    rejects("title:(a OR site:mi.com)", 13, "inside title:(…)");
    rejects("a AND ...", 7, "no letters");
}

#[test]
fn queries_that_match_only_by_absence_are_rejected() {
    rejects("NOT a", 1, "only by absence");
    rejects("-a -b", 1, "only by absence");
    rejects("(-a -b) OR c", 1, "OR branch can match only by absence");
    rejects("c AND ((-a) OR d)", 8, "OR branch");
    Query::parse("site:mi.com").unwrap();
    Query::parse("channel:weibo -repost:true").unwrap();
}

#[test]
fn columns_count_characters_as_typed_even_when_normalisation_changes_them() {
    // full-width brackets typed by an input method are brackets
    let parsed = Query::parse("（小米 OR 红米） AND 召回").unwrap();
    assert_eq!(parsed.normalized(), "(小米 OR 红米) AND 召回");
    rejects("（小米 OR 红米） AND", 12, "nothing after");
    // ㍿ is four characters after NFKC, one as typed
    rejects("㍿ OR a b", 8, "implicit AND");
    rejects("ｔａｇ：ｘｉａｏｍｉ", 1, "unknown field");
}

#[test]
fn lint_warnings_accept_the_query() {
    warns("xi*", 3, "only 2 letters");
    clean("xia*");
    warns("xiaomi NEAR/60 recall", 7, "over 50");
    clean("xiaomi NEAR/50 recall");
    warns("the", 1, "stop word");
    warns("小米 AND 的", 8, "stop word");
    clean("\"the verge\"");
    warns("a AND NOT a", 7, "never match");
    warns("(x OR y) -(x OR y)", 10, "never match");
    warns("\"xiaomi su7\"-fire", 13, "read as AND");
    warns("{NIO}-fire", 6, "read as AND");
    warns("xiaomi lang:zho", 13, "three-letter");
    warns("xiaomi country:chn", 16, "three-letter");
    let long = (0..501)
        .map(|index| format!("w{index}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    warns(&long, 1, "more than 500");
    let short = (0..500)
        .map(|index| format!("w{index}"))
        .collect::<Vec<_>>()
        .join(" OR ");
    clean(&short);
}

#[test]
fn a_dash_touching_a_closing_quote_is_and() {
    check(
        "\"xiaomi su7\"-fire",
        &[("xiaomi su7 fire", true), ("xiaomi su7", false)],
    );
}

#[test]
fn operators_are_upper_case_only_and_other_colons_are_text() {
    check("12:30", &[("at 12:30 today", true), ("12 31", false)]);
    check("note: xiaomi", &[("note xiaomi", true), ("note", false)]);
    let parsed = Query::parse("a near b").unwrap();
    assert_eq!(parsed.normalized(), "a AND near AND b");
}

#[test]
fn normalised_form_spells_every_operator() {
    for (query, normalised) in [
        (
            "(小米 OR xiaomi) -site:www.Mi.com.",
            "(小米 OR xiaomi) AND NOT site:mi.com",
        ),
        ("a NEAR b", "a NEAR/5 b"),
        ("a ONEAR/3 b", "a NEAR/3f b"),
        ("\"xiaomi 14\"~3 lang:EN", "\"xiaomi 14\"~3 AND lang:EN"),
        ("followers:1000", "followers:[1000 TO 1000]"),
        ("title:(a OR b) {NIO}", "title:(a OR b) AND {NIO}"),
        (
            "\"and\" OR \"AND\" OR \"title:x\" OR e-mail",
            "and OR \"AND\" OR \"title:x\" OR e-mail",
        ),
        ("a AND (b AND c)", "a AND (b AND c)"),
    ] {
        assert_eq!(
            Query::parse(query).unwrap().normalized(),
            normalised,
            "{query}"
        );
    }
}

//! A naive evaluator: the syntax tree evaluated directly on one document,
//! scanning every token position for every term, with no presearch, no
//! interning and no shared occurrences. The percolator must agree with it.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use vane_model::{Document, TextField};
use vane_query::{
    CompareSpace, Expr, ExprKind, Hit, MetaCondition, PreparedDocument, Query, TermPattern,
    TokenPattern,
};
use vane_text::{NormalizedText, Token};

type Occurrence = (usize, usize, usize);

thread_local! {
    /// Compiled term patterns by (text, case-sensitive): compiling is not
    /// what is under test, and doing it per pair would dominate the run.
    static PATTERNS: RefCell<HashMap<(String, bool), Rc<TermPattern>>> = RefCell::new(HashMap::new());
}

fn pattern(text: &str, case_sensitive: bool) -> Rc<TermPattern> {
    PATTERNS.with(|patterns| {
        patterns
            .borrow_mut()
            .entry((text.to_string(), case_sensitive))
            .or_insert_with(|| {
                Rc::new(TermPattern::from_text(text, case_sensitive).expect("valid term"))
            })
            .clone()
    })
}

pub(crate) fn matches(query: &str, document: &Document) -> bool {
    let query = Query::parse(query).unwrap_or_else(|error| panic!("{query}: {error}"));
    evaluate(query.expr(), &PreparedDocument::new(document), [true, true]).is_some()
}

/// Whether the tree matches, with its hit spans, like the percolator's.
pub(crate) fn hits(expr: &Expr, document: &PreparedDocument) -> Option<Vec<Hit>> {
    let occurrences = evaluate(expr, document, [true, true])?;
    let mut hits: Vec<Hit> = occurrences
        .into_iter()
        .map(|(field, start, end)| {
            let field = TextField::ALL[field];
            let (start, end) = document.char_span(field, start as u32, end as u32);
            Hit { field, start, end }
        })
        .collect();
    hits.sort();
    hits.dedup();
    Some(hits)
}

fn evaluate(
    expr: &Expr,
    document: &PreparedDocument,
    fields: [bool; 2],
) -> Option<Vec<Occurrence>> {
    match &expr.kind {
        ExprKind::Term(term) => {
            let pattern = pattern(&term.text, term.case_sensitive);
            let found = occurrences(&pattern, term.slop, document, fields);
            (!found.is_empty()).then_some(found)
        }
        ExprKind::And(children) => {
            let mut all = Vec::new();
            for child in children {
                all.extend(evaluate(child, document, fields)?);
            }
            Some(all)
        }
        ExprKind::Or(children) => {
            let results: Vec<Vec<Occurrence>> = children
                .iter()
                .filter_map(|child| evaluate(child, document, fields))
                .collect();
            (!results.is_empty()).then(|| results.into_iter().flatten().collect())
        }
        ExprKind::Not(inner) => match evaluate(inner, document, fields) {
            Some(_) => None,
            None => Some(Vec::new()),
        },
        ExprKind::Near {
            left,
            right,
            distance,
            ordered,
        } => {
            let lefts = operand_occurrences(left, document, fields);
            let rights = operand_occurrences(right, document, fields);
            let mut used = Vec::new();
            for a in &lefts {
                for b in &rights {
                    // tokens strictly between, 0 when touching or overlapping
                    let gap = (b.1 as isize - a.2 as isize)
                        .max(a.1 as isize - b.2 as isize)
                        .max(0) as usize;
                    if a.0 == b.0 && gap <= *distance as usize && (!ordered || a.1 < b.1) {
                        used.push(*a);
                        used.push(*b);
                    }
                }
            }
            (!used.is_empty()).then_some(used)
        }
        ExprKind::Scoped { field, expr } => {
            let mut scoped = [false, false];
            scoped[field.index()] = fields[field.index()];
            evaluate(expr, document, scoped)
        }
        ExprKind::Meta(condition) => meta(condition, document).then(Vec::new),
    }
}

fn operand_occurrences(
    expr: &Expr,
    document: &PreparedDocument,
    fields: [bool; 2],
) -> Vec<Occurrence> {
    match &expr.kind {
        ExprKind::Term(term) => {
            let pattern = pattern(&term.text, term.case_sensitive);
            occurrences(&pattern, None, document, fields)
        }
        ExprKind::Or(children) => children
            .iter()
            .flat_map(|child| operand_occurrences(child, document, fields))
            .collect(),
        other => panic!("not a NEAR operand: {other:?}"),
    }
}

fn occurrences(
    pattern: &TermPattern,
    slop: Option<u32>,
    document: &PreparedDocument,
    fields: [bool; 2],
) -> Vec<Occurrence> {
    let mut found = Vec::new();
    for field in TextField::ALL {
        if !fields[field.index()] {
            continue;
        }
        let text = document.text(field);
        let count = text.tokens.len();
        let length = pattern.tokens.len();
        match slop {
            Some(slop) if length > 1 => {
                let width = length + slop as usize;
                for start in 0..count {
                    let ends = (start + length)..=count.min(start + width);
                    if let Some(end) = ends
                        .into_iter()
                        .find(|&end| fits(pattern, text, start, end))
                    {
                        found.push((field.index(), start, end));
                    }
                }
            }
            _ => {
                for start in 0..count {
                    let fits_here = start + length <= count
                        && pattern
                            .tokens
                            .iter()
                            .enumerate()
                            .all(|(index, token_pattern)| {
                                let token = &text.tokens[start + index];
                                (index == 0 || !token_pattern.must_join || token.joined)
                                    && token_matches(token_pattern, text, token)
                            });
                    if fits_here {
                        found.push((field.index(), start, start + length));
                    }
                }
            }
        }
    }
    found
}

/// Whether the tokens of `pattern` take distinct positions in `start..end`,
/// one of them at `start`: tried by backtracking over every assignment.
fn fits(pattern: &TermPattern, text: &NormalizedText, start: usize, end: usize) -> bool {
    fn place(
        index: usize,
        pattern: &TermPattern,
        text: &NormalizedText,
        start: usize,
        end: usize,
        taken: &mut Vec<usize>,
    ) -> bool {
        if index == pattern.tokens.len() {
            return taken.contains(&start);
        }
        for position in start..end {
            if !taken.contains(&position)
                && token_matches(&pattern.tokens[index], text, &text.tokens[position])
            {
                taken.push(position);
                if place(index + 1, pattern, text, start, end, taken) {
                    return true;
                }
                taken.pop();
            }
        }
        false
    }
    place(0, pattern, text, start, end, &mut Vec::new())
}

fn token_matches(pattern: &TokenPattern, text: &NormalizedText, token: &Token) -> bool {
    if pattern.kind != token.kind {
        return false;
    }
    let cased = text.cased_token(token);
    if pattern.space == CompareSpace::Folded && !pattern.wildcard {
        return text.folded_token(token) == pattern.pattern;
    }
    let candidate: String = match pattern.space {
        CompareSpace::Folded => text.folded_token(token).to_string(),
        CompareSpace::Lower => cased.chars().flat_map(char::to_lowercase).collect(),
        CompareSpace::CasedStripped => {
            let mut stripped = String::new();
            vane_text::strip_accents_into(cased, &mut stripped);
            stripped
        }
        CompareSpace::Cased => cased.to_string(),
    };
    if pattern.wildcard {
        glob(
            &pattern.pattern.chars().collect::<Vec<_>>(),
            &candidate.chars().collect::<Vec<_>>(),
        )
    } else {
        candidate == pattern.pattern
    }
}

fn glob(pattern: &[char], text: &[char]) -> bool {
    match pattern.split_first() {
        None => text.is_empty(),
        Some(('*', rest)) => (0..=text.len()).any(|skip| glob(rest, &text[skip..])),
        Some(('?', rest)) => !text.is_empty() && glob(rest, &text[1..]),
        Some((c, rest)) => text.first() == Some(c) && glob(rest, &text[1..]),
    }
}

fn meta(condition: &MetaCondition, document: &PreparedDocument) -> bool {
    match condition {
        MetaCondition::Site(sites) => sites
            .iter()
            .any(|site| document.site() == site || document.site().ends_with(&format!(".{site}"))),
        MetaCondition::Url(parts) => parts
            .iter()
            .any(|part| document.url().contains(part.as_str())),
        MetaCondition::Keyword { field, values } => {
            let text = document.keyword(*field);
            values.iter().any(|value| {
                let pattern = pattern(value, false);
                pattern.tokens.len() == text.tokens.len()
                    && pattern
                        .tokens
                        .iter()
                        .zip(&text.tokens)
                        .all(|(token_pattern, token)| token_matches(token_pattern, text, token))
            })
        }
        MetaCondition::Channel(channels) => document
            .channel()
            .is_some_and(|channel| channels.contains(&channel)),
        MetaCondition::Flag { field, values } => values.contains(&document.flag(*field)),
        MetaCondition::Range { field, ranges } => ranges
            .iter()
            .any(|range| range.contains(document.number(*field))),
    }
}

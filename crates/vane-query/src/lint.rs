//! Lint rules of QUERY-LANGUAGE.md §9 that need the whole tree: the query
//! is accepted, but the analyst is told what is probably wrong.

use crate::ast::{Expr, ExprKind};
use crate::lexer::LexWarning;

const MAX_OR_TERMS: usize = 500;
const MAX_NEAR_DISTANCE: u32 = 50;

/// Words so common that a term made of one of them alone matches nearly
/// every document.
const STOP_WORDS: &[&str] = &[
    "a", "an", "and", "are", "as", "at", "be", "but", "by", "for", "from", "has", "have", "he",
    "in", "is", "it", "its", "of", "on", "or", "she", "that", "the", "their", "they", "this", "to",
    "was", "we", "were", "will", "with", "you", "的", "了", "是", "在", "和", "有", "也", "就",
    "都", "而", "及", "与", "着", "或", "一", "不", "我", "你", "他", "她", "它", "这", "那", "之",
    "其", "为", "以",
];

/// Whether two trees are equal but for their spans (no copies made).
fn same_shape(a: &Expr, b: &Expr) -> bool {
    let all = |left: &[Expr], right: &[Expr]| {
        left.len() == right.len() && left.iter().zip(right).all(|(l, r)| same_shape(l, r))
    };
    match (&a.kind, &b.kind) {
        (ExprKind::Term(left), ExprKind::Term(right)) => left == right,
        (ExprKind::Meta(left), ExprKind::Meta(right)) => left == right,
        (ExprKind::And(left), ExprKind::And(right)) | (ExprKind::Or(left), ExprKind::Or(right)) => {
            all(left, right)
        }
        (ExprKind::Not(left), ExprKind::Not(right)) => same_shape(left, right),
        (
            ExprKind::Near {
                left: a_left,
                right: a_right,
                distance: a_distance,
                ordered: a_ordered,
            },
            ExprKind::Near {
                left: b_left,
                right: b_right,
                distance: b_distance,
                ordered: b_ordered,
            },
        ) => {
            a_distance == b_distance
                && a_ordered == b_ordered
                && same_shape(a_left, b_left)
                && same_shape(a_right, b_right)
        }
        (
            ExprKind::Scoped {
                field: a_field,
                expr: a_expr,
            },
            ExprKind::Scoped {
                field: b_field,
                expr: b_expr,
            },
        ) => a_field == b_field && same_shape(a_expr, b_expr),
        _ => false,
    }
}

pub(crate) fn lint(expr: &Expr, warnings: &mut Vec<LexWarning>) {
    match &expr.kind {
        ExprKind::Term(term) => {
            let written = term.text.trim();
            // stop words are at most five bytes long; most terms are skipped at once
            if term.slop.is_none()
                && written.len() <= 6
                && STOP_WORDS
                    .iter()
                    .any(|stop_word| stop_word.eq_ignore_ascii_case(written))
            {
                warnings.push(LexWarning {
                    offset: expr.span.start,
                    message: format!(
                        "`{}` is a stop word and matches almost every document on its own",
                        term.text
                    ),
                    hint: "use it inside a phrase or drop it".to_string(),
                });
            }
        }
        ExprKind::Or(children) => {
            let terms = children
                .iter()
                .filter(|child| matches!(child.kind, ExprKind::Term(_)))
                .count();
            if terms > MAX_OR_TERMS {
                warnings.push(LexWarning {
                    offset: expr.span.start,
                    message: format!("this OR list has {terms} terms, more than {MAX_OR_TERMS}"),
                    hint: "split the topic or move the list into several topics".to_string(),
                });
            }
            children.iter().for_each(|child| lint(child, warnings));
        }
        ExprKind::And(children) => {
            for negated in children {
                let ExprKind::Not(inner) = &negated.kind else {
                    continue;
                };
                if children.iter().any(|positive| {
                    !matches!(positive.kind, ExprKind::Not(_)) && same_shape(positive, inner)
                }) {
                    warnings.push(LexWarning {
                        offset: negated.span.start,
                        message: format!(
                            "this branch can never match: `{inner}` is both required and excluded"
                        ),
                        hint: "remove the exclusion or the requirement".to_string(),
                    });
                }
            }
            children.iter().for_each(|child| lint(child, warnings));
        }
        ExprKind::Near {
            left,
            right,
            distance,
            ..
        } => {
            if *distance > MAX_NEAR_DISTANCE {
                warnings.push(LexWarning {
                    offset: left.span.end,
                    message: format!(
                        "NEAR distance {distance} is over {MAX_NEAR_DISTANCE} and behaves like AND"
                    ),
                    hint: "use AND, or a distance of 50 or less".to_string(),
                });
            }
            lint(left, warnings);
            lint(right, warnings);
        }
        ExprKind::Not(inner) => lint(inner, warnings),
        ExprKind::Scoped { expr, .. } => lint(expr, warnings),
        ExprKind::Meta(_) => {}
    }
}

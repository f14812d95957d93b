//! Printing a syntax tree and parsing the text back gives the same tree.

use proptest::prelude::*;
use vane_model::{Channel, TextField};
use vane_query::{
    Expr, ExprKind, FlagField, KeywordField, MetaCondition, NumberField, NumberRange, Query, Span,
    Term,
};

fn expr(kind: ExprKind) -> Expr {
    Expr::new(kind, Span::default())
}

const TEXTS: &[&str] = &[
    "xiaomi",
    "小米",
    "小米汽车",
    "redmi note 13",
    "e-mail",
    "mi.com",
    "澎湃OS",
    "su7",
    "-fire",
    "AND",
    "OR",
    "NOT",
    "NEAR/5",
    "and",
    "title:x",
    "12:30",
    "xiao*",
    "colo?r",
    "red* note",
    "café",
    "são paulo",
    "輿情",
    "a[b",
    "小米怎么样?",
    "Apple Music",
    "NIO",
    "x<<<y",
    "(hidden)",
    "don't",
];

fn term() -> impl Strategy<Value = Expr> {
    (
        prop::sample::select(TEXTS),
        any::<bool>(),
        prop::option::of(0u32..6),
    )
        .prop_map(|(text, case_sensitive, slop)| {
            let case_sensitive = case_sensitive && !text.contains(['}', '<']);
            let slop = if case_sensitive || text.contains(['"', '“', '”']) {
                None
            } else {
                slop
            };
            expr(ExprKind::Term(Term {
                text: text.to_string(),
                case_sensitive,
                slop,
            }))
        })
}

fn plain_term() -> impl Strategy<Value = Expr> {
    (prop::sample::select(TEXTS), any::<bool>()).prop_map(|(text, case_sensitive)| {
        expr(ExprKind::Term(Term {
            text: text.to_string(),
            case_sensitive: case_sensitive && !text.contains(['}', '<']),
            slop: None,
        }))
    })
}

fn meta() -> impl Strategy<Value = Expr> {
    let range = (
        prop::option::of(0u64..1000),
        prop::option::of(1000u64..100_000),
    )
        .prop_map(|(low, high)| NumberRange { low, high });
    prop_oneof![
        prop::collection::vec(
            prop::sample::select(&["mi.com", "news.sina.com.cn", "weibo.com"][..]),
            1..3
        )
        .prop_map(|sites| MetaCondition::Site(sites.into_iter().map(String::from).collect())),
        prop::collection::vec(prop::sample::select(&["/news/", "a b", "?id=1"][..]), 1..3)
            .prop_map(|urls| MetaCondition::Url(urls.into_iter().map(String::from).collect())),
        (
            prop::sample::select(&[KeywordField::Author, KeywordField::Region][..]),
            prop::collection::vec(
                prop::sample::select(&["zh", "人民日报", "lei jun", "AND"][..]),
                1..3
            )
        )
            .prop_map(|(field, values)| MetaCondition::Keyword {
                field,
                values: values.into_iter().map(String::from).collect()
            }),
        (
            prop::sample::select(&[KeywordField::Lang, KeywordField::Country][..]),
            prop::collection::vec(prop::sample::select(&["zh", "EN", "cn", "zho"][..]), 1..3)
        )
            .prop_map(|(field, values)| MetaCondition::Keyword {
                field,
                values: values.into_iter().map(String::from).collect()
            }),
        prop::collection::vec(prop::sample::select(Channel::ALL), 1..4)
            .prop_map(MetaCondition::Channel),
        (
            prop::sample::select(&[FlagField::Verified, FlagField::Repost][..]),
            prop::collection::vec(any::<bool>(), 1..3)
        )
            .prop_map(|(field, values)| MetaCondition::Flag { field, values }),
        (
            prop::sample::select(
                &[
                    NumberField::Followers,
                    NumberField::Likes,
                    NumberField::Views
                ][..]
            ),
            prop::collection::vec(range, 1..3)
        )
            .prop_map(|(field, ranges)| MetaCondition::Range { field, ranges }),
    ]
    .prop_map(|condition| expr(ExprKind::Meta(condition)))
}

fn near_operand() -> impl Strategy<Value = Expr> {
    prop_oneof![3 => plain_term(), 1 => prop::collection::vec(plain_term(), 2..4).prop_map(|terms| expr(ExprKind::Or(terms)))]
}

fn near() -> impl Strategy<Value = Expr> {
    (near_operand(), near_operand(), 0u32..60, any::<bool>()).prop_map(
        |(left, right, distance, ordered)| {
            expr(ExprKind::Near {
                left: Box::new(left),
                right: Box::new(right),
                distance,
                ordered,
            })
        },
    )
}

/// Trees valid for the parser: OR branches and AND groups keep a positive
/// operand; fields are not nested.
fn tree(allow_fields: bool) -> BoxedStrategy<Expr> {
    let leaf = if allow_fields {
        prop_oneof![4 => term(), 2 => meta(), 1 => near()].boxed()
    } else {
        prop_oneof![4 => term(), 1 => near()].boxed()
    };
    leaf.prop_recursive(4, 24, 4, move |inner| {
        let scoped =
            (prop::sample::select(&TextField::ALL[..]), tree(false)).prop_map(|(field, inner)| {
                expr(ExprKind::Scoped {
                    field,
                    expr: Box::new(inner),
                })
            });
        let mut choices = vec![
            prop::collection::vec(inner.clone(), 2..4)
                .prop_map(|children| expr(ExprKind::Or(children)))
                .boxed(),
            (
                inner.clone(),
                prop::collection::vec((inner.clone(), any::<bool>()), 1..4),
            )
                .prop_map(|(first, rest)| {
                    let mut children = vec![first];
                    children.extend(rest.into_iter().map(|(child, negate)| {
                        if negate {
                            expr(ExprKind::Not(Box::new(child)))
                        } else {
                            child
                        }
                    }));
                    expr(ExprKind::And(children))
                })
                .boxed(),
        ];
        if allow_fields {
            choices.push(scoped.boxed());
        }
        prop::strategy::Union::new(choices)
    })
    .boxed()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    #[test]
    fn printing_then_parsing_gives_the_same_tree(original in tree(true)) {
        let printed = original.to_string();
        let parsed = Query::parse(&printed).map_err(|error| TestCaseError::fail(format!("{printed}: {error}")))?;
        prop_assert_eq!(parsed.expr().without_spans(), original.without_spans(), "printed as {}", printed);
        prop_assert_eq!(parsed.normalized(), printed);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 5000, ..ProptestConfig::default() })]

    /// Any text at all is either a query or an error with a column inside
    /// it; never a panic. An accepted query's normalised form is accepted
    /// again and means the same tree.
    #[test]
    fn any_text_parses_or_fails_cleanly(text in "[a-zA-Z0-9 ()\"“”{}<>:*?~/\\[\\]\\-.,_小米輿情ＡＢ（）é\u{301}]{0,40}") {
        match Query::parse(&text) {
            Ok(query) => {
                let again = Query::parse(&query.normalized()).map_err(|error| TestCaseError::fail(format!("{text:?} → {}: {error}", query.normalized())))?;
                prop_assert_eq!(again.expr().without_spans(), query.expr().without_spans());
                // and it can be matched, with and without hits
                let percolator = vane_query::Percolator::from_queries([(vane_model::TopicId::new("t"), query)]);
                let document = vane_model::Document {
                    title: "小米 輿情 ab".to_string(),
                    body: "xiaomi a b c 小米 cafe\u{301} A-B (x) 12:30".to_string(),
                    ..crate::body("")
                };
                let prepared = vane_query::PreparedDocument::new(&document);
                let mut scratch = vane_query::MatchScratch::default();
                let plain = percolator.percolate(&prepared, &mut scratch, false).len();
                prop_assert_eq!(plain, percolator.percolate(&prepared, &mut scratch, true).len());
                prop_assert_eq!(plain == 1, crate::naive::hits(again.expr(), &prepared).is_some());
            }
            Err(error) => {
                prop_assert!(error.column >= 1 && error.column <= text.chars().count() + 1, "{:?}: {}", text, error);
                prop_assert!(error.byte_offset <= text.len());
            }
        }
    }
}

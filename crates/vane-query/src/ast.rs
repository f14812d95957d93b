//! The syntax tree of a query, and its canonical printed form.
//!
//! Printing a tree and parsing the text back gives the same tree (spans
//! aside), which the parser's property test checks. The printed form is
//! fully explicit: every AND, OR and NOT spelled out, every nested group
//! in parentheses, NEAR distances written out.

use std::fmt::{self, Write as _};

use vane_model::{Channel, TextField};

/// A byte range in the NFKC-normalised query text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Self {
        Self { start, end }
    }

    pub fn to(self, other: Span) -> Span {
        Span::new(self.start.min(other.start), self.end.max(other.end))
    }
}

/// A node of the tree with the source range it was parsed from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Expr {
    pub kind: ExprKind,
    pub span: Span,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ExprKind {
    Term(Term),
    And(Vec<Expr>),
    Or(Vec<Expr>),
    Not(Box<Expr>),
    /// `left NEAR/distance right`; `ordered` for `NEAR/nf` and `ONEAR/n`.
    Near {
        left: Box<Expr>,
        right: Box<Expr>,
        distance: u32,
        ordered: bool,
    },
    /// `title:…` or `body:…`.
    Scoped {
        field: TextField,
        expr: Box<Expr>,
    },
    Meta(MetaCondition),
}

/// A text term: a word, a run of characters or a phrase. Bare and quoted
/// terms mean the same; the text is kept as written (after NFKC).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Term {
    pub text: String,
    /// Written in `{…}`: no case folding.
    pub case_sensitive: bool,
    /// `"…"~n`: all tokens within a window of (length + n), any order.
    pub slop: Option<u32>,
}

/// A condition on a metadata field; several values mean any of them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MetaCondition {
    /// Hosts, lower-case, without `www.`; a sub-domain matches too.
    Site(Vec<String>),
    /// Case-insensitive substrings of the URL, stored lower-case.
    Url(Vec<String>),
    /// Equality after the normalisation of §2, as written.
    Keyword {
        field: KeywordField,
        values: Vec<String>,
    },
    Channel(Vec<Channel>),
    Flag {
        field: FlagField,
        values: Vec<bool>,
    },
    Range {
        field: NumberField,
        ranges: Vec<NumberRange>,
    },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum KeywordField {
    Author,
    Lang,
    Country,
    Region,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FlagField {
    Verified,
    Repost,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum NumberField {
    Followers,
    Likes,
    Comments,
    Shares,
    Views,
}

/// An inclusive range; `None` is an open end (`*`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NumberRange {
    pub low: Option<u64>,
    pub high: Option<u64>,
}

impl NumberRange {
    pub fn contains(self, value: u64) -> bool {
        self.low.is_none_or(|low| value >= low) && self.high.is_none_or(|high| value <= high)
    }
}

impl KeywordField {
    pub fn as_str(self) -> &'static str {
        match self {
            KeywordField::Author => "author",
            KeywordField::Lang => "lang",
            KeywordField::Country => "country",
            KeywordField::Region => "region",
        }
    }
}

impl FlagField {
    pub fn as_str(self) -> &'static str {
        match self {
            FlagField::Verified => "verified",
            FlagField::Repost => "repost",
        }
    }
}

impl NumberField {
    pub fn as_str(self) -> &'static str {
        match self {
            NumberField::Followers => "followers",
            NumberField::Likes => "likes",
            NumberField::Comments => "comments",
            NumberField::Shares => "shares",
            NumberField::Views => "views",
        }
    }
}

impl Expr {
    pub fn new(kind: ExprKind, span: Span) -> Self {
        Self { kind, span }
    }

    /// The same tree with every span zeroed, for comparing shapes.
    pub fn without_spans(&self) -> Expr {
        let kind = match &self.kind {
            ExprKind::Term(term) => ExprKind::Term(term.clone()),
            ExprKind::And(children) => {
                ExprKind::And(children.iter().map(Expr::without_spans).collect())
            }
            ExprKind::Or(children) => {
                ExprKind::Or(children.iter().map(Expr::without_spans).collect())
            }
            ExprKind::Not(inner) => ExprKind::Not(Box::new(inner.without_spans())),
            ExprKind::Near {
                left,
                right,
                distance,
                ordered,
            } => ExprKind::Near {
                left: Box::new(left.without_spans()),
                right: Box::new(right.without_spans()),
                distance: *distance,
                ordered: *ordered,
            },
            ExprKind::Scoped { field, expr } => ExprKind::Scoped {
                field: *field,
                expr: Box::new(expr.without_spans()),
            },
            ExprKind::Meta(condition) => ExprKind::Meta(condition.clone()),
        };
        Expr::new(kind, Span::default())
    }

    fn is_compound(&self) -> bool {
        matches!(self.kind, ExprKind::And(_) | ExprKind::Or(_))
    }
}

/// Words the lexer reads as operators; a term spelled so must be quoted.
pub(crate) fn is_operator_word(text: &str) -> bool {
    matches!(text, "AND" | "OR" | "NOT" | "NEAR" | "ONEAR")
        || text.starts_with("NEAR/")
        || text.starts_with("ONEAR/")
}

/// Characters that end a bare term.
pub(crate) fn is_syntax_char(c: char) -> bool {
    matches!(c, '(' | ')' | '"' | '“' | '”' | '{' | '}')
}

/// Whether `text` reads back as the same bare term.
fn can_print_bare(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.starts_with('[')
        && !text.contains("<<<")
        && !text.chars().any(|c| c.is_whitespace() || is_syntax_char(c))
        && !is_operator_word(text)
        && !looks_like_field_prefix(text)
}

/// `letters:` followed by anything: the lexer would read a field prefix.
pub(crate) fn looks_like_field_prefix(text: &str) -> bool {
    match text.find(':') {
        Some(colon) => colon > 0 && text[..colon].chars().all(|c| c.is_ascii_alphabetic()),
        None => false,
    }
}

fn write_value(out: &mut String, text: &str) {
    if can_print_bare(text) {
        out.push_str(text);
    } else {
        let _ = write!(out, "\"{text}\"");
    }
}

fn write_values<T>(
    out: &mut String,
    name: &str,
    values: &[T],
    mut one: impl FnMut(&mut String, &T),
) {
    out.push_str(name);
    out.push(':');
    if let [value] = values {
        one(out, value);
    } else {
        out.push('(');
        for (index, value) in values.iter().enumerate() {
            if index > 0 {
                out.push_str(" OR ");
            }
            one(out, value);
        }
        out.push(')');
    }
}

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.case_sensitive {
            write!(f, "{{{}}}", self.text)
        } else if let Some(slop) = self.slop {
            write!(f, "\"{}\"~{slop}", self.text)
        } else {
            let mut out = String::new();
            write_value(&mut out, &self.text);
            f.write_str(&out)
        }
    }
}

impl fmt::Display for MetaCondition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut out = String::new();
        match self {
            MetaCondition::Site(values) => {
                write_values(&mut out, "site", values, |out, v| write_value(out, v))
            }
            MetaCondition::Url(values) => {
                write_values(&mut out, "url", values, |out, v| write_value(out, v))
            }
            MetaCondition::Keyword { field, values } => {
                write_values(&mut out, field.as_str(), values, |out, v| {
                    write_value(out, v)
                })
            }
            MetaCondition::Channel(values) => {
                write_values(&mut out, "channel", values, |out, v| {
                    out.push_str(v.as_str())
                })
            }
            MetaCondition::Flag { field, values } => {
                write_values(&mut out, field.as_str(), values, |out, v| {
                    out.push_str(if *v { "true" } else { "false" })
                })
            }
            MetaCondition::Range { field, ranges } => {
                write_values(&mut out, field.as_str(), ranges, |out, range| {
                    let bound =
                        |value: Option<u64>| value.map_or("*".to_string(), |v| v.to_string());
                    let _ = write!(out, "[{} TO {}]", bound(range.low), bound(range.high));
                })
            }
        }
        f.write_str(&out)
    }
}

impl fmt::Display for Expr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let child = |f: &mut fmt::Formatter<'_>, expr: &Expr| -> fmt::Result {
            if expr.is_compound() || matches!(expr.kind, ExprKind::Not(_)) {
                write!(f, "({expr})")
            } else {
                write!(f, "{expr}")
            }
        };
        // NOT binds tighter than NEAR, so a negated NEAR needs parentheses.
        let negated = |f: &mut fmt::Formatter<'_>, expr: &Expr| -> fmt::Result {
            if matches!(expr.kind, ExprKind::Near { .. }) {
                write!(f, "({expr})")
            } else {
                child(f, expr)
            }
        };
        match &self.kind {
            ExprKind::Term(term) => write!(f, "{term}"),
            ExprKind::Meta(condition) => write!(f, "{condition}"),
            ExprKind::And(children) => {
                for (index, expr) in children.iter().enumerate() {
                    if index > 0 {
                        f.write_str(" AND ")?;
                    }
                    match &expr.kind {
                        ExprKind::Not(inner) if index > 0 => {
                            f.write_str("NOT ")?;
                            negated(f, inner)?;
                        }
                        _ => child(f, expr)?,
                    }
                }
                Ok(())
            }
            ExprKind::Or(children) => {
                for (index, expr) in children.iter().enumerate() {
                    if index > 0 {
                        f.write_str(" OR ")?;
                    }
                    child(f, expr)?;
                }
                Ok(())
            }
            ExprKind::Not(inner) => {
                f.write_str("NOT ")?;
                negated(f, inner)
            }
            ExprKind::Near {
                left,
                right,
                distance,
                ordered,
            } => {
                child(f, left)?;
                write!(f, " NEAR/{distance}{} ", if *ordered { "f" } else { "" })?;
                child(f, right)
            }
            ExprKind::Scoped { field, expr } => {
                write!(f, "{}:", field.as_str())?;
                match &expr.kind {
                    ExprKind::Term(term) => write!(f, "{term}"),
                    _ => write!(f, "({expr})"),
                }
            }
        }
    }
}

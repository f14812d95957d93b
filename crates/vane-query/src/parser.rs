//! Recursive-descent parser from tokens to the syntax tree, enforcing the
//! operator rules of QUERY-LANGUAGE.md §5–§7 and §12.

use vane_model::Channel;

use crate::ast::{Expr, ExprKind, KeywordField, MetaCondition, NumberRange, Span, Term};
use crate::error::RawError;
use crate::lexer::{FieldName, LexWarning, Token, TokenKind};
use crate::term::{TermCache, TermPattern};

pub(crate) struct Parser<'a> {
    query: &'a str,
    terms: &'a mut TermCache,
    tokens: Vec<Token>,
    at: usize,
    pub(crate) warnings: Vec<LexWarning>,
}

/// How operands were joined in one sequence, for the mixing rule.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Joiner {
    And,
    Juxtaposition,
    Or,
}

impl<'a> Parser<'a> {
    pub(crate) fn new(
        query: &'a str,
        terms: &'a mut TermCache,
        tokens: Vec<Token>,
        warnings: Vec<LexWarning>,
    ) -> Self {
        Self {
            query,
            terms,
            tokens,
            at: 0,
            warnings,
        }
    }

    pub(crate) fn parse(mut self) -> Result<(Expr, Vec<LexWarning>), RawError> {
        if self.tokens.is_empty() {
            return Err(RawError::new(
                0,
                "the query is empty",
                "write at least one term, such as 小米 OR xiaomi",
            ));
        }
        let expr = self.sequence(false)?;
        if let Some(token) = self.peek() {
            let error = match token.kind {
                TokenKind::RightParen => RawError::new(
                    token.span.start,
                    "unbalanced )",
                    "remove it or open a group with (",
                ),
                _ => RawError::new(
                    token.span.start,
                    "unexpected text after the query",
                    "join it with AND or OR",
                ),
            };
            return Err(error);
        }
        Ok((expr, self.warnings))
    }

    fn peek(&self) -> Option<&Token> {
        self.tokens.get(self.at)
    }

    fn peek_kind(&self) -> Option<&TokenKind> {
        self.peek().map(|token| &token.kind)
    }

    fn next(&mut self) -> Option<Token> {
        let token = self.tokens.get(self.at).cloned();
        self.at += 1;
        token
    }

    fn end_offset(&self) -> usize {
        self.query.len()
    }

    /// Operands joined by AND (or juxtaposition) or by OR, but not both.
    fn sequence(&mut self, in_text_field: bool) -> Result<Expr, RawError> {
        let mut items = vec![self.operand(in_text_field)?];
        let mut joiners: Vec<(Joiner, usize)> = Vec::new();
        while let Some(token) = self.peek() {
            let offset = token.span.start;
            let joiner = match token.kind {
                TokenKind::RightParen => break,
                TokenKind::And => {
                    self.next();
                    self.expect_operand_after("AND", offset)?;
                    Joiner::And
                }
                TokenKind::Or => {
                    self.next();
                    self.expect_operand_after("OR", offset)?;
                    if let Some(TokenKind::Not | TokenKind::Minus) = self.peek_kind() {
                        return Err(RawError::new(
                            offset,
                            "OR followed by NOT makes a branch that can match only by absence",
                            "exclude with AND NOT: (a OR b) AND NOT c",
                        ));
                    }
                    Joiner::Or
                }
                TokenKind::Not => Joiner::And,
                TokenKind::Minus => Joiner::Juxtaposition,
                TokenKind::Near { .. } => {
                    return Err(RawError::new(
                        offset,
                        "NEAR cannot be chained or follow a NOT",
                        "use one NEAR per pair: (a NEAR/5 b) AND (b NEAR/5 c)",
                    ));
                }
                _ => Joiner::Juxtaposition,
            };
            if let Some(&(previous, _)) = joiners
                .iter()
                .find(|(previous, _)| (*previous == Joiner::Or) != (joiner == Joiner::Or))
            {
                let juxtaposed =
                    previous == Joiner::Juxtaposition || joiner == Joiner::Juxtaposition;
                let (message, hint) = if juxtaposed {
                    (
                        "a space (implicit AND) and OR mixed without parentheses",
                        "write (a b) OR c or a (b OR c)",
                    )
                } else {
                    (
                        "AND and OR mixed without parentheses",
                        "write (a AND b) OR c or a AND (b OR c)",
                    )
                };
                return Err(RawError::new(offset, message, hint));
            }
            joiners.push((joiner, offset));
            items.push(self.operand(in_text_field)?);
        }
        if items.len() == 1 {
            return Ok(items.pop().expect("one item"));
        }
        let span = items[0].span.to(items[items.len() - 1].span);
        let kind = if joiners[0].0 == Joiner::Or {
            ExprKind::Or(items)
        } else {
            ExprKind::And(items)
        };
        Ok(Expr::new(kind, span))
    }

    fn expect_operand_after(&self, operator: &str, offset: usize) -> Result<(), RawError> {
        match self.peek_kind() {
            None | Some(TokenKind::RightParen) => Err(RawError::new(
                offset,
                format!("{operator} has nothing after it"),
                format!("add a term after {operator} or remove it"),
            )),
            Some(TokenKind::And | TokenKind::Or) => Err(RawError::new(
                offset,
                format!("{operator} is followed by another operator"),
                "put a term between the two operators",
            )),
            _ => Ok(()),
        }
    }

    /// `NOT x`, `-x`, `a NEAR/n b` or a primary.
    fn operand(&mut self, in_text_field: bool) -> Result<Expr, RawError> {
        if let Some(TokenKind::Not | TokenKind::Minus) = self.peek_kind() {
            let not = self.next().expect("peeked");
            if self.peek().is_none() {
                return Err(RawError::new(
                    not.span.start,
                    "NOT has nothing after it",
                    "add the term to exclude, or remove NOT",
                ));
            }
            let inner = self.primary(in_text_field)?;
            if let Some(TokenKind::Near { .. }) = self.peek_kind() {
                return Err(RawError::new(
                    not.span.start,
                    "NOT inside a NEAR operand",
                    "NEAR operands are terms, phrases or OR groups; exclude outside: (a NEAR/5 b) AND NOT c",
                ));
            }
            let span = not.span.to(inner.span);
            return Ok(Expr::new(ExprKind::Not(Box::new(inner)), span));
        }
        let left = self.primary(in_text_field)?;
        let Some(&TokenKind::Near { distance, ordered }) = self.peek_kind() else {
            return Ok(left);
        };
        let near = self.next().expect("peeked");
        check_near_operand(&left)?;
        match self.peek_kind() {
            None | Some(TokenKind::RightParen) => {
                return Err(RawError::new(
                    near.span.start,
                    "NEAR has nothing after it",
                    "write a NEAR/5 b",
                ));
            }
            Some(TokenKind::Not | TokenKind::Minus) => {
                return Err(RawError::new(
                    self.peek().expect("peeked").span.start,
                    "NOT inside a NEAR operand",
                    "NEAR operands are terms, phrases or OR groups; exclude outside: (a NEAR/5 b) AND NOT c",
                ));
            }
            _ => {}
        }
        let right = self.primary(in_text_field)?;
        check_near_operand(&right)?;
        if let Some(token) = self.peek()
            && matches!(token.kind, TokenKind::Near { .. })
        {
            return Err(RawError::new(
                token.span.start,
                "NEAR cannot be chained",
                "write (a NEAR/5 b) AND (b NEAR/5 c)",
            ));
        }
        let span = left.span.to(right.span);
        Ok(Expr::new(
            ExprKind::Near {
                left: Box::new(left),
                right: Box::new(right),
                distance,
                ordered,
            },
            span,
        ))
    }

    fn primary(&mut self, in_text_field: bool) -> Result<Expr, RawError> {
        let Some(token) = self.next() else {
            return Err(RawError::new(
                self.end_offset(),
                "the query ends where a term was expected",
                "add a term or remove the last operator",
            ));
        };
        let span = token.span;
        match token.kind {
            TokenKind::LeftParen => {
                if let Some(TokenKind::RightParen) = self.peek_kind() {
                    return Err(RawError::new(
                        span.start,
                        "empty parentheses",
                        "put terms inside ( ) or remove them",
                    ));
                }
                let inner = self.sequence(in_text_field)?;
                match self.next() {
                    Some(Token {
                        kind: TokenKind::RightParen,
                        span: close,
                    }) => Ok(Expr::new(inner.kind, span.to(close))),
                    _ => Err(RawError::new(
                        span.start,
                        "unbalanced (",
                        "close the group with )",
                    )),
                }
            }
            TokenKind::RightParen => Err(RawError::new(
                span.start,
                "unbalanced )",
                "remove it or open a group with (",
            )),
            TokenKind::Quoted {
                text,
                text_start,
                slop,
            } => self.term(text, text_start, false, slop, span),
            TokenKind::CaseSensitive { text, text_start } => {
                self.term(text, text_start, true, None, span)
            }
            TokenKind::Bare { text } => self.term(text, span.start, false, None, span),
            TokenKind::Field(field) => {
                if in_text_field {
                    return Err(RawError::new(
                        span.start,
                        format!("`{}:` inside title:(…) or body:(…)", field.as_str()),
                        "field operators cannot be nested; move it outside the group",
                    ));
                }
                self.field(field, span)
            }
            TokenKind::FieldValue { .. } | TokenKind::Range(_) => Err(RawError::new(
                span.start,
                "a value without a field",
                "write field:value, as in site:mi.com",
            )),
            TokenKind::And | TokenKind::Or => {
                let name = if token.kind == TokenKind::And {
                    "AND"
                } else {
                    "OR"
                };
                Err(RawError::new(
                    span.start,
                    format!("{name} has nothing before it"),
                    format!("add a term before {name} or remove it"),
                ))
            }
            TokenKind::Near { .. } => Err(RawError::new(
                span.start,
                "NEAR has nothing before it",
                "write a NEAR/5 b",
            )),
            TokenKind::Not | TokenKind::Minus => Err(RawError::new(
                span.start,
                "NOT cannot be doubled",
                "remove one of the negations",
            )),
        }
    }

    /// Validates a term's text now, so that its errors point into the query.
    fn term(
        &mut self,
        text: String,
        text_start: usize,
        case_sensitive: bool,
        slop: Option<u32>,
        span: Span,
    ) -> Result<Expr, RawError> {
        let offset_of = |char_index: usize| {
            text_start
                + text
                    .char_indices()
                    .nth(char_index)
                    .map_or(text.len(), |(byte, _)| byte)
        };
        match self.terms.check(&text, case_sensitive).clone() {
            Ok((length, warnings))
                if slop.is_none() || length <= crate::window::MAX_WINDOW_TOKENS =>
            {
                for warning in warnings {
                    self.warnings.push(LexWarning {
                        offset: offset_of(warning.char_index),
                        message: warning.message,
                        hint: warning.hint,
                    });
                }
            }
            Ok(_) => {
                return Err(RawError::new(
                    span.start,
                    format!(
                        "a ~n phrase can hold at most {} tokens",
                        crate::window::MAX_WINDOW_TOKENS
                    ),
                    "shorten the phrase or split it with AND",
                ));
            }
            Err(problem) => {
                return Err(RawError::new(
                    offset_of(problem.char_index),
                    problem.message,
                    problem.hint,
                ));
            }
        }
        Ok(Expr::new(
            ExprKind::Term(Term {
                text,
                case_sensitive,
                slop,
            }),
            span,
        ))
    }

    fn field(&mut self, field: FieldName, prefix: Span) -> Result<Expr, RawError> {
        let Some(value) = self.next() else {
            return Err(RawError::new(
                prefix.start,
                format!("`{}:` has no value", field.as_str()),
                format!("write {}:value", field.as_str()),
            ));
        };
        if let FieldName::Text(text_field) = field {
            let inner = match value.kind {
                TokenKind::LeftParen => {
                    self.at -= 1;
                    self.primary(true)?
                }
                TokenKind::Quoted {
                    text,
                    text_start,
                    slop,
                } => self.term(text, text_start, false, slop, value.span)?,
                TokenKind::CaseSensitive { text, text_start } => {
                    self.term(text, text_start, true, None, value.span)?
                }
                TokenKind::FieldValue { text } => {
                    self.term(text, value.span.start, false, None, value.span)?
                }
                _ => {
                    return Err(RawError::new(
                        value.span.start,
                        format!(
                            "`{}:` needs a term, a phrase or a group",
                            text_field.as_str()
                        ),
                        format!(
                            "write {}:小米 or {}:(a OR b)",
                            text_field.as_str(),
                            text_field.as_str()
                        ),
                    ));
                }
            };
            let span = prefix.to(inner.span);
            return Ok(Expr::new(
                ExprKind::Scoped {
                    field: text_field,
                    expr: Box::new(inner),
                },
                span,
            ));
        }
        let mut values = Vec::new();
        let end = match value.kind {
            TokenKind::LeftParen => loop {
                let Some(item) = self.next() else {
                    return Err(RawError::new(
                        value.span.start,
                        "unbalanced (",
                        "close the list of values with )",
                    ));
                };
                values.push(item);
                match self.next() {
                    Some(Token {
                        kind: TokenKind::Or,
                        ..
                    }) => continue,
                    Some(Token {
                        kind: TokenKind::RightParen,
                        span,
                    }) => break span,
                    Some(other) => {
                        return Err(RawError::new(
                            other.span.start,
                            format!("only OR can join the values of `{}:(…)`", field.as_str()),
                            format!("write {}:(a OR b)", field.as_str()),
                        ));
                    }
                    None => {
                        return Err(RawError::new(
                            value.span.start,
                            "unbalanced (",
                            "close the list of values with )",
                        ));
                    }
                }
            },
            _ => {
                let span = value.span;
                values.push(value);
                span
            }
        };
        let condition = meta_condition(field, &values, self)?;
        Ok(Expr::new(ExprKind::Meta(condition), prefix.to(end)))
    }
}

/// Operands of NEAR are terms, phrases or OR groups of them.
fn check_near_operand(expr: &Expr) -> Result<(), RawError> {
    let offset = expr.span.start;
    match &expr.kind {
        ExprKind::Term(term) if term.slop.is_some() => Err(RawError::new(
            offset,
            "a ~n phrase inside a NEAR operand",
            "use a plain phrase next to NEAR",
        )),
        ExprKind::Term(_) => Ok(()),
        ExprKind::Or(children) => children.iter().try_for_each(check_near_operand),
        ExprKind::And(_) => Err(RawError::new(
            offset,
            "AND inside a NEAR operand",
            "NEAR operands are terms, phrases or OR groups; write (a NEAR/5 c) AND (b NEAR/5 c)",
        )),
        ExprKind::Not(_) => Err(RawError::new(
            offset,
            "NOT inside a NEAR operand",
            "exclude outside the NEAR: (a NEAR/5 b) AND NOT c",
        )),
        ExprKind::Near { .. } => Err(RawError::new(
            offset,
            "NEAR cannot be chained",
            "write (a NEAR/5 b) AND (b NEAR/5 c)",
        )),
        ExprKind::Scoped { .. } | ExprKind::Meta(_) => Err(RawError::new(
            offset,
            "a field operator inside a NEAR operand",
            "put the field outside: title:(a NEAR/5 b)",
        )),
    }
}

fn value_text(token: &Token) -> Option<&str> {
    match &token.kind {
        TokenKind::FieldValue { text } | TokenKind::Bare { text } => Some(text),
        TokenKind::Quoted {
            text, slop: None, ..
        } => Some(text),
        _ => None,
    }
}

fn plain_value<'t>(token: &'t Token, name: &str) -> Result<&'t str, RawError> {
    value_text(token).ok_or_else(|| {
        RawError::new(
            token.span.start,
            format!("`{name}:` takes a plain value here"),
            format!("write {name}:value or {name}:(a OR b)"),
        )
    })
}

fn meta_condition(
    field: FieldName,
    values: &[Token],
    parser: &mut Parser<'_>,
) -> Result<MetaCondition, RawError> {
    let name = field.as_str();
    let text_of = |token| plain_value(token, name);
    Ok(match field {
        FieldName::Text(_) => unreachable!("text fields are scopes"),
        FieldName::Site => {
            let mut sites = Vec::new();
            for token in values {
                let raw = text_of(token)?.trim().to_lowercase();
                let host = raw.trim_end_matches('.');
                let host = host.strip_prefix("www.").unwrap_or(host);
                if host.is_empty()
                    || host.contains(['/', ':', '?', '#'])
                    || host.contains(char::is_whitespace)
                {
                    return Err(RawError::new(
                        token.span.start,
                        format!("`{raw}` is not a host"),
                        "site: takes a host such as mi.com, without a scheme, port or path; use url: for paths",
                    ));
                }
                sites.push(host.to_string());
            }
            MetaCondition::Site(sites)
        }
        FieldName::Url => {
            let mut urls = Vec::new();
            for token in values {
                urls.push(text_of(token)?.to_lowercase());
            }
            MetaCondition::Url(urls)
        }
        FieldName::Keyword(keyword) => {
            let mut texts = Vec::new();
            for token in values {
                let text = text_of(token)?;
                TermPattern::compile(text, false).map_err(|problem| {
                    RawError::new(token.span.start, problem.message, problem.hint)
                })?;
                if matches!(keyword, KeywordField::Lang | KeywordField::Country) {
                    let code = text.trim();
                    let letters = code.chars().count();
                    if letters != 2 && letters != 3
                        || !code.chars().all(|c| c.is_ascii_alphabetic())
                    {
                        return Err(RawError::new(
                            token.span.start,
                            format!("`{code}` is not a {name} code"),
                            if keyword == KeywordField::Lang {
                                "use a two-letter ISO 639-1 code such as zh or en"
                            } else {
                                "use a two-letter ISO 3166-1 code such as cn or us"
                            },
                        ));
                    }
                    if letters == 3 {
                        parser.warnings.push(LexWarning {
                            offset: token.span.start,
                            message: format!("`{code}` is a three-letter code, but documents carry two-letter codes"),
                            hint: if keyword == KeywordField::Lang { "write the ISO 639-1 code, such as zh for zho".to_string() } else { "write the ISO 3166-1 alpha-2 code, such as cn for chn".to_string() },
                        });
                    }
                }
                texts.push(text.to_string());
            }
            MetaCondition::Keyword {
                field: keyword,
                values: texts,
            }
        }
        FieldName::Channel => {
            let mut channels = Vec::new();
            for token in values {
                let text = text_of(token)?;
                let channel = text.parse::<Channel>().map_err(|error| {
                    RawError::new(
                        token.span.start,
                        error.to_string(),
                        "pick one of the listed channels",
                    )
                })?;
                channels.push(channel);
            }
            MetaCondition::Channel(channels)
        }
        FieldName::Flag(flag) => {
            let mut flags = Vec::new();
            for token in values {
                let text = text_of(token)?;
                let value = match text.to_ascii_lowercase().as_str() {
                    "true" => true,
                    "false" => false,
                    _ => {
                        return Err(RawError::new(
                            token.span.start,
                            format!("`{name}:` is true or false, not `{text}`"),
                            format!("write {name}:true or {name}:false"),
                        ));
                    }
                };
                flags.push(value);
            }
            MetaCondition::Flag {
                field: flag,
                values: flags,
            }
        }
        FieldName::Number(number) => {
            let mut ranges = Vec::new();
            for token in values {
                let range = match &token.kind {
                    TokenKind::Range(range) => *range,
                    _ => {
                        let text = text_of(token)?;
                        let exact = text.parse::<u64>().map_err(|_| {
                            RawError::new(
                                token.span.start,
                                format!("`{name}:` takes a number or a range, not `{text}`"),
                                format!("write {name}:1000 or {name}:[1000 TO *]"),
                            )
                        })?;
                        NumberRange {
                            low: Some(exact),
                            high: Some(exact),
                        }
                    }
                };
                ranges.push(range);
            }
            MetaCondition::Range {
                field: number,
                ranges,
            }
        }
    })
}

/// Every OR branch, and the query itself, needs a positive condition.
pub(crate) fn check_positive(expr: &Expr) -> Result<(), RawError> {
    find_negative_branch(expr)?;
    if !has_positive(expr) {
        return Err(RawError::new(
            expr.span.start,
            "the query can match only by absence",
            "add a term to look for: every query and every OR branch needs one outside NOT",
        ));
    }
    Ok(())
}

fn has_positive(expr: &Expr) -> bool {
    match &expr.kind {
        ExprKind::Term(_) | ExprKind::Meta(_) | ExprKind::Near { .. } => true,
        ExprKind::Not(_) => false,
        ExprKind::And(children) => children.iter().any(has_positive),
        ExprKind::Or(children) => children.iter().all(has_positive),
        ExprKind::Scoped { expr, .. } => has_positive(expr),
    }
}

fn find_negative_branch(expr: &Expr) -> Result<(), RawError> {
    match &expr.kind {
        ExprKind::Or(children) => {
            for child in children {
                if !has_positive(child) {
                    return Err(RawError::new(
                        child.span.start,
                        "this OR branch can match only by absence",
                        "give every OR branch a term outside NOT, or move the NOT outside the group",
                    ));
                }
                find_negative_branch(child)?;
            }
            Ok(())
        }
        ExprKind::And(children) => children.iter().try_for_each(find_negative_branch),
        ExprKind::Not(inner) => find_negative_branch(inner),
        ExprKind::Scoped { expr, .. } => find_negative_branch(expr),
        ExprKind::Term(_) | ExprKind::Meta(_) | ExprKind::Near { .. } => Ok(()),
    }
}

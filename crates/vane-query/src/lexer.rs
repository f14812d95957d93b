//! Splits the NFKC-normalised query into tokens (QUERY-LANGUAGE.md §3–§8, §12).
//!
//! Field values, ranges, quotes, case blocks and comments are recognised
//! here, so the parser sees a flat token list with byte spans.

use vane_model::TextField;

use crate::ast::{FlagField, KeywordField, NumberField, NumberRange, Span, is_syntax_char};
use crate::error::RawError;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FieldName {
    Text(TextField),
    Site,
    Url,
    Keyword(KeywordField),
    Channel,
    Flag(FlagField),
    Number(NumberField),
}

pub(crate) const KNOWN_FIELDS: &str = "title, body, site, url, author, lang, country, region, channel, verified, repost, followers, likes, comments, shares, views";

impl FieldName {
    fn from_name(name: &str) -> Option<Self> {
        Some(match name.to_ascii_lowercase().as_str() {
            "title" => FieldName::Text(TextField::Title),
            "body" => FieldName::Text(TextField::Body),
            "site" => FieldName::Site,
            "url" => FieldName::Url,
            "author" => FieldName::Keyword(KeywordField::Author),
            "lang" => FieldName::Keyword(KeywordField::Lang),
            "country" => FieldName::Keyword(KeywordField::Country),
            "region" => FieldName::Keyword(KeywordField::Region),
            "channel" => FieldName::Channel,
            "verified" => FieldName::Flag(FlagField::Verified),
            "repost" => FieldName::Flag(FlagField::Repost),
            "followers" => FieldName::Number(NumberField::Followers),
            "likes" => FieldName::Number(NumberField::Likes),
            "comments" => FieldName::Number(NumberField::Comments),
            "shares" => FieldName::Number(NumberField::Shares),
            "views" => FieldName::Number(NumberField::Views),
            _ => return None,
        })
    }

    pub(crate) fn as_str(self) -> &'static str {
        match self {
            FieldName::Text(field) => field.as_str(),
            FieldName::Site => "site",
            FieldName::Url => "url",
            FieldName::Keyword(field) => field.as_str(),
            FieldName::Channel => "channel",
            FieldName::Flag(field) => field.as_str(),
            FieldName::Number(field) => field.as_str(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum TokenKind {
    LeftParen,
    RightParen,
    /// `"…"` or `“…”`, with `~n` if it follows.
    Quoted {
        text: String,
        text_start: usize,
        slop: Option<u32>,
    },
    /// `{…}`.
    CaseSensitive {
        text: String,
        text_start: usize,
    },
    Bare {
        text: String,
    },
    /// `name:` directly followed by its value.
    Field(FieldName),
    /// The bare value right after `name:`.
    FieldValue {
        text: String,
    },
    Range(NumberRange),
    And,
    Or,
    Not,
    Near {
        distance: u32,
        ordered: bool,
    },
    /// A `-` negating what it touches.
    Minus,
}

#[derive(Debug, Clone)]
pub(crate) struct Token {
    pub(crate) kind: TokenKind,
    pub(crate) span: Span,
}

/// A lint finding of the lexer, at a byte offset of the normalised query.
#[derive(Debug, Clone)]
pub(crate) struct LexWarning {
    pub(crate) offset: usize,
    pub(crate) message: String,
    pub(crate) hint: String,
}

fn is_quote(c: char) -> bool {
    matches!(c, '"' | '“' | '”')
}

pub(crate) fn lex(query: &str) -> Result<(Vec<Token>, Vec<LexWarning>), RawError> {
    let mut tokens = Vec::new();
    let mut warnings = Vec::new();
    let mut at = 0;
    // A `-` negates only at the start of a term after whitespace, `(`,
    // `)` or the start of the query.
    let mut negation_allowed = true;
    // The previous token was a quote or a case block ending right here.
    let mut touching_close = false;
    while let Some(c) = query[at..].chars().next() {
        if c.is_whitespace() {
            at += c.len_utf8();
            negation_allowed = true;
            touching_close = false;
            continue;
        }
        if query[at..].starts_with("<<<") {
            let Some(end) = query[at + 3..].find(">>>") else {
                return Err(RawError::new(
                    at,
                    "the comment <<< is not closed",
                    "end the comment with >>>",
                ));
            };
            at += 3 + end + 3;
            negation_allowed = true;
            touching_close = false;
            continue;
        }
        let start = at;
        match c {
            '(' | ')' => {
                at += 1;
                let kind = if c == '(' {
                    TokenKind::LeftParen
                } else {
                    TokenKind::RightParen
                };
                tokens.push(Token {
                    kind,
                    span: Span::new(start, at),
                });
                negation_allowed = true;
                touching_close = false;
            }
            _ if is_quote(c) => {
                let (text, text_start, end) = quoted(query, start)?;
                at = end;
                let slop = slop_after(query, &mut at)?;
                tokens.push(Token {
                    kind: TokenKind::Quoted {
                        text,
                        text_start,
                        slop,
                    },
                    span: Span::new(start, at),
                });
                negation_allowed = false;
                touching_close = true;
            }
            '{' => {
                let (text, text_start, end) = case_block(query, start)?;
                at = end;
                tokens.push(Token {
                    kind: TokenKind::CaseSensitive { text, text_start },
                    span: Span::new(start, at),
                });
                negation_allowed = false;
                touching_close = true;
            }
            '}' => {
                return Err(RawError::new(
                    start,
                    "unbalanced }",
                    "open the case-sensitive block with { or remove the }",
                ));
            }
            '-' if negation_allowed => {
                let next = query[at + 1..].chars().next();
                if next.is_none_or(char::is_whitespace) {
                    return Err(RawError::new(
                        start,
                        "`-` must touch the term it excludes",
                        "write -word without a space, or NOT word",
                    ));
                }
                at += 1;
                tokens.push(Token {
                    kind: TokenKind::Minus,
                    span: Span::new(start, at),
                });
                negation_allowed = false;
                touching_close = false;
            }
            _ => {
                let end = bare_end(query, start);
                let word = &query[start..end];
                if touching_close && word.starts_with('-') {
                    warnings.push(LexWarning {
                        offset: start,
                        message:
                            "this `-` touches a closing quote or } and is read as AND, not NOT"
                                .to_string(),
                        hint: format!("put a space before it to exclude: … {word}"),
                    });
                }
                at = end;
                if word.starts_with('[')
                    && let Ok((range, range_end)) = range(query, start)
                {
                    // a range inside a value group: followers:([0 TO 9] OR [100 TO *])
                    tokens.push(Token {
                        kind: TokenKind::Range(range),
                        span: Span::new(start, range_end),
                    });
                    at = range_end;
                    negation_allowed = false;
                    touching_close = false;
                    continue;
                }
                bare(query, start, end, &mut at, &mut tokens)?;
                negation_allowed = false;
                touching_close = false;
            }
        }
    }
    Ok((tokens, warnings))
}

/// The end of a bare term: whitespace, a syntax character or a comment.
fn bare_end(query: &str, start: usize) -> usize {
    let mut end = start;
    for (offset, c) in query[start..].char_indices() {
        if c.is_whitespace() || is_syntax_char(c) || query[start + offset..].starts_with("<<<") {
            break;
        }
        end = start + offset + c.len_utf8();
    }
    end
}

fn quoted(query: &str, start: usize) -> Result<(String, usize, usize), RawError> {
    let open = query[start..].chars().next().expect("at a quote");
    let text_start = start + open.len_utf8();
    let Some(length) = query[text_start..].find(is_quote) else {
        return Err(RawError::new(
            start,
            "the quote is not closed",
            "close the phrase with a matching \" or ”",
        ));
    };
    let text = &query[text_start..text_start + length];
    if text.trim().is_empty() {
        return Err(RawError::new(
            start,
            "the phrase is empty",
            "put the words to match between the quotes",
        ));
    }
    let close = query[text_start + length..]
        .chars()
        .next()
        .expect("at a quote");
    Ok((
        text.to_string(),
        text_start,
        text_start + length + close.len_utf8(),
    ))
}

fn slop_after(query: &str, at: &mut usize) -> Result<Option<u32>, RawError> {
    if !query[*at..].starts_with('~') {
        return Ok(None);
    }
    let tilde = *at;
    let digits: String = query[tilde + 1..]
        .chars()
        .take_while(char::is_ascii_digit)
        .collect();
    if digits.is_empty() {
        return Err(RawError::new(
            tilde,
            "expected a number after ~",
            "write the extra window as a number: \"xiaomi 14\"~3",
        ));
    }
    let slop = digits.parse::<u32>().map_err(|_| {
        RawError::new(
            tilde,
            "the number after ~ is too large",
            "use a window under a few hundred tokens",
        )
    })?;
    *at = tilde + 1 + digits.len();
    Ok(Some(slop))
}

fn case_block(query: &str, start: usize) -> Result<(String, usize, usize), RawError> {
    let text_start = start + 1;
    let Some(length) = query[text_start..].find('}') else {
        return Err(RawError::new(
            start,
            "the case-sensitive block { is not closed",
            "close it with }, as in {NIO}",
        ));
    };
    let text = &query[text_start..text_start + length];
    if text.trim().is_empty() {
        return Err(RawError::new(
            start,
            "the case-sensitive block is empty",
            "put the exact text between the braces: {NIO}",
        ));
    }
    Ok((text.to_string(), text_start, text_start + length + 1))
}

/// Classifies a bare run: operator, field prefix (with its value) or term.
fn bare(
    query: &str,
    start: usize,
    end: usize,
    at: &mut usize,
    tokens: &mut Vec<Token>,
) -> Result<(), RawError> {
    let word = &query[start..end];
    let span = Span::new(start, end);
    let operator = match word {
        "AND" => Some(TokenKind::And),
        "OR" => Some(TokenKind::Or),
        "NOT" => Some(TokenKind::Not),
        "NEAR" | "ONEAR" => Some(TokenKind::Near {
            distance: 5,
            ordered: word == "ONEAR",
        }),
        _ => None,
    };
    if let Some(kind) = operator {
        tokens.push(Token { kind, span });
        return Ok(());
    }
    if let Some(rest) = word
        .strip_prefix("NEAR/")
        .or_else(|| word.strip_prefix("ONEAR/"))
    {
        let ordered_suffix = rest.strip_suffix('f');
        let digits = ordered_suffix.unwrap_or(rest);
        let distance = (!digits.is_empty() && digits.chars().all(|c| c.is_ascii_digit()))
            .then(|| digits.parse::<u32>().ok())
            .flatten()
            .ok_or_else(|| {
                RawError::new(
                    start,
                    format!("`{word}` is not a proximity operator"),
                    "write NEAR/5, NEAR/5f (ordered) or ONEAR/5",
                )
            })?;
        let ordered = word.starts_with('O') || ordered_suffix.is_some();
        tokens.push(Token {
            kind: TokenKind::Near { distance, ordered },
            span,
        });
        return Ok(());
    }
    if let Some(colon) = word.find(':') {
        let name = &word[..colon];
        if colon > 0 && name.chars().all(|c| c.is_ascii_alphabetic()) {
            let rest = &word[colon + 1..];
            let after = query[end..].chars().next();
            let value_follows = !rest.is_empty() || after.is_some_and(|c| !c.is_whitespace());
            let field = FieldName::from_name(name);
            match (field, value_follows) {
                (Some(field), true) => {
                    let prefix_end = start + colon + 1;
                    tokens.push(Token {
                        kind: TokenKind::Field(field),
                        span: Span::new(start, prefix_end),
                    });
                    if rest.starts_with('[') {
                        let (range, range_end) = range(query, prefix_end)?;
                        tokens.push(Token {
                            kind: TokenKind::Range(range),
                            span: Span::new(prefix_end, range_end),
                        });
                        *at = range_end;
                    } else if !rest.is_empty() {
                        tokens.push(Token {
                            kind: TokenKind::FieldValue {
                                text: rest.to_string(),
                            },
                            span: Span::new(prefix_end, end),
                        });
                    }
                    return Ok(());
                }
                (Some(field), false) => {
                    return Err(RawError::new(
                        start + colon + 1,
                        format!("`{}:` is followed by a space", field.as_str()),
                        format!(
                            "write the value right after the colon: {}:value",
                            field.as_str()
                        ),
                    ));
                }
                (None, true) => {
                    return Err(RawError::new(
                        start,
                        format!("unknown field `{name}`"),
                        format!("the fields are {KNOWN_FIELDS}; to match a URL write url:\"…\""),
                    ));
                }
                (None, false) => {}
            }
        }
    }
    tokens.push(Token {
        kind: TokenKind::Bare {
            text: word.to_string(),
        },
        span,
    });
    Ok(())
}

/// `[low TO high]` starting at `start`; returns the range and its end.
fn range(query: &str, start: usize) -> Result<(NumberRange, usize), RawError> {
    let Some(length) = query[start..].find(']') else {
        return Err(RawError::new(
            start,
            "the range [ is not closed",
            "write a range as [100 TO 5000]",
        ));
    };
    let inside = &query[start + 1..start + length];
    let parts: Vec<&str> = inside.split_whitespace().collect();
    let bad = || {
        RawError::new(
            start,
            format!("`[{inside}]` is not a range"),
            "write a range as [100 TO 5000], with * for an open end",
        )
    };
    let [low, "TO", high] = parts.as_slice() else {
        return Err(bad());
    };
    let bound = |text: &str| -> Result<Option<u64>, RawError> {
        if text == "*" {
            Ok(None)
        } else if text.chars().all(|c| c.is_ascii_digit()) {
            text.parse::<u64>().map(Some).map_err(|_| bad())
        } else {
            Err(bad())
        }
    };
    let range = NumberRange {
        low: bound(low)?,
        high: bound(high)?,
    };
    if let (Some(low), Some(high)) = (range.low, range.high)
        && low > high
    {
        return Err(RawError::new(
            start,
            format!("the range starts at {low}, above its end {high}"),
            format!("write [{high} TO {low}]"),
        ));
    }
    Ok((range, start + length + 1))
}

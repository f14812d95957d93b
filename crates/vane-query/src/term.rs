//! Text terms compiled to token patterns, and matching them against the
//! tokens of a document field (QUERY-LANGUAGE.md §2–§4, §12).

use rustc_hash::FxHashMap;
use vane_text::{
    CharClass, NormalizedText, Token, TokenKind, char_class, fold_char, for_each_normalized_char,
    lower_char, strip_accents_into,
};

/// Which form of a document token a pattern is compared with. Chosen per
/// token by the accent rule and by case sensitivity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CompareSpace {
    /// Lower case, accents stripped: an unaccented, case-insensitive token.
    Folded,
    /// Lower case, accents kept: an accented, case-insensitive token.
    Lower,
    /// Case kept, accents stripped: an unaccented token in `{…}`.
    CasedStripped,
    /// Exactly as normalised: an accented token in `{…}`.
    Cased,
}

/// One token of a term.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TokenPattern {
    pub kind: TokenKind,
    pub space: CompareSpace,
    /// The token in its comparison space; `*` and `?` are wildcards when
    /// `wildcard` is set (they never occur in document tokens).
    pub pattern: String,
    pub wildcard: bool,
    /// The folded literal text before any wildcard: what the presearcher
    /// looks for at the start of a document token.
    pub anchor: String,
    /// This Han/kana token must touch the previous one (no separator in
    /// the query between them, so none allowed in the text).
    pub must_join: bool,
}

/// A term as a sequence of token patterns that must occur consecutively.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct TermPattern {
    pub tokens: Vec<TokenPattern>,
}

/// A problem in a term, at a character index of the term's text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TermProblem {
    pub(crate) char_index: usize,
    pub(crate) message: String,
    pub(crate) hint: String,
}

/// The outcome of checking a term: its length in tokens and its lint
/// findings, or the problem that makes it invalid.
type Checked = Result<(usize, Vec<TermProblem>), TermProblem>;

/// Terms already checked, so that parsing many queries (a topics file, a
/// workspace) compiles each distinct term once. Pass one to
/// [`crate::Query::parse_with`].
#[derive(Debug, Default)]
pub struct TermCache {
    /// By text; index 0 case-insensitive, 1 case-sensitive.
    checked: FxHashMap<Box<str>, [Option<Checked>; 2]>,
}

impl TermCache {
    pub(crate) fn check(&mut self, text: &str, case_sensitive: bool) -> &Checked {
        if !self.checked.contains_key(text) {
            self.checked.insert(text.into(), [None, None]);
        }
        let slots = self.checked.get_mut(text).expect("inserted above");
        slots[case_sensitive as usize].get_or_insert_with(|| {
            TermPattern::compile(text, case_sensitive)
                .map(|compiled| (compiled.pattern.len(), compiled.warnings))
        })
    }
}

/// What compiling a term gives: the pattern and its lint findings.
#[derive(Debug)]
pub(crate) struct CompiledTerm {
    pub(crate) pattern: TermPattern,
    pub(crate) warnings: Vec<TermProblem>,
}

struct RawToken {
    kind: TokenKind,
    cased: String,
    wildcard: bool,
    must_join: bool,
    literals_before_wildcard: usize,
}

impl TermPattern {
    /// Compiles the text of a term (`case_sensitive` for `{…}`).
    pub(crate) fn compile(text: &str, case_sensitive: bool) -> Result<CompiledTerm, TermProblem> {
        let mut raw: Vec<RawToken> = Vec::new();
        let mut in_word = false;
        let mut previous_was_token = false;
        let mut problem = None;
        let mut warnings = Vec::new();
        for_each_normalized_char(text, |c, source_start, _| {
            if problem.is_some() {
                return;
            }
            if c == '*' || c == '?' {
                if in_word {
                    let token = raw.last_mut().expect("a word is open");
                    if !token.wildcard {
                        if token.literals_before_wildcard < 2 {
                            problem = Some(TermProblem {
                                char_index: source_start as usize,
                                message: format!(
                                    "a wildcard needs at least 2 letters or digits before it, `{}{c}` has {}",
                                    token.cased, token.literals_before_wildcard
                                ),
                                hint: "write at least two letters before * or ?, as in xi*"
                                    .to_string(),
                            });
                            return;
                        }
                        if c == '*' && token.literals_before_wildcard < 3 {
                            warnings.push(TermProblem {
                                char_index: source_start as usize,
                                message: format!("the wildcard `{}*` has only {} letters before it and will match many words", token.cased, token.literals_before_wildcard),
                                hint: "use at least three letters before *".to_string(),
                            });
                        }
                    }
                    token.wildcard = true;
                    token.cased.push(c);
                } else if source_start == 0 {
                    problem = Some(TermProblem {
                        char_index: 0,
                        message: format!("a term cannot start with the wildcard `{c}`"),
                        hint: "wildcards go at the end or inside a word: xiao* or colo?r"
                            .to_string(),
                    });
                } else {
                    in_word = false;
                    previous_was_token = false;
                }
                return;
            }
            match char_class(c) {
                CharClass::Han => {
                    let must_join = previous_was_token
                        && raw.last().is_some_and(|token| token.kind == TokenKind::Han);
                    raw.push(RawToken {
                        kind: TokenKind::Han,
                        cased: c.to_string(),
                        wildcard: false,
                        must_join,
                        literals_before_wildcard: 1,
                    });
                    in_word = false;
                    previous_was_token = true;
                }
                CharClass::Word => {
                    if in_word {
                        let token = raw.last_mut().expect("a word is open");
                        token.cased.push(c);
                        if !token.wildcard {
                            token.literals_before_wildcard += 1;
                        }
                    } else {
                        raw.push(RawToken {
                            kind: TokenKind::Word,
                            cased: c.to_string(),
                            wildcard: false,
                            must_join: false,
                            literals_before_wildcard: 1,
                        });
                        in_word = true;
                    }
                    previous_was_token = true;
                }
                CharClass::Separator => {
                    in_word = false;
                    previous_was_token = false;
                }
            }
        });
        if let Some(problem) = problem {
            return Err(problem);
        }
        if raw.is_empty() {
            return Err(TermProblem {
                char_index: 0,
                message: format!("`{text}` has no letters, digits or Chinese characters to match"),
                hint: "a term needs at least one word or character; punctuation alone is not searchable".to_string(),
            });
        }
        let tokens = raw
            .into_iter()
            .map(|token| token_pattern(token, case_sensitive))
            .collect();
        Ok(CompiledTerm {
            pattern: TermPattern { tokens },
            warnings,
        })
    }

    /// Compiles the text of a term on its own; `None` if it is not a valid term.
    pub fn from_text(text: &str, case_sensitive: bool) -> Option<TermPattern> {
        Self::compile(text, case_sensitive)
            .ok()
            .map(|compiled| compiled.pattern)
    }

    pub fn len(&self) -> usize {
        self.tokens.len()
    }

    pub fn is_empty(&self) -> bool {
        self.tokens.is_empty()
    }

    /// Whether the term occurs with its first token at `position`.
    pub fn matches_at(&self, text: &NormalizedText, position: usize, scratch: &mut String) -> bool {
        let Some(window) = text.tokens.get(position..position + self.tokens.len()) else {
            return false;
        };
        self.tokens
            .iter()
            .zip(window)
            .enumerate()
            .all(|(index, (pattern, token))| {
                (index == 0 || !pattern.must_join || token.joined)
                    && pattern.matches(text, token, scratch)
            })
    }
}

fn token_pattern(raw: RawToken, case_sensitive: bool) -> TokenPattern {
    let mut folded = String::new();
    for c in raw.cased.chars() {
        fold_char(c, &mut folded);
    }
    let (space, pattern) = if case_sensitive {
        let mut stripped = String::new();
        strip_accents_into(&raw.cased, &mut stripped);
        if stripped == raw.cased {
            (CompareSpace::CasedStripped, stripped)
        } else {
            (CompareSpace::Cased, raw.cased.clone())
        }
    } else {
        let mut lower = String::new();
        for c in raw.cased.chars() {
            lower_char(c, &mut lower);
        }
        if lower == folded {
            (CompareSpace::Folded, folded.clone())
        } else {
            (CompareSpace::Lower, lower)
        }
    };
    let anchor = folded
        .split(['*', '?'])
        .next()
        .unwrap_or_default()
        .to_string();
    TokenPattern {
        kind: raw.kind,
        space,
        pattern,
        wildcard: raw.wildcard,
        anchor,
        must_join: raw.must_join,
    }
}

impl TokenPattern {
    /// Whether one document token matches this pattern.
    #[inline]
    pub fn matches(&self, text: &NormalizedText, token: &Token, scratch: &mut String) -> bool {
        if token.kind != self.kind {
            return false;
        }
        let candidate: &str = match self.space {
            CompareSpace::Folded => text.folded_token(token),
            CompareSpace::Cased => text.cased_token(token),
            CompareSpace::Lower => {
                scratch.clear();
                for c in text.cased_token(token).chars() {
                    lower_char(c, scratch);
                }
                scratch
            }
            CompareSpace::CasedStripped => {
                scratch.clear();
                strip_accents_into(text.cased_token(token), scratch);
                scratch
            }
        };
        if self.wildcard {
            glob_matches(&self.pattern, candidate)
        } else {
            candidate == self.pattern
        }
    }
}

/// `*` is zero or more characters, `?` exactly one; everything else literal.
pub(crate) fn glob_matches(pattern: &str, text: &str) -> bool {
    let (mut pattern_at, mut text_at) = (0, 0);
    let mut resume: Option<(usize, usize)> = None;
    while text_at < text.len() {
        if let Some(p) = pattern[pattern_at..].chars().next() {
            if p == '*' {
                pattern_at += 1;
                resume = Some((pattern_at, text_at));
                continue;
            }
            let t = text[text_at..].chars().next().expect("inside text");
            if p == '?' || p == t {
                pattern_at += p.len_utf8();
                text_at += t.len_utf8();
                continue;
            }
        }
        match resume {
            Some((star_pattern, star_text)) => {
                let skipped = text[star_text..].chars().next().expect("inside text");
                pattern_at = star_pattern;
                text_at = star_text + skipped.len_utf8();
                resume = Some((star_pattern, text_at));
            }
            None => return false,
        }
    }
    pattern[pattern_at..].chars().all(|p| p == '*')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs_match_whole_tokens() {
        for (pattern, text, expected) in [
            ("xiao*", "xiao", true),
            ("xiao*", "xiaomi", true),
            ("xiao*", "xiamen", false),
            ("colo?r", "colour", true),
            ("colo?r", "color", false),
            ("x*m*i", "xiaomi", true),
            ("x*m*i", "xiaomo", false),
            ("su?", "su7", true),
            ("su?", "su77", false),
        ] {
            assert_eq!(glob_matches(pattern, text), expected, "{pattern} ~ {text}");
        }
    }

    #[test]
    fn wildcards_follow_word_letters_only() {
        let compiled = TermPattern::compile("e-*mail", false).unwrap();
        let patterns: Vec<&str> = compiled
            .pattern
            .tokens
            .iter()
            .map(|t| t.pattern.as_str())
            .collect();
        assert_eq!(patterns, ["e", "mail"]);
        let compiled = TermPattern::compile("小米怎么样？", false).unwrap();
        assert_eq!(compiled.pattern.len(), 5);
        assert!(TermPattern::compile("*mi", false).is_err());
        assert!(TermPattern::compile("x*", false).is_err());
        assert_eq!(
            TermPattern::compile("xi*", false).unwrap().warnings.len(),
            1
        );
        assert!(
            TermPattern::compile("xia*", false)
                .unwrap()
                .warnings
                .is_empty()
        );
    }
}

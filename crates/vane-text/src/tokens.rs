//! Tokens: Han/kana characters one by one, runs of letters and digits as
//! words, everything else a separator (QUERY-LANGUAGE.md §2).

use crate::chars::{CharClass, char_class};
use crate::normalize::{NormalizedChars, fold_char, ideograph_at, to_simplified};

/// Whether a token is one Han/kana character or a word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TokenKind {
    Han,
    Word,
}

/// One token of a normalised text. Offsets are `u32` to keep the token
/// small; texts over 4 GiB are not documents.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token {
    /// Byte range in [`NormalizedText::folded`].
    pub folded_start: u32,
    pub folded_end: u32,
    /// Byte range in [`NormalizedText::cased`].
    pub cased_start: u32,
    pub cased_end: u32,
    /// Character range in the original text, end exclusive.
    pub char_start: u32,
    pub char_end: u32,
    pub kind: TokenKind,
    /// Nothing (not even a space) stands between the previous token and this one.
    pub joined: bool,
    /// The character of a Han/kana token (folding leaves those alone);
    /// `'\0'` for a word. Kept here so that lookups need not decode it.
    pub character: char,
}

/// A text after normalisation: the text in two forms and its tokens.
#[derive(Debug, Clone, Default)]
pub struct NormalizedText {
    /// NFKC and Traditional→Simplified, case and accents kept; separators kept.
    pub cased: String,
    /// `cased`, lower-cased and with accents stripped: the form terms match in.
    pub folded: String,
    pub tokens: Vec<Token>,
}

impl NormalizedText {
    pub fn new(text: &str) -> Self {
        let mut normalized = Self::default();
        normalized.reset(text);
        normalized
    }

    /// Re-normalises into the existing buffers (no allocation once warm).
    pub fn reset(&mut self, text: &str) {
        self.cased.clear();
        self.folded.clear();
        self.tokens.clear();
        self.cased.reserve(text.len());
        self.folded.reserve(text.len());
        let Self {
            cased,
            folded,
            tokens,
        } = self;
        let mut in_word = false;
        let mut previous_was_token = false;
        let mut chars = NormalizedChars::new(text, true);
        loop {
            if let Some((run, first_index)) = chars.take_ascii_run() {
                let cased_base = cased.len();
                let folded_base = folded.len();
                cased.push_str(run);
                folded.push_str(run);
                folded[folded_base..].make_ascii_lowercase();
                let bytes = run.as_bytes();
                let mut offset = 0;
                while offset < bytes.len() {
                    if !bytes[offset].is_ascii_alphanumeric() {
                        in_word = false;
                        previous_was_token = false;
                        offset += 1;
                        continue;
                    }
                    let word_start = offset;
                    while offset < bytes.len() && bytes[offset].is_ascii_alphanumeric() {
                        offset += 1;
                    }
                    let (start, end) = (word_start as u32, offset as u32);
                    if in_word {
                        let token = tokens.last_mut().expect("a word is open");
                        token.folded_end = folded_base as u32 + end;
                        token.cased_end = cased_base as u32 + end;
                        token.char_end = first_index + end;
                    } else {
                        tokens.push(Token {
                            folded_start: folded_base as u32 + start,
                            folded_end: folded_base as u32 + end,
                            cased_start: cased_base as u32 + start,
                            cased_end: cased_base as u32 + end,
                            char_start: first_index + start,
                            char_end: first_index + end,
                            kind: TokenKind::Word,
                            joined: previous_was_token,
                            character: '\0',
                        });
                    }
                    in_word = true;
                    previous_was_token = true;
                }
                continue;
            }
            if let Some((run, first_index)) = chars.take_ideograph_run() {
                let bytes = run.as_bytes();
                for (offset, at) in (0..bytes.len()).step_by(3).enumerate() {
                    let Some(c) = ideograph_at(bytes, at) else {
                        break;
                    };
                    let simplified = to_simplified(c);
                    let (cased_start, folded_start) = (cased.len() as u32, folded.len() as u32);
                    cased.push(simplified);
                    folded.push(simplified);
                    let char_start = first_index + offset as u32;
                    tokens.push(Token {
                        folded_start,
                        folded_end: folded.len() as u32,
                        cased_start,
                        cased_end: cased.len() as u32,
                        char_start,
                        char_end: char_start + 1,
                        kind: TokenKind::Han,
                        joined: previous_was_token,
                        character: simplified,
                    });
                    previous_was_token = true;
                }
                in_word = false;
                continue;
            }
            let Some((c, source_start, source_end)) = chars.next() else {
                break;
            };
            let cased_start = cased.len() as u32;
            let folded_start = folded.len() as u32;
            cased.push(c);
            fold_char(c, folded);
            match char_class(c) {
                CharClass::Han => {
                    tokens.push(Token {
                        folded_start,
                        folded_end: folded.len() as u32,
                        cased_start,
                        cased_end: cased.len() as u32,
                        char_start: source_start,
                        char_end: source_end,
                        kind: TokenKind::Han,
                        joined: previous_was_token,
                        character: c,
                    });
                    in_word = false;
                    previous_was_token = true;
                }
                CharClass::Word => {
                    if in_word {
                        let token = tokens.last_mut().expect("a word is open");
                        token.folded_end = folded.len() as u32;
                        token.cased_end = cased.len() as u32;
                        token.char_end = token.char_end.max(source_end);
                    } else {
                        tokens.push(Token {
                            folded_start,
                            folded_end: folded.len() as u32,
                            cased_start,
                            cased_end: cased.len() as u32,
                            char_start: source_start,
                            char_end: source_end,
                            kind: TokenKind::Word,
                            joined: previous_was_token,
                            character: '\0',
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
        }
    }

    /// Appends the folded form of `text` to `out`: exactly
    /// `NormalizedText::new(text).folded`, without building the tokens or
    /// the cased form (for readers of the folded text only).
    pub fn fold_into(text: &str, out: &mut String) {
        out.reserve(text.len());
        let mut chars = NormalizedChars::new(text, true);
        loop {
            if let Some((run, _)) = chars.take_ascii_run() {
                let base = out.len();
                out.push_str(run);
                out[base..].make_ascii_lowercase();
                continue;
            }
            if let Some((run, _)) = chars.take_ideograph_run() {
                let bytes = run.as_bytes();
                for at in (0..bytes.len()).step_by(3) {
                    let Some(c) = ideograph_at(bytes, at) else {
                        break;
                    };
                    out.push(to_simplified(c));
                }
                continue;
            }
            let Some((c, _, _)) = chars.next() else {
                break;
            };
            fold_char(c, out);
        }
    }

    /// The folded (matching) form of a token.
    #[inline]
    pub fn folded_token(&self, token: &Token) -> &str {
        &self.folded[token.folded_start as usize..token.folded_end as usize]
    }

    /// The character of a Han/kana token; `None` for a word.
    #[inline]
    pub fn han_char(&self, token: &Token) -> Option<char> {
        (token.kind == TokenKind::Han).then_some(token.character)
    }

    /// The cased form of a token.
    #[inline]
    pub fn cased_token(&self, token: &Token) -> &str {
        &self.cased[token.cased_start as usize..token.cased_end as usize]
    }

    /// The folded forms of all tokens, for tests and quick checks.
    pub fn folded_tokens(&self) -> Vec<&str> {
        self.tokens
            .iter()
            .map(|token| self.folded_token(token))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_the_specification_example() {
        let text = NormalizedText::new("小米SU7发布会，雷军说");
        assert_eq!(
            text.folded_tokens(),
            ["小", "米", "su7", "发", "布", "会", "雷", "军", "说"]
        );
        let joined: Vec<bool> = text.tokens.iter().map(|token| token.joined).collect();
        assert_eq!(
            joined,
            [false, true, true, true, true, true, false, true, true]
        );
    }

    #[test]
    fn tokens_map_back_to_original_characters() {
        let original = "Ｒｅｄｍｉ-Note 輿情 cafe\u{301}!";
        let text = NormalizedText::new(original);
        assert_eq!(text.folded_tokens(), ["redmi", "note", "舆", "情", "cafe"]);
        let chars: Vec<char> = original.chars().collect();
        let spans: Vec<String> = text
            .tokens
            .iter()
            .map(|token| {
                chars[token.char_start as usize..token.char_end as usize]
                    .iter()
                    .collect()
            })
            .collect();
        assert_eq!(spans, ["Ｒｅｄｍｉ", "Note", "輿", "情", "cafe\u{301}"]);
        assert_eq!(text.cased_token(&text.tokens[4]), "café");
    }

    #[test]
    fn folding_alone_gives_the_folded_text() {
        let mut folded = String::new();
        for text in [
            "小米SU7發布會，雷軍說：「ＡＢＣ　１２３」",
            "Ｃａｆé ÉCOLE ﬁ ㍿ Straße İstanbul ΣΑΣ",
            "a輿情𠀀ご😀 e\u{301} ｶﾞ 한국어 \u{3000}x\ty",
            "",
        ] {
            folded.clear();
            NormalizedText::fold_into(text, &mut folded);
            assert_eq!(folded, NormalizedText::new(text).folded, "{text}");
        }
    }

    #[test]
    fn han_characters_decode_from_the_folded_text() {
        let text = NormalizedText::new("a輿情𠀀ご");
        let chars: Vec<Option<char>> = text.tokens[1..]
            .iter()
            .map(|token| text.han_char(token))
            .collect();
        assert_eq!(chars, [Some('舆'), Some('情'), Some('𠀀'), Some('ご')]);
    }

    #[test]
    fn underscores_emoji_and_punctuation_separate() {
        let text = NormalizedText::new("a_b😀c e-mail mi.com 12:30");
        assert_eq!(
            text.folded_tokens(),
            ["a", "b", "c", "e", "mail", "mi", "com", "12", "30"]
        );
    }
}

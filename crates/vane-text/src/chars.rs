//! Character classes of the tokeniser (QUERY-LANGUAGE.md §12).

use std::sync::OnceLock;

use unicode_general_category::{GeneralCategory, get_general_category};
use unicode_script::{Script, UnicodeScript};

/// What a normalised character contributes to tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CharClass {
    /// Script Han, Hiragana or Katakana, or `ー`: a token of its own.
    Han,
    /// A letter, digit or combining mark (categories L, N, M): part of a word token.
    Word,
    /// Anything else: separates tokens and is not a token.
    Separator,
}

/// The class of one normalised character.
#[inline]
pub fn char_class(c: char) -> CharClass {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Separator
        };
    }
    if (c as u32) < 0x10000 {
        return bmp_entry(c).class();
    }
    class_by_lookup(c)
}

/// What the tokeniser needs to know of one BMP character, packed in a
/// `u32`: its Simplified form (21 bits), its class (2 bits), whether it
/// is its own NFKC form on its own, and whether it starts a combining
/// sequence. One load per character instead of searching the tables of
/// scripts, categories, normalisation and Traditional→Simplified.
#[derive(Debug, Clone, Copy)]
pub(crate) struct BmpEntry(u32);

const STABLE_BIT: u32 = 1 << 26;
const STARTER_BIT: u32 = 1 << 27;

impl BmpEntry {
    #[inline]
    pub(crate) fn simplified(self, c: char) -> char {
        char::from_u32(self.0 & 0x1F_FFFF).unwrap_or(c)
    }

    #[inline]
    pub(crate) fn class(self) -> CharClass {
        match self.0 >> 24 & 3 {
            0 => CharClass::Han,
            1 => CharClass::Word,
            _ => CharClass::Separator,
        }
    }

    /// NFKC leaves the character unchanged when a starter follows it.
    #[inline]
    pub(crate) fn nfkc_stable(self) -> bool {
        self.0 & STABLE_BIT != 0
    }

    /// Canonical combining class 0.
    #[inline]
    pub(crate) fn starter(self) -> bool {
        self.0 & STARTER_BIT != 0
    }
}

/// The entry of a BMP character; the table is built on first use (a few
/// milliseconds).
#[inline]
pub(crate) fn bmp_entry(c: char) -> BmpEntry {
    static TABLE: OnceLock<Box<[u32]>> = OnceLock::new();
    let table = TABLE.get_or_init(|| {
        (0..0x10000u32)
            .map(|code| {
                let Some(c) = char::from_u32(code) else {
                    return code;
                };
                let simplified = crate::normalize::simplified_by_search(c) as u32;
                let class = match class_by_lookup(c) {
                    CharClass::Han => 0,
                    CharClass::Word => 1,
                    CharClass::Separator => 2,
                };
                let stable = unicode_normalization::is_nfkc_quick(std::iter::once(c))
                    == unicode_normalization::IsNormalized::Yes;
                let starter = unicode_normalization::char::canonical_combining_class(c) == 0;
                simplified
                    | class << 24
                    | if stable { STABLE_BIT } else { 0 }
                    | if starter { STARTER_BIT } else { 0 }
            })
            .collect()
    });
    BmpEntry(table[c as usize])
}

fn class_by_lookup(c: char) -> CharClass {
    if c.is_ascii() {
        return if c.is_ascii_alphanumeric() {
            CharClass::Word
        } else {
            CharClass::Separator
        };
    }
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '\u{30FC}' {
        return CharClass::Han;
    }
    if matches!(
        c.script(),
        Script::Han | Script::Hiragana | Script::Katakana
    ) {
        return CharClass::Han;
    }
    use GeneralCategory::*;
    match get_general_category(c) {
        UppercaseLetter | LowercaseLetter | TitlecaseLetter | ModifierLetter | OtherLetter
        | DecimalNumber | LetterNumber | OtherNumber | NonspacingMark | SpacingMark
        | EnclosingMark => CharClass::Word,
        _ => CharClass::Separator,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_follow_script_and_category() {
        for (c, class) in [
            ('小', CharClass::Han),
            ('〇', CharClass::Han),
            ('々', CharClass::Han),
            ('の', CharClass::Han),
            ('カ', CharClass::Han),
            ('ー', CharClass::Han),
            ('한', CharClass::Word),
            ('é', CharClass::Word),
            ('\u{301}', CharClass::Word),
            ('٣', CharClass::Word),
            ('_', CharClass::Separator),
            ('，', CharClass::Separator),
            ('😀', CharClass::Separator),
            ('・', CharClass::Separator),
        ] {
            assert_eq!(char_class(c), class, "{c:?}");
        }
    }
}

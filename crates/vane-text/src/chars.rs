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
        return bmp_entry(c).1;
    }
    class_by_lookup(c)
}

/// Every character of the Basic Multilingual Plane with its Simplified
/// form and its class, packed in a `u32` (21 bits of character, 2 of
/// class): one load per character instead of a table search for the
/// script, the category and the Traditional→Simplified table. Built on
/// first use (a few milliseconds).
#[inline]
pub(crate) fn bmp_entry(c: char) -> (char, CharClass) {
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
                simplified | class << 24
            })
            .collect()
    });
    let entry = table[c as usize];
    let class = match entry >> 24 {
        0 => CharClass::Han,
        1 => CharClass::Word,
        _ => CharClass::Separator,
    };
    (char::from_u32(entry & 0x1F_FFFF).unwrap_or(c), class)
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

//! Character classes of the tokeniser (QUERY-LANGUAGE.md §12).

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
        return if c.is_ascii_alphanumeric() { CharClass::Word } else { CharClass::Separator };
    }
    if ('\u{4E00}'..='\u{9FFF}').contains(&c) || c == '\u{30FC}' {
        return CharClass::Han;
    }
    if matches!(c.script(), Script::Han | Script::Hiragana | Script::Katakana) {
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

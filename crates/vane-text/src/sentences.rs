//! Sentence splitting for Chinese and English (and text that mixes them):
//! character ranges of the sentences of a text, for scoring sentiment
//! around a topic's hits and for keyword extraction.

use std::ops::Range;

/// Characters that end a sentence wherever they stand.
fn ends_always(c: char) -> bool {
    matches!(c, '。' | '！' | '？' | '!' | '?' | '；' | '…' | '\n' | '｡')
}

/// Closing characters that belong to the sentence they follow.
fn closes(c: char) -> bool {
    matches!(
        c,
        '”' | '’' | '"' | '\'' | '）' | ')' | '」' | '』' | '】' | '》' | ']'
    )
}

/// Words after which a full stop does not end an English sentence.
const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "jr", "sr", "vs", "etc", "inc", "ltd", "co", "no",
    "e.g", "i.e", "u.s", "u.k",
];

/// The sentences of `text` as ranges of character offsets, trimmed of
/// surrounding whitespace; empty sentences are left out.
pub fn sentences(text: &str) -> Vec<Range<usize>> {
    sentence_spans(text)
        .into_iter()
        .map(|sentence| sentence.chars)
        .collect()
}

/// A sentence of a text: where it is in characters and in bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sentence {
    pub chars: Range<usize>,
    pub bytes: Range<usize>,
}

/// Bytes that can start a sentence terminator: `!`, `?`, `.`, a line
/// break, and the lead bytes of the full-width ones (`…` E2, `。` E3,
/// `！？；｡` EF). Never a continuation byte, so always a character boundary.
const TERMINATOR_LEAD: [bool; 256] = {
    let mut table = [false; 256];
    let mut index = 0;
    let leads = [b'!', b'?', b'.', b'\n', 0xE2, 0xE3, 0xEF];
    while index < leads.len() {
        table[leads[index] as usize] = true;
        index += 1;
    }
    table
};

/// The sentences of `text` as [`sentences`] finds them, with their byte
/// ranges too, so that a reader can slice the text instead of rebuilding
/// each sentence from characters. One pass over the bytes: characters are
/// counted by their first bytes, and only a byte that can start a
/// terminator is decoded.
pub fn sentence_spans(text: &str) -> Vec<Sentence> {
    let bytes = text.as_bytes();
    let mut spans = Vec::new();
    // where the current sentence starts: (byte, char)
    let mut start = (0, 0);
    // characters before `at`
    let mut index = 0;
    let mut at = 0;
    while at < bytes.len() {
        let byte = bytes[at];
        if !TERMINATOR_LEAD[byte as usize] {
            index += usize::from(byte & 0xC0 != 0x80);
            at += 1;
            continue;
        }
        let Some(c) = text[at..].chars().next() else {
            break;
        };
        let mut end = at + c.len_utf8();
        index += 1;
        let boundary = ends_always(c) || (c == '.' && full_stop_ends(text, at));
        if boundary {
            // repeated terminators and closing quotes stay with the sentence
            while let Some(next) = text[end..].chars().next() {
                if !(ends_always(next) && next != '\n' || closes(next) || next == '.') {
                    break;
                }
                end += next.len_utf8();
                index += 1;
            }
            push_trimmed(text, start, (end, index), &mut spans);
            start = (end, index);
        }
        at = end;
    }
    push_trimmed(text, start, (text.len(), index), &mut spans);
    spans
}

/// A full stop at byte `at` ends a sentence when whitespace or the end
/// follows and it does not close an abbreviation, an initial or a number.
fn full_stop_ends(text: &str, at: usize) -> bool {
    let next = text[at + 1..].chars().next();
    if next.is_some_and(|next| !next.is_whitespace() && !closes(next)) {
        return false;
    }
    let before = &text[..at];
    let word_start = before
        .char_indices()
        .rev()
        .find(|(_, c)| c.is_whitespace())
        .map_or(0, |(position, c)| position + c.len_utf8());
    let word = before[word_start..].to_lowercase();
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    if ABBREVIATIONS.contains(&word) {
        return false;
    }
    // a single capital letter is an initial: "J. Smith"
    !(word.chars().count() == 1 && before.chars().next_back().is_some_and(char::is_uppercase))
}

/// Adds `start..end` (each a (byte, char) position) without the
/// whitespace around it, unless nothing is left.
fn push_trimmed(text: &str, start: (usize, usize), end: (usize, usize), spans: &mut Vec<Sentence>) {
    let piece = &text[start.0..end.0];
    let trimmed = piece.trim_start();
    let leading = &piece[..piece.len() - trimmed.len()];
    let kept = trimmed.trim_end();
    if kept.is_empty() {
        return;
    }
    let trailing = &trimmed[kept.len()..];
    let (byte, char) = (start.0 + leading.len(), start.1 + leading.chars().count());
    spans.push(Sentence {
        chars: char..end.1 - trailing.chars().count(),
        bytes: byte..byte + kept.len(),
    });
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Seeded;

    fn split(text: &str) -> Vec<String> {
        let chars: Vec<char> = text.chars().collect();
        sentences(text)
            .into_iter()
            .map(|range| chars[range].iter().collect())
            .collect()
    }

    #[test]
    fn chinese_sentences_end_at_full_width_marks_and_keep_closing_quotes() {
        assert_eq!(
            split("小米发布新车。雷军说：“我们准备好了！”网友怎么看？\n第二段"),
            [
                "小米发布新车。",
                "雷军说：“我们准备好了！”",
                "网友怎么看？",
                "第二段"
            ]
        );
    }

    #[test]
    fn english_full_stops_skip_abbreviations_initials_and_numbers() {
        assert_eq!(
            split("Mr. Lei met J. Smith at 3.30 pm. Sales rose 2.5%! Was it enough? \"Yes.\" Done"),
            [
                "Mr. Lei met J. Smith at 3.30 pm.",
                "Sales rose 2.5%!",
                "Was it enough?",
                "\"Yes.\"",
                "Done"
            ]
        );
    }

    #[test]
    fn byte_ranges_hold_the_same_text_as_character_ranges() {
        for text in [
            "小米发布新车。雷军说：“我们准备好了！”网友怎么看？\n第二段",
            "  Mr. Lei met J. Smith at 3.30 pm.  Sales rose 2.5%!\u{3000}Was it enough? \"Yes.\" Done ",
            "\u{3000}全角空格开头。。。\n\n  Ünïcödé. Ω. é…",
            "U.S. officials said no. Then: \"Fine.\"\r\n下一句",
        ] {
            let chars: Vec<char> = text.chars().collect();
            let spans = sentence_spans(text);
            assert!(!spans.is_empty(), "{text}");
            for span in spans {
                let by_chars: String = chars[span.chars.clone()].iter().collect();
                assert_eq!(&text[span.bytes.clone()], by_chars, "{text}");
            }
        }
    }

    /// The character-by-character splitter the byte scan replaced.
    fn reference_spans(text: &str) -> Vec<Sentence> {
        let mut spans = Vec::new();
        let mut chars = text.char_indices().peekable();
        // where the current sentence starts: (byte, char)
        let mut start = (0, 0);
        let mut index = 0;
        while let Some((at, c)) = chars.next() {
            index += 1;
            let boundary = ends_always(c) || (c == '.' && full_stop_ends(text, at));
            if !boundary {
                continue;
            }
            // repeated terminators and closing quotes stay with the sentence
            while let Some(&(_, next)) = chars.peek() {
                if !(ends_always(next) && next != '\n' || closes(next) || next == '.') {
                    break;
                }
                chars.next();
                index += 1;
            }
            let end_byte = chars.peek().map_or(text.len(), |&(at, _)| at);
            push_trimmed(text, start, (end_byte, index), &mut spans);
            start = (end_byte, index);
        }
        push_trimmed(text, start, (text.len(), index), &mut spans);
        spans
    }

    #[test]
    fn the_byte_scan_finds_what_the_character_scan_found() {
        let palette = [
            "。", "！", "？", "；", "…", "｡", "!", "?", ".", "\n", "\r\n", " ", "\u{3000}", "”",
            "’", "\"", "'", "）", ")", "」", "』", "】", "》", "]", "，", "“", "「", "小米",
            "雷军", "发布", "の", "가", "Mr", "J", "u.s", "3", "30", "Sales", "rose", "é", "Ω",
            "𠀀", "\u{301}", "⋯", "€", "\u{feff}",
        ];
        let mut random = Seeded::new(5);
        for _ in 0..20_000 {
            let text: String = (0..random.below(24))
                .map(|_| palette[random.below(palette.len())])
                .collect();
            assert_eq!(sentence_spans(&text), reference_spans(&text), "{text:?}");
        }
    }

    #[test]
    fn empty_and_blank_texts_have_no_sentences() {
        assert!(sentences("").is_empty());
        assert!(sentences("  \n\n ").is_empty());
        assert_eq!(split("没有标点"), ["没有标点"]);
    }
}

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
    let chars: Vec<char> = text.chars().collect();
    let mut ranges = Vec::new();
    let mut start = 0;
    let mut index = 0;
    while index < chars.len() {
        let c = chars[index];
        let boundary = ends_always(c) || (c == '.' && full_stop_ends(&chars, index));
        index += 1;
        if !boundary {
            continue;
        }
        // repeated terminators and closing quotes stay with the sentence
        while index < chars.len()
            && (ends_always(chars[index]) && chars[index] != '\n'
                || closes(chars[index])
                || chars[index] == '.')
        {
            index += 1;
        }
        push_trimmed(&chars, start, index, &mut ranges);
        start = index;
    }
    push_trimmed(&chars, start, chars.len(), &mut ranges);
    ranges
}

/// A full stop ends a sentence when whitespace or the end follows and it
/// does not close an abbreviation, an initial or a number.
fn full_stop_ends(chars: &[char], at: usize) -> bool {
    let next = chars.get(at + 1).copied();
    if next.is_some_and(|next| !next.is_whitespace() && !closes(next)) {
        return false;
    }
    let word_start = chars[..at]
        .iter()
        .rposition(|c| c.is_whitespace())
        .map_or(0, |position| position + 1);
    let word: String = chars[word_start..at]
        .iter()
        .collect::<String>()
        .to_lowercase();
    let word = word.trim_start_matches(|c: char| !c.is_alphanumeric());
    if ABBREVIATIONS.contains(&word) {
        return false;
    }
    // a single capital letter is an initial: "J. Smith"
    !(word.chars().count() == 1 && chars[at - 1].is_uppercase())
}

fn push_trimmed(chars: &[char], start: usize, end: usize, ranges: &mut Vec<Range<usize>>) {
    let mut start = start;
    let mut end = end;
    while start < end && chars[start].is_whitespace() {
        start += 1;
    }
    while end > start && chars[end - 1].is_whitespace() {
        end -= 1;
    }
    if start < end {
        ranges.push(start..end);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
    fn empty_and_blank_texts_have_no_sentences() {
        assert!(sentences("").is_empty());
        assert!(sentences("  \n\n ").is_empty());
        assert_eq!(split("没有标点"), ["没有标点"]);
    }
}

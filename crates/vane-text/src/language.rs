//! Language detection for short and long texts: scripts decide Chinese,
//! Japanese and Korean; common function words and letters decide between
//! English, French, German and Spanish (and Portuguese and Italian, which
//! would otherwise pass for Spanish).

/// Function words by language: frequent, short and mostly exclusive.
const WORDS: &[(&str, &[&str])] = &[
    (
        "en",
        &[
            "the", "and", "of", "to", "is", "in", "that", "it", "was", "for", "on", "are", "with",
            "as", "this", "be", "at", "have", "from", "by", "not", "but", "they", "you", "we",
            "has", "will", "an", "were", "which", "their", "been", "would", "what", "there", "can",
            "said", "its", "my", "very",
        ],
    ),
    (
        "fr",
        &[
            "le", "la", "les", "et", "des", "est", "une", "un", "du", "dans", "pour", "que", "qui",
            "pas", "sur", "au", "avec", "ce", "il", "elle", "sont", "nous", "vous", "mais", "ou",
            "par", "plus", "cette", "aux", "été", "très", "je",
        ],
    ),
    (
        "de",
        &[
            "der", "die", "und", "das", "ist", "nicht", "ein", "eine", "zu", "den", "mit", "von",
            "sich", "des", "auf", "für", "im", "dem", "auch", "es", "wir", "ich", "sie", "aus",
            "bei", "wird", "sind", "noch", "nach", "über", "sehr", "oder",
        ],
    ),
    (
        "es",
        &[
            "el", "la", "los", "las", "y", "de", "que", "en", "es", "un", "una", "por", "con",
            "para", "del", "se", "no", "al", "lo", "como", "pero", "sus", "más", "muy", "está",
            "son", "fue", "este", "esta", "también", "yo",
        ],
    ),
    (
        "pt",
        &[
            "o", "a", "os", "as", "e", "de", "que", "em", "um", "uma", "para", "com", "não", "do",
            "da", "dos", "das", "no", "na", "por", "mais", "foi", "são", "muito", "também", "ele",
            "ela", "isso",
        ],
    ),
    (
        "it",
        &[
            "il", "lo", "la", "gli", "le", "e", "di", "che", "è", "un", "una", "per", "con", "non",
            "del", "della", "sono", "nel", "alla", "anche", "più", "molto", "questo", "ma", "come",
            "io",
        ],
    ),
];

/// Letters that point to one language.
const LETTERS: &[(char, &str)] = &[
    ('ñ', "es"),
    ('¿', "es"),
    ('¡', "es"),
    ('ß', "de"),
    ('ä', "de"),
    ('ö', "de"),
    ('ü', "de"),
    ('ç', "fr"),
    ('è', "fr"),
    ('ê', "fr"),
    ('à', "fr"),
    ('œ', "fr"),
    ('ã', "pt"),
    ('õ', "pt"),
    ('ò', "it"),
    ('ì', "it"),
];

/// The ISO 639-1 code of the language `text` is written in, or `"und"`
/// when there is nothing to go by.
pub fn detect_language(text: &str) -> &'static str {
    let (mut han, mut kana, mut hangul, mut latin, mut other) =
        (0usize, 0usize, 0usize, 0usize, 0usize);
    for c in text.chars() {
        match c as u32 {
            0x3040..=0x30FF | 0x31F0..=0x31FF | 0xFF66..=0xFF9D => kana += 1,
            0x4E00..=0x9FFF | 0x3400..=0x4DBF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF => han += 1,
            0xAC00..=0xD7A3 | 0x1100..=0x11FF | 0x3130..=0x318F => hangul += 1,
            _ if c.is_alphabetic() && (c.is_ascii() || (0xC0..=0x24F).contains(&(c as u32))) => {
                latin += 1
            }
            _ if c.is_alphabetic() => other += 1,
            _ => {}
        }
    }
    let letters = han + kana + hangul + latin + other;
    if letters == 0 {
        return "und";
    }
    // Japanese mixes kana with Han; a little kana is enough
    if kana > 0 && kana * 10 >= han + kana {
        return "ja";
    }
    if hangul * 2 >= letters {
        return "ko";
    }
    if (han + kana) * 3 >= letters {
        return "zh";
    }
    if latin * 2 < letters {
        return "und";
    }
    latin_language(text)
}

fn latin_language(text: &str) -> &'static str {
    let lower = text.to_lowercase();
    let mut votes: Vec<(&'static str, f32)> = WORDS.iter().map(|(code, _)| (*code, 0.0)).collect();
    let mut vote = |code: &str, amount: f32| {
        if let Some(entry) = votes.iter_mut().find(|(candidate, _)| *candidate == code) {
            entry.1 += amount;
        }
    };
    for word in lower
        .split(|c: char| !c.is_alphabetic())
        .filter(|word| !word.is_empty())
    {
        for (code, words) in WORDS {
            if words.contains(&word) {
                vote(code, 1.0);
            }
        }
        if word.ends_with("ing") || word.ends_with("tion") {
            vote("en", 0.3);
        }
    }
    for c in lower.chars() {
        if let Some((_, code)) = LETTERS.iter().find(|(letter, _)| *letter == c) {
            vote(code, 1.5);
        }
    }
    votes
        .iter()
        .fold(("en", 0.0f32), |best, &(code, score)| {
            if score > best.1 { (code, score) } else { best }
        })
        .0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn languages_are_told_apart_even_in_short_texts() {
        for (text, code) in [
            ("小米发布会今天举行", "zh"),
            ("輿情監測系統", "zh"),
            ("Xiaomi 小米汽车 SU7 发布", "zh"),
            ("新しいスマートフォンを発売しました", "ja"),
            ("東京で会議", "ja"),
            ("カメラ", "ja"),
            ("삼성전자가 새로운 휴대폰을 출시했다", "ko"),
            ("The new phone is very good", "en"),
            ("Battery died", "en"),
            ("Le nouveau téléphone est très bien", "fr"),
            ("Das neue Telefon ist sehr gut und schnell", "de"),
            ("El nuevo teléfono es muy bueno y barato", "es"),
            ("O novo telefone é muito bom e não é caro", "pt"),
            ("Il nuovo telefono è molto bello e non costa molto", "it"),
            ("¿Dónde está?", "es"),
            ("Straße", "de"),
            ("12345 !!!", "und"),
            ("", "und"),
        ] {
            assert_eq!(detect_language(text), code, "{text}");
        }
    }
}

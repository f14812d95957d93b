//! HTML to the main article: title, author, publish time and paragraphs,
//! without navigation, related links, footers, comment boxes and scripts.
//!
//! A small tag scanner (no DOM) follows the element stack: text under
//! `script`, `style` and the like is skipped; text under `nav`, `header`,
//! `footer`, `aside`, `form` or under an element whose class or id names
//! boilerplate (menu, share, comment, related, copyright, …) is dropped.
//! The remaining paragraphs are grouped by their container, and the
//! container with the most text that is not link text wins, as in the
//! readability family of extractors.

/// A page reduced to its article.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Article {
    pub title: String,
    pub author: Option<String>,
    /// As the page states it (`2024-05-01T08:00:00+08:00`, `2024年5月1日 08:00`).
    pub published: Option<String>,
    pub paragraphs: Vec<String>,
}

impl Article {
    /// The paragraphs joined by newlines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n")
    }
}

const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "svg", "iframe", "object", "select", "textarea",
    "button",
];
const BOILERPLATE_TAGS: &[&str] = &["nav", "header", "footer", "aside", "form", "menu"];
const BOILERPLATE_WORDS: &[&str] = &[
    "nav",
    "menu",
    "footer",
    "header",
    "sidebar",
    "side-bar",
    "comment",
    "share",
    "related",
    "recommend",
    "breadcrumb",
    "copyright",
    "advert",
    "banner",
    "social",
    "login",
    "toolbar",
    "hot-list",
    "hotnews",
    "tags",
    "pagination",
];
const BLOCKS: &[&str] = &[
    "p",
    "div",
    "article",
    "section",
    "main",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "li",
    "td",
    "th",
    "tr",
    "br",
    "blockquote",
    "pre",
    "ul",
    "ol",
    "table",
    "figure",
    "figcaption",
    "dd",
    "dt",
    "body",
];
const CONTAINERS: &[&str] = &["div", "article", "section", "main", "td", "body"];

struct Open {
    name: String,
    boilerplate: bool,
    container: Option<usize>,
}

struct Paragraph {
    text: String,
    link_chars: usize,
    container: usize,
    heading: bool,
}

/// Reduces a decoded HTML page to its article.
pub fn extract_article(html: &str) -> Article {
    let mut stack: Vec<Open> = Vec::new();
    let mut paragraphs: Vec<Paragraph> = Vec::new();
    let mut current = String::new();
    let mut current_links = 0usize;
    let mut in_link = 0usize;
    let mut containers = 0usize;
    let mut title = String::new();
    let mut in_title = false;
    let mut metas: Vec<(String, String)> = Vec::new();
    let mut times: Vec<String> = Vec::new();
    let mut author_hint: Option<String> = None;
    // while inside an element whose class or id names the author: its depth
    let mut author_depth: Option<usize> = None;
    let mut h1: Option<String> = None;

    let flush = |current: &mut String,
                 current_links: &mut usize,
                 stack: &[Open],
                 paragraphs: &mut Vec<Paragraph>| {
        let text = clean(current);
        if !text.is_empty() && !stack.iter().any(|open| open.boilerplate) {
            let container = stack
                .iter()
                .rev()
                .find_map(|open| open.container)
                .unwrap_or(0);
            let heading = stack
                .last()
                .is_some_and(|open| matches!(open.name.as_str(), "h1" | "h2" | "h3"));
            paragraphs.push(Paragraph {
                text,
                link_chars: *current_links,
                container,
                heading,
            });
        }
        current.clear();
        *current_links = 0;
    };

    let mut rest = html;
    while let Some(lt) = rest.find('<') {
        let text = &rest[..lt];
        if !text.is_empty() {
            let decoded = decode_entities(text);
            if in_title {
                title.push_str(&decoded);
            } else {
                if in_link > 0 {
                    current_links += decoded.chars().filter(|c| !c.is_whitespace()).count();
                }
                if author_depth.is_some() {
                    author_hint
                        .get_or_insert_with(String::new)
                        .push_str(&decoded);
                }
                current.push_str(&decoded);
            }
        }
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            rest = rest.find("-->").map_or("", |end| &rest[end + 3..]);
            continue;
        }
        let Some(gt) = rest.find('>') else { break };
        let tag = &rest[1..gt];
        rest = &rest[gt + 1..];
        if tag.starts_with('!') || tag.starts_with('?') {
            continue;
        }
        let closing = tag.starts_with('/');
        let body = tag.trim_start_matches('/');
        let name: String = body
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric())
            .collect::<String>()
            .to_ascii_lowercase();
        if name.is_empty() {
            continue;
        }
        let attributes = &body[name.len()..];
        if !closing && SKIPPED.contains(&name.as_str()) && !attributes.trim_end().ends_with('/') {
            // skip to the matching end tag
            let end = format!("</{name}");
            let lower = rest.to_ascii_lowercase();
            rest = lower.find(&end).map_or("", |at| {
                let after = &rest[at..];
                after.find('>').map_or("", |gt| &after[gt + 1..])
            });
            continue;
        }
        match (closing, name.as_str()) {
            (false, "title") => in_title = true,
            (true, "title") => in_title = false,
            (false, "meta") => {
                let key = attribute(attributes, "property")
                    .or_else(|| attribute(attributes, "name"))
                    .or_else(|| attribute(attributes, "itemprop"));
                if let (Some(key), Some(content)) = (key, attribute(attributes, "content")) {
                    metas.push((key.to_ascii_lowercase(), decode_entities(&content)));
                }
            }
            (false, "time") => {
                if let Some(datetime) = attribute(attributes, "datetime") {
                    times.push(datetime);
                }
            }
            (false, "a") => in_link += 1,
            (true, "a") => in_link = in_link.saturating_sub(1),
            _ => {}
        }
        if BLOCKS.contains(&name.as_str()) {
            if name == "h1" && closing && h1.is_none() {
                let heading = clean(&current);
                if !heading.is_empty() {
                    h1 = Some(heading);
                }
            }
            flush(&mut current, &mut current_links, &stack, &mut paragraphs);
        }
        let void = matches!(
            name.as_str(),
            "br" | "img"
                | "meta"
                | "link"
                | "input"
                | "hr"
                | "source"
                | "wbr"
                | "col"
                | "area"
                | "base"
        ) || attributes.trim_end().ends_with('/');
        if closing {
            if let Some(position) = stack.iter().rposition(|open| open.name == name) {
                if author_depth.is_some_and(|depth| position <= depth) {
                    author_depth = None;
                }
                stack.truncate(position);
            }
        } else if !void {
            let marker = format!(
                "{} {}",
                attribute(attributes, "class").unwrap_or_default(),
                attribute(attributes, "id").unwrap_or_default()
            )
            .to_ascii_lowercase();
            let boilerplate = BOILERPLATE_TAGS.contains(&name.as_str())
                || BOILERPLATE_WORDS.iter().any(|word| {
                    marker
                        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
                        .any(|part| {
                            part == *word
                                || part.starts_with(&format!("{word}-"))
                                || part.ends_with(&format!("-{word}"))
                        })
                });
            let container = CONTAINERS.contains(&name.as_str()).then(|| {
                containers += 1;
                containers
            });
            if author_hint.is_none() && (marker.contains("author") || marker.contains("byline")) {
                author_depth = Some(stack.len());
                author_hint = Some(String::new());
            }
            stack.push(Open {
                name: name.clone(),
                boilerplate,
                container,
            });
        }
    }
    // text after the last tag (a fragment without tags is all text)
    if !rest.contains('<') && !rest.is_empty() {
        let decoded = decode_entities(rest);
        if in_title {
            title.push_str(&decoded);
        } else {
            current.push_str(&decoded);
        }
    }
    flush(&mut current, &mut current_links, &stack, &mut paragraphs);

    // the container with the most non-link text wins
    let mut scores: std::collections::HashMap<usize, f64> = std::collections::HashMap::new();
    for paragraph in &paragraphs {
        let length = paragraph.text.chars().count() as f64;
        let punctuation = paragraph
            .text
            .chars()
            .filter(|c| "，。！？；,.!?;".contains(*c))
            .count() as f64;
        *scores.entry(paragraph.container).or_default() +=
            length - 2.0 * paragraph.link_chars as f64 + 5.0 * punctuation;
    }
    let best = scores
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
        .map(|(container, _)| *container);
    let kept: Vec<String> = paragraphs
        .iter()
        .filter(|paragraph| Some(paragraph.container) == best && !paragraph.heading)
        .filter(|paragraph| {
            (paragraph.link_chars as f64) < 0.5 * paragraph.text.chars().count() as f64
        })
        .map(|paragraph| paragraph.text.clone())
        .collect();

    let meta = |keys: &[&str]| {
        keys.iter().find_map(|key| {
            metas
                .iter()
                .find(|(name, _)| name == key)
                .map(|(_, value)| value.clone())
        })
    };
    let title = h1
        .or_else(|| meta(&["og:title"]))
        .unwrap_or_else(|| clean(&title));
    let author = meta(&["author", "article:author", "byl", "dc.creator"])
        .or_else(|| {
            author_hint
                .map(|hint| clean(&hint))
                .filter(|hint| !hint.is_empty() && hint.chars().count() <= 40)
        })
        .map(|author| strip_author_label(&author));
    let published = meta(&[
        "article:published_time",
        "datepublished",
        "pubdate",
        "publishdate",
        "og:release_date",
        "publish_time",
    ])
    .or_else(|| times.first().cloned())
    .or_else(|| {
        paragraphs
            .iter()
            .find_map(|paragraph| find_date(&paragraph.text))
    });
    Article {
        title,
        author,
        published,
        paragraphs: kept,
    }
}

/// `作者：张三` → `张三`; `By Jane Doe` → `Jane Doe`.
fn strip_author_label(author: &str) -> String {
    let trimmed = author.trim();
    for label in ["作者：", "作者:", "记者：", "记者:", "来源：", "By ", "by "] {
        if let Some(rest) = trimmed.strip_prefix(label) {
            return rest.trim().to_string();
        }
    }
    trimmed.to_string()
}

/// A date such as `2024-05-01 08:30` or `2024年5月1日 08:30` in a short line.
fn find_date(text: &str) -> Option<String> {
    if text.chars().count() > 80 {
        return None;
    }
    let chars: Vec<char> = text.chars().collect();
    for start in 0..chars.len() {
        if !(chars[start] == '1' || chars[start] == '2') || chars.len() < start + 8 {
            continue;
        }
        let digits = |from: usize, count: usize| {
            (from..from + count).all(|at| chars.get(at).is_some_and(char::is_ascii_digit))
        };
        if !digits(start, 4) {
            continue;
        }
        let separator = chars[start + 4];
        if matches!(separator, '-' | '/' | '.' | '年') {
            let mut end = start + 5;
            while end < chars.len()
                && (chars[end].is_ascii_digit()
                    || matches!(chars[end], '-' | '/' | '.' | '月' | '日' | ' ' | ':' | 'T'))
            {
                end += 1;
            }
            let found: String = chars[start..end]
                .iter()
                .collect::<String>()
                .trim()
                .to_string();
            if found.chars().count() >= 8 {
                return Some(found);
            }
        }
    }
    None
}

/// The value of an attribute in a tag's attribute text.
fn attribute(attributes: &str, name: &str) -> Option<String> {
    let lower = attributes.to_ascii_lowercase();
    let mut from = 0;
    while let Some(found) = lower[from..].find(name) {
        let at = from + found;
        let before_ok = at == 0 || lower.as_bytes()[at - 1].is_ascii_whitespace();
        let after = lower[at + name.len()..].trim_start();
        if before_ok && after.starts_with('=') {
            let value_start = attributes.len() - after.len() + 1;
            let value = attributes[value_start..].trim_start();
            return Some(match value.chars().next() {
                Some(quote @ ('"' | '\'')) => value[1..]
                    .split(quote)
                    .next()
                    .unwrap_or_default()
                    .to_string(),
                _ => value
                    .split(|c: char| c.is_whitespace() || c == '>')
                    .next()
                    .unwrap_or_default()
                    .to_string(),
            });
        }
        from = at + name.len();
    }
    None
}

/// Decodes character references (`&amp;`, `&#26032;`, `&#x65B0;`, the
/// common named ones); an unknown or unterminated reference stays as text.
pub fn decode_entities(text: &str) -> String {
    if !text.contains('&') {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find('&') {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let Some(end) = rest.as_bytes()[..rest.len().min(12)]
            .iter()
            .position(|&byte| byte == b';')
        else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let decoded = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            "nbsp" => Some(' '),
            "middot" => Some('·'),
            "mdash" => Some('—'),
            "ldquo" => Some('“'),
            "rdquo" => Some('”'),
            _ if entity.starts_with("#x") || entity.starts_with("#X") => {
                u32::from_str_radix(&entity[2..], 16)
                    .ok()
                    .and_then(char::from_u32)
            }
            _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match decoded {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// Collapses whitespace and drops control characters.
pub fn clean(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut space = false;
    for c in text.chars() {
        if c.is_whitespace() || c == '\u{200B}' {
            space = !out.is_empty();
        } else if !c.is_control() {
            if space {
                out.push(' ');
                space = false;
            }
            out.push(c);
        }
    }
    out
}

//! A small XML reader for feeds: elements with attributes, text, CDATA and
//! character references, into a tree. Namespaces are kept as prefixes
//! (`dc:creator`); feeds are small enough to hold whole. Character
//! references are decoded by `vane_text::decode_entities`.

use vane_text::decode_entities;

/// An element and what it holds.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Element {
    pub(crate) name: String,
    pub(crate) attributes: Vec<(String, String)>,
    pub(crate) children: Vec<Element>,
    /// All text directly inside, concatenated.
    pub(crate) text: String,
}

impl Element {
    /// The local part of the name: `dc:creator` → `creator`.
    pub(crate) fn local(&self) -> &str {
        self.name.rsplit(':').next().unwrap_or(&self.name)
    }

    pub(crate) fn child(&self, name: &str) -> Option<&Element> {
        self.children
            .iter()
            .find(|child| child.name == name || child.local() == name)
    }

    pub(crate) fn children_named<'a>(
        &'a self,
        name: &'a str,
    ) -> impl Iterator<Item = &'a Element> + 'a {
        self.children
            .iter()
            .filter(move |child| child.name == name || child.local() == name)
    }

    pub(crate) fn attribute(&self, name: &str) -> Option<&str> {
        self.attributes
            .iter()
            .find(|(key, _)| key == name || key.rsplit(':').next() == Some(name))
            .map(|(_, value)| value.as_str())
    }

    pub(crate) fn child_text(&self, name: &str) -> Option<&str> {
        self.child(name)
            .map(|child| child.text.trim())
            .filter(|text| !text.is_empty())
    }
}

/// Where and why the XML could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct XmlError {
    pub(crate) line: usize,
    pub(crate) message: String,
}

fn line_of(text: &str, at: usize) -> usize {
    text[..at.min(text.len())].matches('\n').count() + 1
}

fn attributes(text: &str) -> Vec<(String, String)> {
    let mut found = Vec::new();
    let mut rest = text;
    while let Some(equals) = rest.find('=') {
        let name = rest[..equals]
            .trim()
            .rsplit(char::is_whitespace)
            .next()
            .unwrap_or_default()
            .to_string();
        let after = rest[equals + 1..].trim_start();
        let Some(quote) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            break;
        };
        let Some(close) = after[1..].find(quote) else {
            break;
        };
        found.push((name, decode_entities(&after[1..1 + close])));
        rest = &after[1 + close + 1..];
    }
    found
}

/// Reads a document into its root element.
pub(crate) fn parse(text: &str) -> Result<Element, XmlError> {
    let mut stack: Vec<Element> = vec![Element::default()];
    let mut at = 0;
    while at < text.len() {
        let rest = &text[at..];
        let Some(lt) = rest.find('<') else {
            stack
                .last_mut()
                .expect("the document element")
                .text
                .push_str(&decode_entities(rest));
            break;
        };
        if lt > 0 {
            stack
                .last_mut()
                .expect("the document element")
                .text
                .push_str(&decode_entities(&rest[..lt]));
        }
        let tag_start = at + lt;
        let tag = &text[tag_start..];
        let error = |message: &str| XmlError {
            line: line_of(text, tag_start),
            message: message.to_string(),
        };
        if tag.starts_with("<!--") {
            at = tag_start
                + tag
                    .find("-->")
                    .ok_or_else(|| error("a comment is not closed"))?
                + 3;
        } else if tag.starts_with("<![CDATA[") {
            let end = tag
                .find("]]>")
                .ok_or_else(|| error("a CDATA section is not closed"))?;
            stack
                .last_mut()
                .expect("the document element")
                .text
                .push_str(&tag[9..end]);
            at = tag_start + end + 3;
        } else if tag.starts_with("<?") || tag.starts_with("<!") {
            at = tag_start
                + tag
                    .find('>')
                    .ok_or_else(|| error("a declaration is not closed"))?
                + 1;
        } else {
            let end = tag.find('>').ok_or_else(|| error("a tag is not closed"))?;
            let inside = &tag[1..end];
            at = tag_start + end + 1;
            if let Some(name) = inside.strip_prefix('/') {
                let name = name.trim();
                let element = stack
                    .pop()
                    .filter(|element| element.name == name)
                    .ok_or_else(|| {
                        error(&format!("</{name}> closes an element that is not open"))
                    })?;
                if stack.is_empty() {
                    return Err(error("more closing tags than opening ones"));
                }
                stack.last_mut().expect("checked").children.push(element);
            } else {
                let self_closing = inside.ends_with('/');
                let inside = inside.trim_end_matches('/');
                let name: String = inside.chars().take_while(|c| !c.is_whitespace()).collect();
                if name.is_empty() {
                    return Err(error("an element has no name"));
                }
                let element = Element {
                    attributes: attributes(&inside[name.len()..]),
                    name,
                    ..Element::default()
                };
                if self_closing {
                    stack
                        .last_mut()
                        .expect("the document element")
                        .children
                        .push(element);
                } else {
                    stack.push(element);
                }
            }
        }
    }
    if stack.len() > 1 {
        let open = stack
            .last()
            .map(|element| element.name.clone())
            .unwrap_or_default();
        return Err(XmlError {
            line: line_of(text, text.len()),
            message: format!("<{open}> is not closed"),
        });
    }
    let document = stack.pop().expect("the document element");
    document.children.into_iter().next().ok_or(XmlError {
        line: 1,
        message: "no root element".to_string(),
    })
}

//! Markdown reduced to its text: markup, link targets, code fences and inline HTML tags are
//! dropped; headings, paragraphs and list items are kept as blocks separated by blank lines.
//! The resulting text is what the document holds, so all later offsets point into it.
//!
//! A YAML front-matter block (`---` ... `---`) is not part of the text; its `title:` and `date:`
//! keys become the document's title and date.

use pulldown_cmark::{Event, Options, Parser, Tag, TagEnd};

use super::html;

/// Text and metadata of a Markdown document.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct MarkdownDoc {
    /// The text with markup removed.
    pub text: String,
    /// `title:` from the front matter, or the first heading.
    pub title: Option<String>,
    /// `date:` from the front matter, as written.
    pub date: Option<String>,
}

/// Reduce Markdown to text.
pub fn to_text(src: &str) -> MarkdownDoc {
    let opts = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_FOOTNOTES
        | Options::ENABLE_YAML_STYLE_METADATA_BLOCKS;
    let mut out = MarkdownDoc::default();
    let mut in_meta = false;
    let mut in_code_block = false;
    let mut heading: Option<String> = None;
    let mut first_heading: Option<String> = None;
    let text = &mut out.text;
    let block_break = |text: &mut String| {
        let trimmed = text.trim_end_matches([' ', '\n']).len();
        text.truncate(trimmed);
        if !text.is_empty() {
            text.push_str("\n\n");
        }
    };
    for event in Parser::new_ext(src, opts) {
        match event {
            Event::Start(Tag::MetadataBlock(_)) => in_meta = true,
            Event::End(TagEnd::MetadataBlock(_)) => in_meta = false,
            Event::Text(t) if in_meta => {
                for line in t.lines() {
                    if let Some((k, v)) = line.split_once(':') {
                        let v = v.trim().trim_matches(['"', '\'']).trim();
                        if v.is_empty() {
                            continue;
                        }
                        match k.trim().to_ascii_lowercase().as_str() {
                            "title" => out.title = Some(v.to_string()),
                            "date" | "published" | "pubdate" => out.date = Some(v.to_string()),
                            _ => {}
                        }
                    }
                }
            }
            Event::Start(Tag::Heading { .. }) => heading = Some(String::new()),
            Event::End(TagEnd::Heading(_)) => {
                if let Some(h) = heading.take()
                    && first_heading.is_none()
                    && !h.trim().is_empty()
                {
                    first_heading = Some(h.trim().to_string());
                }
                block_break(text);
            }
            Event::Start(Tag::CodeBlock(_)) => in_code_block = true,
            Event::End(TagEnd::CodeBlock) => {
                in_code_block = false;
                block_break(text);
            }
            Event::Text(t) | Event::Code(t) => {
                if let Some(h) = heading.as_mut() {
                    h.push_str(&t);
                }
                text.push_str(&t);
            }
            Event::Html(h) | Event::InlineHtml(h) if !in_code_block => {
                // Keep the text of inline HTML (e.g. <b>Aleppo</b> spread over events) without tags.
                let stripped = html::strip_tags(&h);
                if !stripped.is_empty() {
                    text.push_str(&stripped);
                }
            }
            Event::SoftBreak => text.push(' '),
            Event::HardBreak => text.push('\n'),
            Event::End(
                TagEnd::Paragraph
                | TagEnd::Item
                | TagEnd::BlockQuote(_)
                | TagEnd::TableRow
                | TagEnd::TableHead
                | TagEnd::FootnoteDefinition
                | TagEnd::HtmlBlock,
            )
            | Event::Rule => block_break(text),
            Event::End(TagEnd::TableCell) => text.push('\t'),
            _ => {}
        }
    }
    let trimmed = out.text.trim_end().len();
    out.text.truncate(trimmed);
    if out.title.is_none() {
        out.title = first_heading;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reduces_markup() {
        let src = "---\ntitle: \"Talks in Geneva\"\ndate: 2016-08-26\n---\n\n# Ceasefire talks\n\n\
Officials met in **Geneva** on [Friday](http://example.org/x).\nTalks went on.\n\n\
- Aleppo\n- *Daraya*\n\n```\ncode block\n```\n\n> quoted Damascus\n";
        let md = to_text(src);
        assert_eq!(
            md.text,
            "Ceasefire talks\n\nOfficials met in Geneva on Friday. Talks went on.\n\nAleppo\n\nDaraya\n\n\
code block\n\nquoted Damascus"
        );
        assert_eq!(md.title.as_deref(), Some("Talks in Geneva"));
        assert_eq!(md.date.as_deref(), Some("2016-08-26"));
        let g = md.text.find("Geneva").unwrap();
        assert_eq!(&md.text[g..g + 6], "Geneva");
    }

    #[test]
    fn heading_as_title_and_plain_text() {
        let md = to_text("## Fighting near Idlib\n\nText.");
        assert_eq!(md.title.as_deref(), Some("Fighting near Idlib"));
        assert_eq!(md.text, "Fighting near Idlib\n\nText.");
        assert_eq!(to_text("").text, "");
        assert_eq!(to_text("just text").text, "just text");
    }
}

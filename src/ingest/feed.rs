//! RSS 2.0 / RSS 1.0 (RDF) and Atom feeds: every item or entry becomes one document.
//!
//! Per item: the link (RSS `<link>`, Atom `<link href>` with no `rel` or `rel="alternate"`), the
//! `guid`/`id`, the title, the date (`pubDate`, `dc:date`, `published`, then `updated`) and the
//! text: the title followed by the full content (`content:encoded`, Atom `content`) or else the
//! summary (`description`, `summary`), with HTML markup removed. Parsing is lenient (mismatched
//! end tags are tolerated); a feed that breaks off keeps the items read before the error.

use chrono::NaiveDate;
use quick_xml::events::Event;

use super::date::parse_date;
use super::html;

/// One feed item.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FeedItem {
    /// The article link.
    pub link: Option<String>,
    /// RSS `guid` or Atom `id`.
    pub guid: Option<String>,
    /// Item title (markup removed).
    pub title: Option<String>,
    /// Publication date, when readable.
    pub date: Option<NaiveDate>,
    /// The date as written, when present (to report unreadable dates).
    pub date_raw: Option<String>,
    /// Content or summary with HTML removed.
    pub body: String,
}

impl FeedItem {
    /// Title and body as one text, separated by a blank line.
    pub fn text(&self) -> String {
        match (&self.title, self.body.is_empty()) {
            (Some(t), false) => format!("{t}\n\n{}", self.body),
            (Some(t), true) => t.clone(),
            (None, _) => self.body.clone(),
        }
    }
}

/// A parsed feed.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Feed {
    /// Channel / feed title.
    pub title: Option<String>,
    /// The items in document order.
    pub items: Vec<FeedItem>,
}

/// Does this text look like an RSS, RDF or Atom feed (judged from its first KiB)?
pub fn looks_like_feed(text: &str) -> bool {
    let head = text.trim_start_matches('\u{feff}').trim_start();
    let end = head.char_indices().nth(1024).map_or(head.len(), |(i, _)| i);
    let head = &head[..end];
    if !(head.starts_with("<?xml")
        || head.starts_with("<rss")
        || head.starts_with("<feed")
        || head.starts_with("<rdf")
        || head.starts_with("<!--"))
    {
        return false;
    }
    head.contains("<rss") || head.contains("<feed") || head.contains("<rdf:RDF")
}

#[derive(Default)]
struct Fields {
    content: Option<String>,
    summary: Option<String>,
    published: Option<String>,
    updated: Option<String>,
}

/// Parse a feed; the second value is the parser's complaint when the feed is malformed (the items
/// read up to that point are kept).
pub fn parse(text: &str) -> (Feed, Option<String>) {
    let mut reader = quick_xml::Reader::from_str(text);
    {
        let cfg = reader.config_mut();
        cfg.check_end_names = false;
        cfg.allow_unmatched_ends = true;
    }
    let mut feed = Feed::default();
    let mut depth = 0usize;
    let mut item: Option<(usize, FeedItem, Fields)> = None;
    let mut field: Option<(String, usize)> = None;
    let mut buf = String::new();
    let mut error = None;
    loop {
        let event = match reader.read_event() {
            Ok(e) => e,
            Err(e) => {
                error = Some(format!("at byte {}: {e}", reader.error_position()));
                break;
            }
        };
        match event {
            Event::Start(ref e) | Event::Empty(ref e) => {
                let empty = matches!(event, Event::Empty(_));
                let name = e.local_name().as_ref().to_ascii_lowercase();
                if !empty {
                    depth += 1;
                }
                if item.is_none() && (name == "item" || name == "entry") && !empty {
                    item = Some((depth, FeedItem::default(), Fields::default()));
                    continue;
                }
                if let Some((item_depth, it, _)) = item.as_mut() {
                    let direct = if empty {
                        depth == *item_depth
                    } else {
                        depth == *item_depth + 1
                    };
                    if direct && name == "link" {
                        let mut href = None;
                        let mut rel = None;
                        for attr in e.attributes().with_checks(false).flatten() {
                            match attr.key.local_name().as_ref() {
                                "href" => {
                                    href =
                                        Some(html::decode_entities(&attr.value).trim().to_string())
                                }
                                "rel" => rel = Some(attr.value.to_string()),
                                _ => {}
                            }
                        }
                        if let Some(href) = href.filter(|h| !h.is_empty())
                            && rel.as_deref().is_none_or(|r| r == "alternate")
                            && it.link.is_none()
                        {
                            it.link = Some(href);
                        }
                    }
                    if direct && !empty && field.is_none() {
                        field = Some((name, depth));
                        buf.clear();
                    }
                } else if !empty && name == "title" && feed.title.is_none() && field.is_none() {
                    field = Some((name, depth));
                    buf.clear();
                }
            }
            Event::Text(t) if field.is_some() => buf.push_str(&t.xml10_content()),
            Event::CData(t) if field.is_some() => buf.push_str(&t),
            Event::GeneralRef(r) if field.is_some() => match r.resolve_char_ref() {
                Ok(Some(c)) => buf.push(c),
                _ => match quick_xml::escape::resolve_html5_entity(&r) {
                    Some(s) => buf.push_str(s),
                    None => {
                        buf.push('&');
                        buf.push_str(&r);
                        buf.push(';');
                    }
                },
            },
            Event::End(_) => {
                if let Some((name, d)) = field.as_ref()
                    && *d == depth
                {
                    let value = std::mem::take(&mut buf);
                    match item.as_mut() {
                        Some((_, it, f)) => assign(it, f, name, value),
                        None => {
                            let t = html::strip_tags(&value);
                            if !t.is_empty() {
                                feed.title = Some(t);
                            }
                        }
                    }
                    field = None;
                }
                if let Some((d, _, _)) = item.as_ref()
                    && *d == depth
                {
                    let (_, mut it, f) = item.take().expect("checked");
                    finish(&mut it, f);
                    feed.items.push(it);
                }
                depth = depth.saturating_sub(1);
            }
            Event::Eof => break,
            _ => {}
        }
    }
    if let Some((_, mut it, f)) = item.take() {
        finish(&mut it, f);
        if it.link.is_some() || it.title.is_some() || !it.body.is_empty() {
            feed.items.push(it);
        }
    }
    (feed, error)
}

fn assign(it: &mut FeedItem, f: &mut Fields, name: &str, value: String) {
    let plain = || Some(html::strip_tags(&value)).filter(|s| !s.is_empty());
    match name {
        "title" => it.title = plain(),
        "link" => {
            let v = value.trim();
            if !v.is_empty() && it.link.is_none() {
                it.link = Some(v.to_string());
            }
        }
        "guid" | "id" => {
            let v = value.trim();
            if !v.is_empty() {
                it.guid = Some(v.to_string());
            }
        }
        "pubdate" | "date" | "published" | "issued" => f.published = Some(value.trim().to_string()),
        "updated" | "modified" => f.updated = Some(value.trim().to_string()),
        "encoded" | "content" => f.content = plain(),
        "description" | "summary" => f.summary = plain(),
        _ => {}
    }
}

fn finish(it: &mut FeedItem, f: Fields) {
    it.body = f.content.or(f.summary).unwrap_or_default();
    it.date_raw = f.published.or(f.updated).filter(|d| !d.is_empty());
    it.date = it.date_raw.as_deref().and_then(parse_date);
    if it.link.is_none()
        && let Some(g) = it
            .guid
            .as_ref()
            .filter(|g| g.starts_with("http://") || g.starts_with("https://"))
    {
        it.link = Some(g.clone());
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub(crate) const RSS: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel>
<title>Example Wire</title>
<link>https://wire.example/</link>
<item>
  <title>Shelling reported in Aleppo</title>
  <link>https://wire.example/aleppo</link>
  <guid isPermaLink="false">wire-1</guid>
  <pubDate>Fri, 26 Aug 2016 09:30:00 +0300</pubDate>
  <description>&lt;p&gt;Heavy shelling hit &lt;b&gt;eastern Aleppo&lt;/b&gt; overnight &amp;amp; at dawn.&lt;/p&gt;</description>
</item>
<item>
  <title><![CDATA[Daraya <em>evacuated</em>]]></title>
  <guid>https://wire.example/daraya</guid>
  <dc:date>2016-08-27</dc:date>
  <description>short</description>
  <content:encoded><![CDATA[<p>Buses left Daraya.</p><p>Government forces entered.</p>]]></content:encoded>
</item>
</channel>
</rss>"#;

    const ATOM: &str = r#"<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom">
  <title type="text">Example Atom</title>
  <entry>
    <title>Talks in Geneva</title>
    <link rel="self" href="https://atom.example/self/1"/>
    <link rel="alternate" type="text/html" href="https://atom.example/geneva"/>
    <id>tag:atom.example,2016:1</id>
    <updated>2016-08-28T10:00:00Z</updated>
    <published>2016-08-26T20:00:00Z</published>
    <summary type="html">&lt;p&gt;Kerry and Lavrov met in Geneva.&lt;/p&gt;</summary>
  </entry>
  <entry>
    <title>No link entry</title>
    <id>tag:atom.example,2016:2</id>
    <updated>not a date</updated>
    <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Fighting near Idlib.</p></div></content>
  </entry>
</feed>"#;

    #[test]
    fn rss() {
        assert!(looks_like_feed(RSS));
        let (feed, err) = parse(RSS);
        assert_eq!(err, None);
        assert_eq!(feed.title.as_deref(), Some("Example Wire"));
        assert_eq!(feed.items.len(), 2);
        let a = &feed.items[0];
        assert_eq!(a.link.as_deref(), Some("https://wire.example/aleppo"));
        assert_eq!(a.guid.as_deref(), Some("wire-1"));
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2016, 8, 26));
        assert_eq!(
            a.text(),
            "Shelling reported in Aleppo\n\nHeavy shelling hit eastern Aleppo overnight & at dawn."
        );
        let b = &feed.items[1];
        assert_eq!(b.title.as_deref(), Some("Daraya evacuated"));
        assert_eq!(b.link.as_deref(), Some("https://wire.example/daraya"));
        assert_eq!(b.date, NaiveDate::from_ymd_opt(2016, 8, 27));
        assert_eq!(b.body, "Buses left Daraya.\n\nGovernment forces entered.");
    }

    #[test]
    fn atom() {
        assert!(looks_like_feed(ATOM));
        let (feed, err) = parse(ATOM);
        assert_eq!(err, None);
        assert_eq!(feed.title.as_deref(), Some("Example Atom"));
        assert_eq!(feed.items.len(), 2);
        let a = &feed.items[0];
        assert_eq!(a.link.as_deref(), Some("https://atom.example/geneva"));
        assert_eq!(a.date, NaiveDate::from_ymd_opt(2016, 8, 26));
        assert_eq!(a.body, "Kerry and Lavrov met in Geneva.");
        let b = &feed.items[1];
        assert_eq!(b.link, None);
        assert_eq!(b.guid.as_deref(), Some("tag:atom.example,2016:2"));
        assert_eq!(b.date, None);
        assert_eq!(b.date_raw.as_deref(), Some("not a date"));
        assert_eq!(b.body, "Fighting near Idlib.");
    }

    #[test]
    fn broken_feeds() {
        assert!(!looks_like_feed("<html><body>rss</body></html>"));
        assert!(!looks_like_feed("plain text about <rss"));
        let truncated = &RSS[..RSS.find("<item>\n  <title><![CDATA").unwrap() + 20];
        let (feed, _) = parse(truncated);
        assert_eq!(feed.items.len(), 1);
        let (feed, err) = parse(
            "<rss><channel><item><title>a</title></item><item><title>b<</title></item></channel></rss>",
        );
        assert!(!feed.items.is_empty() || err.is_some());
        let (feed, _) = parse("");
        assert!(feed.items.is_empty());
    }
}

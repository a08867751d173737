//! Publication dates as they appear in inputs: ISO `YYYY-MM-DD` (and RFC 3339 timestamps, of
//! which the date prefix is used), RFC 2822 (`pubDate` in RSS), and the common written forms
//! found in HTML meta tags ("26 August 2016", "August 26, 2016").
//!
//! The date is the calendar date as written in the source's own time zone, which is what a
//! reader of the article sees; it is not converted to UTC.

use chrono::{DateTime, NaiveDate};

/// Parse a date in any of the supported forms; `None` when it is not recognised.
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if let Some(d) = iso_prefix(s) {
        return Some(d);
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(s) {
        return Some(dt.date_naive());
    }
    written(s)
}

/// `YYYY-MM-DD`, `YYYY/MM/DD` or `YYYYMMDD` at the start of `s`, followed by the end, `T`, a space
/// or another non-digit.
fn iso_prefix(s: &str) -> Option<NaiveDate> {
    let b = s.as_bytes();
    let digits = |r: std::ops::Range<usize>| {
        b.get(r.clone())
            .is_some_and(|x| x.iter().all(u8::is_ascii_digit))
    };
    let num = |r: std::ops::Range<usize>| s.get(r)?.parse::<u32>().ok();
    let boundary = |i: usize| b.get(i).is_none_or(|c| !c.is_ascii_digit());
    if digits(0..4)
        && b.len() >= 10
        && (b[4] == b'-' || b[4] == b'/')
        && b[7] == b[4]
        && digits(5..7)
        && digits(8..10)
        && boundary(10)
    {
        return NaiveDate::from_ymd_opt(num(0..4)? as i32, num(5..7)?, num(8..10)?);
    }
    if digits(0..8) && boundary(8) {
        return NaiveDate::from_ymd_opt(num(0..4)? as i32, num(4..6)?, num(6..8)?);
    }
    None
}

/// The publication date a plain text or Markdown article shows on a line of its own near the top
/// ("*Updated 14 March 2024*", "Published: March 14, 2024", "2024-03-14"): among the first five
/// non-empty lines, the first of at most 60 characters that is a date, after markup and a lead
/// word ("updated", "published", "posted", "date", "dated", "last updated", "on"). A date inside
/// a sentence is no publication date, nor is a line without a year.
///
/// ```
/// use eventmap::ingest::date::date_line;
/// use chrono::NaiveDate;
///
/// let text = "# Strikes on Odesa\n\n*Updated 14 March 2024*\n\nRussian missiles hit the city.";
/// assert_eq!(date_line(text), NaiveDate::from_ymd_opt(2024, 3, 14));
/// assert_eq!(date_line("On 14 March 2024 missiles hit Odesa, killing 14 people."), None);
/// ```
pub fn date_line(text: &str) -> Option<NaiveDate> {
    const LEADS: &[&str] = &[
        "last updated",
        "updated",
        "published",
        "posted",
        "dated",
        "date",
        "first published",
        "on",
    ];
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(5)
        .find_map(|line| {
            if line.chars().count() > 60 {
                return None;
            }
            let mut rest = line.trim_matches(|c: char| matches!(c, '*' | '_' | '#' | '>' | ' '));
            if let Some(lead) = LEADS.iter().find(|l| {
                rest.get(..l.len())
                    .is_some_and(|head| head.eq_ignore_ascii_case(l))
            }) {
                rest = rest[lead.len()..].trim_start_matches([':', ' ']);
            }
            // A date, and perhaps a time after it: no more than a date line holds.
            let words = rest.split_whitespace().count();
            (words <= 7 && rest.starts_with(|c: char| c.is_ascii_alphanumeric()))
                .then(|| parse_date(rest))
                .flatten()
        })
}

fn month(word: &str) -> Option<u32> {
    let w = word.trim_end_matches('.').to_ascii_lowercase();
    const NAMES: [&str; 12] = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    NAMES
        .iter()
        .position(|m| {
            *m == w || (w.len() == 3 && m.starts_with(&w)) || (w == "sept" && *m == "september")
        })
        .map(|i| i as u32 + 1)
}

/// "Fri, 26 Aug 2016 ...", "26 August 2016", "August 26, 2016", "Aug. 26 2016".
fn written(s: &str) -> Option<NaiveDate> {
    let words: Vec<&str> = s
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|w| !w.is_empty())
        .take(6)
        .collect();
    let day = |w: &str| {
        let w = w.trim_end_matches(|c: char| c.is_ascii_alphabetic() || c == '.');
        w.parse::<u32>().ok().filter(|d| (1..=31).contains(d))
    };
    let year = |w: &str| {
        (w.len() == 4)
            .then(|| w.parse::<i32>().ok())
            .flatten()
            .filter(|y| (1000..=9999).contains(y))
    };
    for i in 0..words.len().saturating_sub(2) {
        let (a, b, c) = (words[i], words[i + 1], words[i + 2]);
        if let (Some(d), Some(m), Some(y)) = (day(a), month(b), year(c)) {
            return NaiveDate::from_ymd_opt(y, m, d);
        }
        if let (Some(m), Some(d), Some(y)) = (month(a), day(b), year(c)) {
            return NaiveDate::from_ymd_opt(y, m, d);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn date_lines() {
        let d = |y, m, day| NaiveDate::from_ymd_opt(y, m, day);
        let cases: &[(&str, Option<NaiveDate>)] = &[
            ("Title\n\n*Updated 14 March 2024*\n\nText.", d(2024, 3, 14)),
            ("Title\nPublished: March 14, 2024\nText.", d(2024, 3, 14)),
            ("Title\n2024-03-14\nText.", d(2024, 3, 14)),
            (
                "Title\nLast updated Thursday, 14 March 2024 09:15 GMT\nText.",
                d(2024, 3, 14),
            ),
            ("By A. Reporter\nOn 14 March 2024\nText.", d(2024, 3, 14)),
            // Inside a sentence, without a year, or too far down: no publication date.
            (
                "On 14 March 2024 missiles hit Odesa, killing at least 14 people.",
                None,
            ),
            ("ABUJA, March 3 (Reuters) - Gunmen killed 40 people.", None),
            ("a\nb\nc\nd\ne\n14 March 2024", None),
            ("", None),
        ];
        for (text, want) in cases {
            assert_eq!(date_line(text), *want, "{text:?}");
        }
    }

    #[test]
    fn forms() {
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd);
        for (s, want) in [
            ("2016-08-26", d(2016, 8, 26)),
            ("2016-08-26T23:30:00+03:00", d(2016, 8, 26)),
            ("2016-08-26 10:00", d(2016, 8, 26)),
            ("2016/08/26", d(2016, 8, 26)),
            ("20160826", d(2016, 8, 26)),
            ("Fri, 26 Aug 2016 10:00:00 GMT", d(2016, 8, 26)),
            ("Fri, 26 Aug 2016 23:59:00 -0500", d(2016, 8, 26)),
            ("Friday, 26 August 2016", d(2016, 8, 26)),
            ("August 26, 2016", d(2016, 8, 26)),
            ("Aug. 26, 2016 5:01 p.m.", d(2016, 8, 26)),
            ("Sept 1 2016", d(2016, 9, 1)),
            ("2016-02-30", None),
            ("2016-13-01", None),
            ("201608261", None),
            ("yesterday", None),
            ("", None),
            ("Mar 2016", None),
        ] {
            assert_eq!(parse_date(s), want, "{s:?}");
        }
    }
}

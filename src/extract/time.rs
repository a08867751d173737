//! Dates from the text, relative to the document date: "today", "yesterday", "on Saturday",
//! "last week", "26 August", "Aug. 26, 2016", "in August", "three days ago".
//!
//! Each expression gets ACLED's time precision: 1 a known day, 2 within about a week, 3 a month
//! or vaguer. A weekday means the most recent such day on or before the document date.

use chrono::{Datelike, Duration, NaiveDate, Weekday};

use crate::extract::pattern::{Item, ItemKind};

/// A dated expression: item index where it starts, the date, and its precision.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateMention {
    pub item: usize,
    pub date: NaiveDate,
    pub precision: u8,
}

/// The month a lower-case month name or abbreviation names ("march", "sept").
pub(crate) fn month_of(w: &str) -> Option<u32> {
    let m = match w {
        "january" | "jan" => 1,
        "february" | "feb" => 2,
        "march" | "mar" => 3,
        "april" | "apr" => 4,
        "may" => 5,
        "june" | "jun" => 6,
        "july" | "jul" => 7,
        "august" | "aug" => 8,
        "september" | "sep" | "sept" => 9,
        "october" | "oct" => 10,
        "november" | "nov" => 11,
        "december" | "dec" => 12,
        _ => return None,
    };
    Some(m)
}

fn weekday_of(w: &str) -> Option<Weekday> {
    Some(match w {
        "monday" => Weekday::Mon,
        "tuesday" => Weekday::Tue,
        "wednesday" => Weekday::Wed,
        "thursday" => Weekday::Thu,
        "friday" => Weekday::Fri,
        "saturday" => Weekday::Sat,
        "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// Small number words for "three days ago".
pub fn small_number(w: &str) -> Option<i64> {
    if let Ok(n) = w.parse::<i64>() {
        return Some(n);
    }
    Some(match w {
        "a" | "an" | "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "several" => 3,
        _ => return None,
    })
}

/// The most recent `wd` on or before `d`.
pub fn last_weekday(d: NaiveDate, wd: Weekday) -> NaiveDate {
    let back = (d.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
    d - Duration::days(back as i64)
}

/// A day/month without a year: the doc's year, or the previous one when that would lie more
/// than a week after the document date.
fn infer_year(doc: NaiveDate, month: u32, day: u32) -> Option<NaiveDate> {
    let d = NaiveDate::from_ymd_opt(doc.year(), month, day)?;
    if d > doc + Duration::days(7) {
        NaiveDate::from_ymd_opt(doc.year() - 1, month, day)
    } else {
        Some(d)
    }
}

fn year_at(items: &[Item], i: usize) -> Option<i32> {
    let it = items.get(i)?;
    if it.kind != ItemKind::Word || it.text.len() != 4 {
        return None;
    }
    let y: i32 = it.text.parse().ok()?;
    (1900..=2100).contains(&y).then_some(y)
}

fn day_at(items: &[Item], i: usize) -> Option<u32> {
    let it = items.get(i)?;
    if it.kind != ItemKind::Word {
        return None;
    }
    let t = it.text.trim_end_matches(['s', 't', 'n', 'd', 'r', 'h']);
    if t.is_empty() || t.len() > 2 || !t.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let d: u32 = t.parse().ok()?;
    (1..=31).contains(&d).then_some(d)
}

/// Skips one "." (abbreviation) and "," items.
fn skip_punct(items: &[Item], mut i: usize) -> usize {
    while items
        .get(i)
        .is_some_and(|it| it.kind == ItemKind::Punct && matches!(it.text.as_ref(), "." | ","))
    {
        i += 1;
    }
    i
}

/// All date expressions in a sentence's items.
pub fn find_dates(items: &[Item], doc: NaiveDate) -> Vec<DateMention> {
    let mut out = Vec::new();
    let w = |i: usize| -> &str {
        items
            .get(i)
            .filter(|it| it.kind == ItemKind::Word)
            .map(|it| it.text.as_ref())
            .unwrap_or("")
    };
    let mut i = 0;
    while i < items.len() {
        let t = w(i);
        let mut push = |date: NaiveDate, precision: u8| {
            out.push(DateMention {
                item: i,
                date,
                precision,
            })
        };
        match t {
            "today" | "tonight" => push(doc, 1),
            "yesterday" => push(doc - Duration::days(1), 1),
            "overnight" => push(doc, 1),
            "this" if matches!(w(i + 1), "morning" | "afternoon" | "evening") => push(doc, 1),
            "this" if w(i + 1) == "week" => push(doc, 2),
            "this" if w(i + 1) == "month" => push(doc, 3),
            "last" | "past" if w(i + 1) == "night" => push(doc - Duration::days(1), 1),
            "last" if w(i + 1) == "week" => push(doc - Duration::days(7), 2),
            "last" if matches!(w(i + 1), "weekend") => push(last_weekday(doc, Weekday::Sat), 2),
            "the" if w(i + 1) == "weekend" && matches!(w(i.wrapping_sub(1)), "over" | "at") => {
                push(last_weekday(doc, Weekday::Sat), 2)
            }
            "last" if w(i + 1) == "month" => push(doc - Duration::days(30), 3),
            "earlier" if w(i + 1) == "this" && w(i + 2) == "week" => push(doc, 2),
            "earlier" if w(i + 1) == "this" && w(i + 2) == "month" => push(doc, 3),
            _ => {
                if let Some(wd) = weekday_of(t) {
                    let d = last_weekday(doc, wd);
                    push(d, 1);
                } else if let Some(n) = small_number(t) {
                    // "three days ago", "two weeks ago"
                    match (w(i + 1), w(i + 2)) {
                        ("days" | "day", "ago") => push(doc - Duration::days(n), 1),
                        ("weeks" | "week", "ago") => push(doc - Duration::days(7 * n), 2),
                        ("months" | "month", "ago") => push(doc - Duration::days(30 * n), 3),
                        _ => {
                            // "26 August [2016]"
                            if let Some(day) = day_at(items, i) {
                                let j = skip_punct(items, i + 1);
                                let j = if w(j) == "of" { j + 1 } else { j };
                                if let Some(m) = month_of(w(j)) {
                                    let k = skip_punct(items, j + 1);
                                    let date = match year_at(items, k) {
                                        Some(y) => NaiveDate::from_ymd_opt(y, m, day),
                                        None => infer_year(doc, m, day),
                                    };
                                    if let Some(d) = date {
                                        push(d, 1);
                                        i = j + 1;
                                        continue;
                                    }
                                }
                            }
                        }
                    }
                } else if let Some(m) = month_of(t) {
                    // "August 26[, 2016]", "Aug. 26", or "in August [2016]" ("may" is the
                    // month only after such a word: "since May", not "they may").
                    let j = skip_punct(items, i + 1);
                    if let Some(day) = day_at(items, j) {
                        let k = skip_punct(items, j + 1);
                        let date = match year_at(items, k) {
                            Some(y) => NaiveDate::from_ymd_opt(y, m, day),
                            None => infer_year(doc, m, day),
                        };
                        if let Some(d) = date {
                            push(d, 1);
                            i = j + 1;
                            continue;
                        }
                    } else if (t.len() > 3 || t == "may")
                        && matches!(
                            w(i.wrapping_sub(1)),
                            "in" | "since" | "during" | "early" | "late" | "mid" | "last"
                        )
                    {
                        let year = year_at(items, j);
                        let d = match year {
                            Some(y) => NaiveDate::from_ymd_opt(y, m, 1),
                            None => {
                                let y = if m > doc.month() {
                                    doc.year() - 1
                                } else {
                                    doc.year()
                                };
                                NaiveDate::from_ymd_opt(y, m, 1)
                            }
                        };
                        if let Some(d) = d {
                            push(d, 3);
                        }
                    }
                }
            }
        }
        i += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn items(s: &str) -> Vec<Item<'static>> {
        crate::text::tokens(s)
            .iter()
            .map(|t| Item {
                kind: if t.is_word() {
                    ItemKind::Word
                } else {
                    ItemKind::Punct
                },
                text: t.as_str(s).to_lowercase().into(),
                start: t.start,
                end: t.end,
                inter: None,
            })
            .collect()
    }

    #[test]
    fn date_table() {
        // 2016-08-26 was a Friday.
        let doc = NaiveDate::from_ymd_opt(2016, 8, 26).unwrap();
        let d = |y, m, dd| NaiveDate::from_ymd_opt(y, m, dd).unwrap();
        let cases: &[(&str, Option<(NaiveDate, u8)>)] = &[
            ("the regime just today forced", Some((doc, 1))),
            ("fighting erupted yesterday", Some((d(2016, 8, 25), 1))),
            ("shelled the town on Saturday", Some((d(2016, 8, 20), 1))),
            ("clashes on Friday", Some((doc, 1))),
            ("talks last week", Some((d(2016, 8, 19), 2))),
            ("on 26 August the town fell", Some((doc, 1))),
            ("on August 24, rebels", Some((d(2016, 8, 24), 1))),
            ("on Aug. 22 rebels", Some((d(2016, 8, 22), 1))),
            ("on 3 March 2015 rebels", Some((d(2015, 3, 3), 1))),
            ("on 20 December troops", Some((d(2015, 12, 20), 1))),
            ("in July the siege", Some((d(2016, 7, 1), 3))),
            ("three days ago", Some((d(2016, 8, 23), 1))),
            ("it may rain", None),
            ("besieged since May", Some((d(2016, 5, 1), 3))),
            ("the siege began last May", Some((d(2016, 5, 1), 3))),
            ("talks in December", Some((d(2015, 12, 1), 3))),
            ("48-hour ceasefire", None),
            ("no date here", None),
        ];
        for (text, want) in cases {
            let got = find_dates(&items(text), doc)
                .first()
                .map(|m| (m.date, m.precision));
            assert_eq!(got, *want, "{text:?}");
        }
    }
}

//! Reported fatalities: "killed 12", "at least 30 people were killed", "the death toll rose to
//! 40", "dozens dead", "no one was killed".
//!
//! Vague quantities follow ACLED's codebook: "several"/"many" = 10, "dozens" = 12, "hundreds" =
//! 100 ("scores" is read like "dozens"; "a dozen" = 12). Wounded and injured counts are not
//! fatalities.

use crate::extract::pattern::{Item, ItemKind};
use crate::extract::time::month_of;

const KILL_AFTER: &[&str] = &[
    "killed",
    "dead",
    "died",
    "slain",
    "deaths",
    "fatalities",
    "bodies",
    "perished",
    "lives",
    "massacred",
    "executed",
    "beheaded",
];
const KILL_BEFORE: &[&str] = &[
    "killed",
    "killing",
    "kills",
    "kill",
    "killings",
    "massacred",
    "executed",
    "beheaded",
    "beheading",
];
const NOT_KILLED: &[&str] = &[
    "wounded",
    "injured",
    "hurt",
    "wounding",
    "injuring",
    "missing",
    "arrested",
    "detained",
    "abducted",
    "kidnapped",
    "displaced",
];
const QUANT: &[&str] = &[
    "at",
    "least",
    "some",
    "about",
    "around",
    "nearly",
    "almost",
    "more",
    "than",
    "over",
    "up",
    "to",
    "roughly",
    "approximately",
    "an",
    "estimated",
    "a",
    "total",
    "of",
    "as",
    "many",
];

fn word_number(w: &str) -> Option<u32> {
    Some(match w {
        "one" => 1,
        "two" => 2,
        "three" => 3,
        "four" => 4,
        "five" => 5,
        "six" => 6,
        "seven" => 7,
        "eight" => 8,
        "nine" => 9,
        "ten" => 10,
        "eleven" => 11,
        "twelve" | "dozen" => 12,
        "thirteen" => 13,
        "fourteen" => 14,
        "fifteen" => 15,
        "sixteen" => 16,
        "seventeen" => 17,
        "eighteen" => 18,
        "nineteen" => 19,
        "twenty" => 20,
        "thirty" => 30,
        "forty" => 40,
        "fifty" => 50,
        "sixty" => 60,
        "seventy" => 70,
        "eighty" => 80,
        "ninety" => 90,
        "hundred" => 100,
        "dozens" | "scores" => 12,
        "several" | "many" | "multiple" => 10,
        "hundreds" => 100,
        "thousands" => 1000,
        _ => return None,
    })
}

/// A number at item `i`: (value, index after it). Handles "1,200", "twenty-five", "two hundred".
fn number_at(items: &[Item], i: usize) -> Option<(u32, usize)> {
    let it = items.get(i)?;
    if it.kind != ItemKind::Word {
        return None;
    }
    if it.text.chars().all(|c| c.is_ascii_digit()) {
        let mut v: u64 = it.text.parse().ok()?;
        let mut j = i + 1;
        // "1,200"
        while items.get(j).is_some_and(|x| x.text == ",")
            && items.get(j + 1).is_some_and(|x| {
                x.text.len() == 3
                    && x.text.chars().all(|c| c.is_ascii_digit())
                    && x.start == items[j].end
            })
        {
            v = v * 1000 + items[j + 1].text.parse::<u64>().ok()?;
            j += 2;
        }
        // Years and clock times are not counts.
        if (1900..=2100).contains(&v) && it.text.len() == 4 {
            return None;
        }
        return Some((v.min(u32::MAX as u64) as u32, j));
    }
    // "as many as 10": the number that follows is the count.
    if it.text == "many" && items.get(i + 1).is_some_and(|x| x.text == "as") {
        return None;
    }
    let mut v = word_number(&it.text)?;
    let mut j = i + 1;
    // "twenty-five", "two hundred"
    if items.get(j).is_some_and(|x| x.text == "-")
        && let Some(u) = items.get(j + 1).and_then(|x| word_number(&x.text))
        && u < 10
    {
        v += u;
        j += 2;
    }
    if v < 10 && items.get(j).is_some_and(|x| x.text == "hundred") {
        v *= 100;
        j += 1;
    }
    Some((v, j))
}

/// Fatalities stated in a sentence, with the item index of the number.
pub fn find_fatalities(items: &[Item]) -> Option<(u32, usize)> {
    let w = |i: usize| items.get(i).map(|x| x.text.as_ref()).unwrap_or("");
    // "no one was killed", "no casualties", "no deaths"
    for i in 0..items.len() {
        if (w(i) == "no" && matches!(w(i + 1), "casualties" | "deaths" | "fatalities"))
            || (w(i) == "no"
                && w(i + 1) == "one"
                && matches!(w(i + 3), "killed" | "hurt" | "injured"))
            || (w(i) == "nobody" && w(i + 2) == "killed")
        {
            return Some((0, i));
        }
    }
    let mut total: u32 = 0;
    let mut first: Option<usize> = None;
    let mut used_until = 0;
    let mut i = 0;
    while i < items.len() {
        let Some((n, after)) = number_at(items, i) else {
            i += 1;
            continue;
        };
        if i < used_until {
            i += 1;
            continue;
        }
        // A "-year-old", "-hour", "km" etc. right after a number is not a count of people, nor
        // is a day of the month ("March 3", "3 March"; but "10 may have died").
        let month = |k: usize| month_of(w(k)).is_some();
        if i.checked_sub(1).is_some_and(month) || (month(after) && w(after) != "may") {
            i = after;
            continue;
        }
        if matches!(
            w(after),
            "-" | "km" | "kilometres" | "kilometers" | "miles" | "percent" | "%"
        ) || matches!(
            w(after),
            "hours" | "days" | "weeks" | "months" | "years" | "times" | "am" | "pm"
        ) {
            i = after;
            continue;
        }
        // NUM ... killed (within 6 items, no wounded/injured between; short joining words and
        // a short parenthesis do not count: "50 soldiers and volunteers for the defence of the
        // homeland (VDP) were killed")
        let mut hit = false;
        let mut j = after;
        let mut seen = 0;
        while j < items.len() && seen < 6 {
            let it = &items[j];
            let t = it.text.as_ref();
            if t == "("
                && let Some(k) = (j + 1..items.len().min(j + 5)).find(|&k| w(k) == ")")
            {
                j = k + 1;
                continue;
            }
            if NOT_KILLED.contains(&t) || it.is_clause_break() {
                break;
            }
            if KILL_AFTER.contains(&t) {
                hit = true;
                break;
            }
            j += 1;
            if !matches!(t, "and" | "or" | "of" | "the" | "for" | "a" | "an") {
                seen += 1;
            }
        }
        // killed ... NUM (the kill word within 4 items before, only quantifiers between)
        if !hit {
            let mut j = i;
            while j > 0 {
                j -= 1;
                let t = w(j);
                if KILL_BEFORE.contains(&t)
                    || (t == "toll"
                        || (t == "to"
                            && matches!(
                                w(j.wrapping_sub(1)),
                                "rose" | "risen" | "climbed" | "reached"
                            )))
                {
                    hit = true;
                    break;
                }
                if !(QUANT.contains(&t)
                    || matches!(t, "rose" | "risen" | "climbed" | "has" | "had" | "reached"))
                    || i - j > 5
                {
                    break;
                }
            }
        }
        if hit {
            total = total.saturating_add(n);
            first.get_or_insert(i);
            used_until = after;
        }
        i = after.max(i + 1);
    }
    first.map(|f| (total, f))
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
    fn fatality_table() {
        let cases: &[(&str, Option<u32>)] = &[
            ("Air strikes killed 12 civilians in Idlib.", Some(12)),
            ("At least 30 people were killed in the attack.", Some(30)),
            ("The blast left 7 dead and 20 wounded.", Some(7)),
            ("20 wounded and 3 killed", Some(3)),
            ("Shelling killed dozens of civilians.", Some(12)),
            // A day of the month counts nobody.
            (
                "ABUJA, March 3 (Reuters) - Gunmen killed 40 people.",
                Some(40),
            ),
            ("On 3 March gunmen killed villagers.", None),
            ("As many as 10 may have been killed.", Some(10)),
            (
                "Insurgents stormed the town, beheading several residents.",
                Some(10),
            ),
            ("a dozen fighters died", Some(12)),
            ("killing at least twenty-five soldiers", Some(25)),
            ("hundreds were killed", Some(100)),
            ("The death toll rose to 1,200.", Some(1200)),
            ("No one was killed in the attack.", Some(0)),
            ("a 48-hour ceasefire", None),
            ("12 people were wounded", None),
            ("in 2016 the town fell", None),
            ("several people were killed", Some(10)),
            // Joining words and a short parenthesis between the count and "killed".
            (
                "At least 50 soldiers and volunteers for the defence of the homeland (VDP) were killed.",
                Some(50),
            ),
            // Six words of anything else end the search.
            (
                "Jets carried out 20 strikes on rebel-held areas of Idlib overnight, killing a child.",
                None,
            ),
        ];
        for (text, want) in cases {
            let got = find_fatalities(&items(text)).map(|(n, _)| n);
            assert_eq!(got, *want, "{text:?}");
        }
    }
}

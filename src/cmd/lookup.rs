//! `eventmap lookup NAME`: ranked gazetteer candidates for a name, as a table or JSON.

use std::io::Write;
use std::process::ExitCode;

use anyhow::Context;
use eventmap::gazetteer::{DefaultPrior, LookupOptions};

/// Arguments of `eventmap lookup`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// The name to look up (any script; matching is normalized).
    pub name: String,
    /// Only places in this country (ISO 3166-1 alpha-2, e.g. SY).
    #[arg(long, value_name = "CC")]
    pub country: Option<String>,
    /// Prefer places near this point.
    #[arg(long, value_name = "LAT,LON", value_parser = parse_lat_lon)]
    pub near: Option<(f64, f64)>,
    /// Show at most N candidates.
    #[arg(long, value_name = "N", default_value_t = 10)]
    pub limit: usize,
    /// Print a JSON array instead of a table.
    #[arg(long)]
    pub json: bool,
}

fn parse_lat_lon(s: &str) -> Result<(f64, f64), String> {
    let (a, b) = s
        .split_once(',')
        .ok_or_else(|| format!("expected LAT,LON, got `{s}`"))?;
    let lat: f64 = a
        .trim()
        .parse()
        .map_err(|_| format!("bad latitude `{a}`"))?;
    let lon: f64 = b
        .trim()
        .parse()
        .map_err(|_| format!("bad longitude `{b}`"))?;
    if !(-90.0..=90.0).contains(&lat) || !(-180.0..=180.0).contains(&lon) {
        return Err(format!("`{s}` is not a valid coordinate"));
    }
    Ok((lat, lon))
}

pub fn run(global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    let gaz = super::gazetteer::load(global)?;
    if let Some(cc) = &args.country
        && (cc.len() != 2 || !cc.bytes().all(|b| b.is_ascii_alphabetic()))
    {
        anyhow::bail!("--country expects a 2-letter ISO code, got `{cc}`");
    }
    let opts = LookupOptions {
        country: args.country.clone(),
        near: args.near,
        limit: Some(args.limit),
    };
    let cands = gaz.lookup_with(&args.name, &opts, &DefaultPrior);
    let mut out = std::io::stdout().lock();
    if args.json {
        let rows: Vec<serde_json::Value> = cands
            .iter()
            .filter_map(|c| {
                let p = gaz.get(c.place)?;
                Some(serde_json::json!({
                    "geonameid": p.geonameid(),
                    "name": p.name(),
                    "asciiname": p.asciiname(),
                    "feature_class": p.feature_class().to_string().trim(),
                    "feature_code": p.feature_code(),
                    "country_code": p.country_code(),
                    "admin1": p.admin1_name(),
                    "admin1_code": p.admin1_code(),
                    "admin2": p.admin2_name(),
                    "population": p.population(),
                    "lat": p.lat(),
                    "lon": p.lon(),
                    "match": c.kind.as_str(),
                    "score": (c.score * 1000.0).round() / 1000.0,
                }))
            })
            .collect();
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&rows).context("encode JSON")?
        )?;
    } else if !cands.is_empty() {
        writeln!(
            out,
            "{:>6}  {:>9}  {:<28} {:<6} {:<2} {:<22} {:>10}  {:>9} {:>10}  match",
            "score", "geonameid", "name", "code", "cc", "admin1", "population", "lat", "lon"
        )?;
        for c in &cands {
            let Some(p) = gaz.get(c.place) else { continue };
            let gid = p
                .geonameid()
                .map_or_else(|| "-".to_string(), |g| g.to_string());
            writeln!(
                out,
                "{:>6.2}  {:>9}  {:<28} {:<6} {:<2} {:<22} {:>10}  {:>9.4} {:>10.4}  {}",
                c.score,
                gid,
                clip(p.name(), 28),
                p.feature_code(),
                p.country_code(),
                clip(p.admin1_name(), 22),
                p.population(),
                p.lat(),
                p.lon(),
                c.kind
            )?;
        }
    }
    if cands.is_empty() {
        if !global.quiet {
            eprintln!("eventmap: no place matches `{}`", args.name);
        }
        return Ok(ExitCode::from(1));
    }
    Ok(ExitCode::SUCCESS)
}

/// Cuts `s` to at most `n` characters (for table columns).
fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        s.to_string()
    } else {
        let mut t: String = s.chars().take(n - 1).collect();
        t.push('…');
        t
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lat_lon_values() {
        assert_eq!(parse_lat_lon("33.5,36.3"), Ok((33.5, 36.3)));
        assert_eq!(parse_lat_lon(" -1 , 2 "), Ok((-1.0, 2.0)));
        for bad in ["33.5", "x,1", "91,0", "0,181"] {
            assert!(parse_lat_lon(bad).is_err(), "{bad}");
        }
    }
}

//! `eventmap render DIR --out map.svg|map.png [--bbox ...] [--width N] [--title ...]`.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use eventmap::layers::{fsio, render};

/// Arguments of `eventmap render`.
#[derive(clap::Args, Debug)]
pub struct Args {
    /// Snapshot directory (written by `eventmap run`, GeoJSON or GeoJSON-sequence layers).
    pub dir: PathBuf,
    /// Output image: `.svg` or `.png`.
    #[arg(long, short)]
    pub out: PathBuf,
    /// Area to show as `minlon,minlat,maxlon,maxlat` (default: fitted to the data).
    #[arg(long, value_name = "MINLON,MINLAT,MAXLON,MAXLAT")]
    pub bbox: Option<String>,
    /// Image width in pixels.
    #[arg(long, default_value_t = 1200)]
    pub width: u32,
    /// Map title (default: a summary of the snapshot).
    #[arg(long)]
    pub title: Option<String>,
}

pub fn run(global: &super::Global, args: Args) -> anyhow::Result<ExitCode> {
    let bbox = match &args.bbox {
        Some(s) => Some(render::parse_bbox(s).with_context(|| {
            format!("--bbox {s:?}: expected minlon,minlat,maxlon,maxlat in degrees")
        })?),
        None => None,
    };
    let opts = render::RenderOptions {
        bbox,
        width: args.width,
        title: args.title.clone(),
    };
    let svg = render::render_svg(&args.dir, &opts)?;
    let ext = args
        .out
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let bytes = match ext.as_deref() {
        Some("svg") => svg.into_bytes(),
        Some("png") => {
            let (png, has_fonts) = render::svg_to_png(&svg)?;
            if !has_fonts {
                eprintln!(
                    "eventmap: warning: no system fonts found; the PNG has no text (install fonts-dejavu-core)"
                );
            }
            png
        }
        _ => bail!("--out must end in .svg or .png"),
    };
    fsio::write_atomic(&args.out, &bytes)?;
    if !global.quiet {
        eprintln!("wrote {} ({} bytes)", args.out.display(), bytes.len());
    }
    Ok(ExitCode::SUCCESS)
}

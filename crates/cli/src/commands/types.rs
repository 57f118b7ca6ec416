//! `indexpilot generate-types`: row types from the live schema, written atomically, or
//! compared with the file on disk (`--check`, for CI).

use crate::output::Output;
use indexpilot_engine::typegen::{self, Lang, TypesRequest};
use indexpilot_engine::{Error, Result};
use serde_json::json;
use sqlx::PgPool;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

/// Longest diff `--check` prints; the rest is counted.
const DIFF_LINES: usize = 40;

pub struct Args {
    pub lang: String,
    pub file: Option<PathBuf>,
    pub schemas: Vec<String>,
    pub tables: Vec<String>,
    pub check: bool,
}

/// Mistakes found before connecting: a wrong language or `--check` without a file.
pub fn validate(lang: &str, file: Option<&Path>, check: bool) -> Result<Lang> {
    let lang: Lang = lang.parse()?;
    if check && file.is_none() {
        return Err(Error::InvalidInput(
            "--check needs --out FILE: the generated file to compare with".into(),
        ));
    }
    Ok(lang)
}

pub async fn run(pool: &PgPool, out: &Output, args: Args) -> Result<ExitCode> {
    let lang = validate(&args.lang, args.file.as_deref(), args.check)?;
    let request = TypesRequest {
        lang,
        schemas: args.schemas,
        tables: args.tables,
    };
    let generated = typegen::generate(pool, &request).await?;
    let Some(file) = args.file else {
        print!("{}", generated.text);
        return Ok(ExitCode::SUCCESS);
    };
    if args.check {
        return check(out, &file, &generated.text);
    }
    typegen::write_file(&file, &generated.text)?;
    out.emit(
        &json!({"path": file.display().to_string(), "lang": lang, "tables": generated.tables}),
        |_| {
            format!(
                "wrote {} ({} types for {} relations)",
                file.display(),
                lang,
                generated.tables
            )
        },
    );
    Ok(ExitCode::SUCCESS)
}

/// Exit 0 when the file matches, 1 with a short unified diff when it does not (or is missing).
fn check(out: &Output, file: &Path, fresh: &str) -> Result<ExitCode> {
    let on_disk = match std::fs::read_to_string(file) {
        Ok(text) => Some(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
        Err(e) => {
            return Err(Error::Local(format!(
                "cannot read {}: {e}: check the path and its permissions",
                file.display()
            )))
        }
    };
    let current = on_disk.as_deref() == Some(fresh);
    let diff = match &on_disk {
        Some(old) if !current => short_diff(old, fresh, &file.display().to_string()),
        _ => String::new(),
    };
    out.emit(
        &json!({"path": file.display().to_string(), "current": current,
                "missing": on_disk.is_none(), "diff": diff}),
        |_| {
            if current {
                format!("{} is current", file.display())
            } else if on_disk.is_none() {
                format!(
                    "{} does not exist: generate it without --check",
                    file.display()
                )
            } else {
                format!(
                    "{diff}{} is stale: regenerate it (same command without --check)",
                    file.display()
                )
            }
        },
    );
    Ok(if current {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn short_diff(old: &str, new: &str, name: &str) -> String {
    let diff = similar::TextDiff::from_lines(old, new);
    let text = diff
        .unified_diff()
        .context_radius(2)
        .header(
            &format!("{name} (on disk)"),
            &format!("{name} (live schema)"),
        )
        .to_string();
    let lines: Vec<&str> = text.lines().collect();
    let mut shown = lines
        .iter()
        .take(DIFF_LINES)
        .copied()
        .collect::<Vec<_>>()
        .join("\n");
    shown.push('\n');
    if lines.len() > DIFF_LINES {
        shown.push_str(&format!("… {} more lines\n", lines.len() - DIFF_LINES));
    }
    shown
}

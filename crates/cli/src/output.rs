//! How results and errors reach the terminal: human text, or JSON with --json.

use indexpilot_engine::Error;
use serde::Serialize;
use serde_json::json;

pub struct Output {
    pub json: bool,
}

impl Output {
    pub fn new(json: bool) -> Self {
        Output { json }
    }

    /// Prints `value` as JSON, or the human rendering of it.
    pub fn emit<T: Serialize>(&self, value: &T, human: impl FnOnce(&T) -> String) {
        if self.json {
            match serde_json::to_string_pretty(value) {
                Ok(text) => println!("{text}"),
                Err(e) => eprintln!("indexpilot: error: cannot render JSON: {e}"),
            }
        } else {
            let text = human(value);
            if !text.is_empty() {
                println!("{}", text.trim_end());
            }
        }
    }

    /// One line on stderr naming the problem and the fix; with --json, the same as a JSON
    /// object on stdout so scripts can branch on `code`.
    pub fn error(&self, err: &Error) {
        if self.json {
            let body = json!({"error": {
                "code": err.code(),
                "message": err.to_string(),
                "detail": err.detail(),
                "hint": err.hint(),
                "sqlstate": err.sqlstate(),
            }});
            println!("{body}");
        }
        let mut line = format!("indexpilot: error: {err}");
        if let Some(detail) = err.detail() {
            line.push_str(&format!(" ({})", one_line(&detail)));
        }
        if let Some(hint) = err.hint() {
            line.push_str(&format!("; hint: {}", one_line(&hint)));
        }
        eprintln!("{}", one_line(&line));
    }
}

fn one_line(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Sizes as a DBA reads them.
pub fn bytes(n: i64) -> String {
    const UNITS: [&str; 5] = ["B", "kB", "MB", "GB", "TB"];
    let mut v = n as f64;
    let mut unit = 0;
    while v >= 1024.0 && unit < UNITS.len() - 1 {
        v /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[unit])
    }
}

/// A left-aligned text table.
pub fn table(headers: &[&str], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = headers.iter().map(|h| h.chars().count()).collect();
    for r in rows {
        for (i, cell) in r.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: Vec<&str>| {
        cells
            .iter()
            .enumerate()
            .map(|(i, c)| format!("{:<w$}", c, w = widths[i]))
            .collect::<Vec<_>>()
            .join("  ")
            .trim_end()
            .to_string()
    };
    let mut out = vec![line(headers.to_vec())];
    for r in rows {
        out.push(line(r.iter().map(String::as_str).collect()));
    }
    out.join("\n")
}

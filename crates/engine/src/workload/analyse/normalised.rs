//! pg_stat_statements' normalised texts made parseable again.
//!
//! pg_stat_statements replaces every constant with `$n`, including the string of a typed
//! literal: `now() - interval '7 days'` is stored as `now() - interval $2`, `date '2026-01-01'`
//! as `date $1`, `timestamp with time zone '…'` as `timestamp with time zone $1`. PostgreSQL's
//! grammar only takes a string there, so the stored text is a syntax error and neither the
//! analyser nor the planner could read the statement, although the application runs it
//! thousands of times. [`repair`] turns each such placeholder into a cast of the same
//! parameter (`CAST($2 AS interval)`), which means the same thing, keeps its number, and
//! gives the parameter the literal's type.

use pg_query::protobuf::{KeywordKind, ScanToken, Token};

/// Keywords that name a type on their own (`interval '…'`, `int '…'`). Type names that are
/// plain identifiers (`date`, `timestamptz`, `jsonb`, `uuid`, `inet`, …) need no list: in
/// PostgreSQL's grammar an identifier directly before a parameter can only be a type name.
const TYPE_KEYWORDS: &[&str] = &[
    "interval",
    "timestamp",
    "time",
    "boolean",
    "int",
    "integer",
    "bigint",
    "smallint",
    "real",
    "float",
    "numeric",
    "decimal",
    "dec",
    "char",
    "character",
    "varchar",
    "nchar",
    "bit",
    "json",
];

/// Fields that may follow an interval literal (`interval '7' day`, `… hour to minute`).
const INTERVAL_FIELDS: &[&str] = &["year", "month", "day", "hour", "minute", "second", "to"];

/// The text with every typed-literal placeholder written as a cast, or `None` when the text
/// has none or still does not parse afterwards (it is then left as it was).
pub fn repair(sql: &str) -> Option<String> {
    let tokens = pg_query::scan_tokens(sql).ok()?;
    let word = |t: &ScanToken| -> Option<String> {
        let start = usize::try_from(t.start).ok()?;
        let end = usize::try_from(t.end).ok()?;
        sql.get(start..end).map(str::to_ascii_lowercase)
    };
    let is_word = |i: usize, w: &str| tokens.get(i).and_then(word).is_some_and(|x| x == w);
    // (start, end, parameter text, type text), in order, not overlapping.
    let mut edits: Vec<(usize, usize, String, String)> = Vec::new();
    for (i, t) in tokens.iter().enumerate() {
        if t.token != Token::Param as i32 || i == 0 {
            continue;
        }
        let Some(first) = type_start(&tokens, i - 1, &word, &is_word) else {
            continue;
        };
        // An interval's fields after the placeholder belong to its type.
        let mut last = i;
        if tokens.get(first).and_then(word).as_deref() == Some("interval") {
            while tokens
                .get(last + 1)
                .and_then(word)
                .is_some_and(|w| INTERVAL_FIELDS.contains(&w.as_str()))
            {
                last += 1;
            }
        }
        let (Ok(start), Ok(type_end), Ok(param_start), Ok(param_end), Ok(end)) = (
            usize::try_from(tokens[first].start),
            usize::try_from(tokens[i - 1].end),
            usize::try_from(t.start),
            usize::try_from(t.end),
            usize::try_from(tokens[last].end),
        ) else {
            continue;
        };
        let mut type_text = sql.get(start..type_end)?.to_string();
        if last > i {
            type_text.push(' ');
            type_text.push_str(sql.get(param_end..end)?.trim());
        }
        if edits.last().is_some_and(|e| e.1 > start) {
            continue;
        }
        edits.push((
            start,
            end,
            sql.get(param_start..param_end)?.to_string(),
            type_text,
        ));
    }
    if edits.is_empty() {
        return None;
    }
    let mut out = String::with_capacity(sql.len() + 16 * edits.len());
    let mut at = 0;
    for (start, end, param, type_text) in edits {
        out.push_str(&sql[at..start]);
        out.push_str(&format!("CAST({param} AS {type_text})"));
        at = end;
    }
    out.push_str(&sql[at..]);
    pg_query::parse(&out, 0).ok().map(|_| out)
}

/// The first token of the type name that ends at `last`, when the token before a parameter
/// ends a type name: an identifier (possibly schema-qualified), a type keyword, or the last
/// word of `double precision`, `character varying` or `timestamp with(out) time zone`.
fn type_start(
    tokens: &[ScanToken],
    last: usize,
    word: &impl Fn(&ScanToken) -> Option<String>,
    is_word: &impl Fn(usize, &str) -> bool,
) -> Option<usize> {
    let t = &tokens[last];
    let w = word(t)?;
    if t.token == Token::Ident as i32 && t.keyword_kind == KeywordKind::NoKeyword as i32 {
        // `pg_catalog.date $1`: the qualifying names belong to the type.
        let mut first = last;
        while first >= 2
            && is_word(first - 1, ".")
            && tokens[first - 2].token == Token::Ident as i32
        {
            first -= 2;
        }
        return Some(first);
    }
    if t.keyword_kind == KeywordKind::NoKeyword as i32 {
        return None;
    }
    match w.as_str() {
        "precision" if last >= 1 && is_word(last - 1, "double") => Some(last - 1),
        "varying" if last >= 1 => {
            let first = last - 1;
            let base = ["character", "char", "bit"];
            base.iter().any(|b| is_word(first, b)).then(|| {
                if first >= 1 && is_word(first - 1, "national") {
                    first - 1
                } else {
                    first
                }
            })
        }
        // `AT TIME ZONE $1` is not a type: only `timestamp|time with[out] time zone` is.
        "zone" if last >= 3 && is_word(last - 1, "time") => {
            let with = last - 2;
            ((is_word(with, "with") || is_word(with, "without"))
                && (is_word(with - 1, "timestamp") || is_word(with - 1, "time")))
            .then_some(with - 1)
        }
        w if TYPE_KEYWORDS.contains(&w) => Some(last),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::repair;

    fn fixed(sql: &str) -> String {
        repair(sql).unwrap_or_else(|| panic!("not repaired: {sql}"))
    }

    #[test]
    fn typed_literal_placeholders_become_casts() {
        assert_eq!(
            fixed("SELECT id FROM t WHERE created_at > now() - interval $1 LIMIT $2"),
            "SELECT id FROM t WHERE created_at > now() - CAST($1 AS interval) LIMIT $2"
        );
        assert_eq!(
            fixed("SELECT 1 FROM t WHERE d >= date $1 AND d < DATE $2"),
            "SELECT 1 FROM t WHERE d >= CAST($1 AS date) AND d < CAST($2 AS DATE)"
        );
        assert_eq!(
            fixed("SELECT 1 FROM t WHERE at > timestamp with time zone $1"),
            "SELECT 1 FROM t WHERE at > CAST($1 AS timestamp with time zone)"
        );
        assert_eq!(
            fixed("SELECT 1 FROM t WHERE x = double precision $1 OR y = character varying $2"),
            "SELECT 1 FROM t WHERE x = CAST($1 AS double precision) OR y = CAST($2 AS character varying)"
        );
        assert_eq!(
            fixed("SELECT 1 FROM t WHERE a @> jsonb $1 AND b = pg_catalog.uuid $2"),
            "SELECT 1 FROM t WHERE a @> CAST($1 AS jsonb) AND b = CAST($2 AS pg_catalog.uuid)"
        );
        // An interval's fields are part of its type.
        assert_eq!(
            fixed("SELECT 1 FROM t WHERE d > now() - interval $1 day"),
            "SELECT 1 FROM t WHERE d > now() - CAST($1 AS interval day)"
        );
        // `interval $2 * $3`: the multiplier stays a parameter of its own.
        assert_eq!(
            fixed("SELECT 1 FROM t WHERE d > now() - interval $2 * $3"),
            "SELECT 1 FROM t WHERE d > now() - CAST($2 AS interval) * $3"
        );
    }

    #[test]
    fn texts_that_parse_or_have_no_typed_literal_are_left_alone() {
        // AT TIME ZONE takes an expression: not a type.
        assert_eq!(repair("SELECT d AT TIME ZONE $1 FROM t"), None);
        assert_eq!(
            repair("SELECT a FROM t WHERE a = $1 LIMIT $2 OFFSET $3"),
            None
        );
        assert_eq!(repair("SELECT '$1'::date, $$ interval $1 $$"), None);
        // Still not SQL after the repair: left as it was.
        assert_eq!(repair("SELEC interval $1"), None);
    }
}

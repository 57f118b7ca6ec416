//! libpq's `key=value` connection strings (`host=db port=5432 dbname='my db'`), turned into
//! the URL form so that one parser, and one `.pgpass` lookup, serve both.

use crate::error::{Error, Result};

pub(super) fn to_url(text: &str) -> Result<String> {
    let mut params = Vec::new();
    for (key, value) in pairs(text)? {
        params.push(format!("{key}={}", encode(&value)));
    }
    Ok(format!("postgres://?{}", params.join("&")))
}

/// Splits `key = value` pairs; values may be single-quoted with `\'` and `\\` escapes.
fn pairs(text: &str) -> Result<Vec<(String, String)>> {
    let mut out = Vec::new();
    let mut chars = text.chars().peekable();
    loop {
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.peek().is_none() {
            return Ok(out);
        }
        let mut key = String::new();
        while let Some(&c) = chars.peek() {
            if c == '=' || c.is_whitespace() {
                break;
            }
            key.push(c);
            chars.next();
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        if chars.next() != Some('=') {
            return Err(Error::InvalidConnection(format!(
                "expected key=value in the connection string, found \"{key}\" without a value"
            )));
        }
        while chars.peek().is_some_and(|c| c.is_whitespace()) {
            chars.next();
        }
        let mut value = String::new();
        if chars.peek() == Some(&'\'') {
            chars.next();
            let mut closed = false;
            while let Some(c) = chars.next() {
                match c {
                    '\\' => value.extend(chars.next()),
                    '\'' => {
                        closed = true;
                        break;
                    }
                    _ => value.push(c),
                }
            }
            if !closed {
                return Err(Error::InvalidConnection(format!(
                    "unterminated quoted value for \"{key}\" in the connection string"
                )));
            }
        } else {
            while let Some(&c) = chars.peek() {
                if c.is_whitespace() {
                    break;
                }
                value.push(c);
                chars.next();
            }
        }
        out.push((key, value));
    }
}

fn encode(value: &str) -> String {
    let mut out = String::new();
    for b in value.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~' | b'/') {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quoted_values_and_escapes() {
        let p = pairs("host=h  dbname = 'a b\\'c' user=u").unwrap();
        assert_eq!(p[1], ("dbname".to_string(), "a b'c".to_string()));
        assert!(pairs("host").is_err());
        assert!(pairs("dbname='open").is_err());
    }
}

//! Maintenance windows: `daily 01:00-05:00`, `sat,sun 00:00-23:59`, `mon-fri 22:00-06:00`
//! (a window that ends before it starts runs past midnight into the next day). Judged in the
//! database server's time zone, read from the server at the time of the change.

use sqlx::PgPool;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Window {
    /// ISO weekdays (1 = Monday … 7 = Sunday) the window starts on.
    days: Vec<u8>,
    start: u16,
    end: u16,
}

const DAYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl Window {
    pub fn parse(text: &str) -> Result<Self, String> {
        let help = "write a window as `daily 01:00-05:00` or `mon-fri,sun 22:00-06:00`";
        let (days, times) = text
            .trim()
            .rsplit_once(' ')
            .ok_or_else(|| format!("\"{text}\" is not a window: {help}"))?;
        let (start, end) = times
            .split_once('-')
            .ok_or_else(|| format!("\"{times}\" is not a time range: {help}"))?;
        let (start, end) = (minutes(start), minutes(end));
        let (Some(start), Some(end)) = (start, end) else {
            return Err(format!(
                "\"{times}\" is not a time range (HH:MM-HH:MM): {help}"
            ));
        };
        let mut out = Vec::new();
        for part in days.trim().to_ascii_lowercase().split(',') {
            let part = part.trim();
            if part == "daily" || part == "every day" {
                out.extend(1..=7);
                continue;
            }
            let (a, b) = part.split_once('-').unwrap_or((part, part));
            let (Some(a), Some(b)) = (day(a), day(b)) else {
                return Err(format!(
                    "\"{part}\" is not a day (mon … sun or daily): {help}"
                ));
            };
            let mut d = a;
            loop {
                out.push(d);
                if d == b {
                    break;
                }
                d = d % 7 + 1;
            }
        }
        out.sort_unstable();
        out.dedup();
        Ok(Window {
            days: out,
            start,
            end,
        })
    }

    /// Whether `(weekday, minute of day)` falls inside the window.
    pub fn contains(&self, weekday: u8, minute: u16) -> bool {
        if self.start <= self.end {
            return self.days.contains(&weekday) && (self.start..=self.end).contains(&minute);
        }
        let yesterday = if weekday == 1 { 7 } else { weekday - 1 };
        (self.days.contains(&weekday) && minute >= self.start)
            || (self.days.contains(&yesterday) && minute <= self.end)
    }
}

fn minutes(t: &str) -> Option<u16> {
    let (h, m) = t.trim().split_once(':')?;
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    (h < 24 && m < 60).then_some(h * 60 + m)
}

fn day(name: &str) -> Option<u8> {
    let name = name.trim();
    let i = DAYS
        .iter()
        .position(|d| name.starts_with(d) && name.len() <= 9)?;
    u8::try_from(i + 1).ok()
}

/// The server's weekday, time and zone now. The zone is `log_timezone`: initdb sets it to
/// the server's zone and, unlike `TimeZone`, no client can change it for its session.
pub async fn server_now(pool: &PgPool) -> crate::error::Result<(u8, u16, String)> {
    let (dow, minute, zone): (i32, i32, String) = sqlx::query_as(
        "SELECT /* indexpilot */ extract(isodow FROM now() AT TIME ZONE z)::int,
                (extract(hour FROM now() AT TIME ZONE z) * 60
                 + extract(minute FROM now() AT TIME ZONE z))::int,
                z
         FROM (SELECT current_setting('log_timezone') AS z) s",
    )
    .fetch_one(pool)
    .await?;
    Ok((
        u8::try_from(dow).unwrap_or(1),
        u16::try_from(minute).unwrap_or(0),
        zone,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_parse_and_match() {
        let night = Window::parse("mon-fri 22:00-06:00").unwrap_or_else(|e| panic!("{e}"));
        assert!(night.contains(1, 23 * 60)); // Monday 23:00
        assert!(night.contains(2, 5 * 60)); // Tuesday 05:00, from Monday night
        assert!(night.contains(6, 3 * 60)); // Saturday 03:00, from Friday night
        assert!(!night.contains(6, 23 * 60)); // Saturday 23:00
        assert!(!night.contains(1, 3 * 60)); // Monday 03:00: Sunday night is not in it
        assert!(!night.contains(3, 12 * 60));

        let weekend = Window::parse("sat,sun 00:00-23:59").unwrap_or_else(|e| panic!("{e}"));
        assert!(weekend.contains(7, 0));
        assert!(!weekend.contains(5, 600));

        let daily = Window::parse("daily 01:00-05:00").unwrap_or_else(|e| panic!("{e}"));
        assert!((1..=7).all(|d| daily.contains(d, 120)));
        assert!(!daily.contains(4, 6 * 60));

        let wraps = Window::parse("sun-mon 10:00-11:00").unwrap_or_else(|e| panic!("{e}"));
        assert!(wraps.contains(7, 630) && wraps.contains(1, 630) && !wraps.contains(2, 630));

        for bad in [
            "",
            "daily",
            "someday 01:00-02:00",
            "daily 25:00-26:00",
            "daily 1-2",
        ] {
            assert!(Window::parse(bad).is_err(), "{bad}");
        }
    }
}

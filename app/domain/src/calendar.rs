//! The one calendar: day numbers (days since 1970-01-01, UTC), months and ISO weeks, and the
//! timestamps feedback arrives with. Dates are the `time` crate's; only the lenient reading of
//! timestamps from CSV files and the API is our own.

use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

/// The Julian day number of 1970-01-01.
const UNIX_EPOCH_JULIAN_DAY: i64 = 2_440_588;

fn date(days: i64) -> Date {
    let julian = (days + UNIX_EPOCH_JULIAN_DAY).clamp(
        i64::from(Date::MIN.to_julian_day()),
        i64::from(Date::MAX.to_julian_day()),
    );
    Date::from_julian_day(julian as i32).unwrap_or(Date::MIN)
}

fn day_of(date: Date) -> i64 {
    i64::from(date.to_julian_day()) - UNIX_EPOCH_JULIAN_DAY
}

/// Year, month and day of a day number.
pub fn civil(days: i64) -> (i64, i64, i64) {
    let d = date(days);
    (
        i64::from(d.year()),
        i64::from(d.month() as u8),
        i64::from(d.day()),
    )
}

/// The day number of a calendar date (the inverse of [`civil`]); `None` for a date that does
/// not exist.
pub fn checked_day_number(year: i64, month: i64, day: i64) -> Option<i64> {
    let month = Month::try_from(u8::try_from(month).ok()?).ok()?;
    let date =
        Date::from_calendar_date(i32::try_from(year).ok()?, month, u8::try_from(day).ok()?).ok()?;
    Some(day_of(date))
}

/// The day number of a calendar date that exists (the inverse of [`civil`]).
pub fn day_number(year: i64, month: i64, day: i64) -> i64 {
    checked_day_number(year, month, day).unwrap_or_else(|| day_of(Date::MIN))
}

/// `YYYY-MM-DD` (UTC) of a Unix timestamp.
pub fn format_date(unix: i64) -> String {
    let (year, month, day) = civil(unix.div_euclid(86_400));
    format!("{year:04}-{month:02}-{day:02}")
}

/// A `YYYY-MM-DD` date as Unix seconds at 00:00 UTC; `None` for anything else.
pub fn parse_day(raw: &str) -> Option<i64> {
    let mut parts = raw.trim().splitn(3, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    if y.len() != 4 || m.len() != 2 || d.len() != 2 {
        return None;
    }
    checked_day_number(y.parse().ok()?, m.parse().ok()?, d.parse().ok()?).map(|day| day * 86_400)
}

/// `YYYY-MM-DD HH:MM` (UTC) of a Unix timestamp.
pub fn format_date_time(unix: i64) -> String {
    let seconds = unix.rem_euclid(86_400);
    format!(
        "{} {:02}:{:02} UTC",
        format_date(unix),
        seconds / 3600,
        seconds % 3600 / 60
    )
}

/// The first day of the month that `days` falls in.
pub fn month_start(days: i64) -> i64 {
    day_of(date(days).replace_day(1).unwrap_or(Date::MIN))
}

/// The first day of the month after the one `days` falls in.
pub fn next_month_start(days: i64) -> i64 {
    let d = date(days);
    let (year, month) = match d.month() {
        Month::December => (d.year() + 1, Month::January),
        m => (d.year(), m.next()),
    };
    Date::from_calendar_date(year, month, 1).map_or(days, day_of)
}

/// The Monday of the (ISO) week that `days` falls in.
pub fn week_start(days: i64) -> i64 {
    days - i64::from(date(days).weekday().number_days_from_monday())
}

/// `YYYY-MM` of a day number.
pub fn month_key(days: i64) -> String {
    let (y, m, _) = civil(days);
    format!("{y:04}-{m:02}")
}

/// Unix seconds from `1732406400`, `2026-11-24`, `2026-11-24 14:30`, `2026-11-24T14:30:00`,
/// `2026-11-24T14:30:00Z` or `2026-11-24T14:30:00+01:00` (no offset: UTC). Fractions of a
/// second are dropped.
pub fn parse_timestamp(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    if !raw.is_empty() && raw.bytes().all(|b| b.is_ascii_digit()) {
        return raw.parse().ok();
    }
    let num = |s: &str| -> Option<u16> {
        (!s.is_empty() && s.len() <= 4 && s.bytes().all(|b| b.is_ascii_digit()))
            .then(|| s.parse().ok())
            .flatten()
    };
    let (day, rest) = match raw.find(['T', 't', ' ']) {
        Some(i) => (&raw[..i], Some(&raw[i + 1..])),
        None => (raw, None),
    };
    let mut parts = day.split('-');
    let (year, month, day) = (
        num(parts.next()?)?,
        num(parts.next()?)?,
        num(parts.next()?)?,
    );
    if parts.next().is_some() {
        return None;
    }
    let date = Date::from_calendar_date(
        i32::from(year),
        Month::try_from(u8::try_from(month).ok()?).ok()?,
        u8::try_from(day).ok()?,
    )
    .ok()?;
    let Some(time) = rest else {
        return Some(
            PrimitiveDateTime::new(date, Time::MIDNIGHT)
                .assume_utc()
                .unix_timestamp(),
        );
    };
    // Split off the zone: Z, +HH:MM or -HH:MM.
    let (clock, offset) = if let Some(c) = time.strip_suffix(['Z', 'z']) {
        (c, UtcOffset::UTC)
    } else if let Some(i) = time.rfind(['+', '-']) {
        let (h, m) = time[i + 1..].split_once(':')?;
        let sign = if time.as_bytes()[i] == b'+' { 1 } else { -1 };
        let (h, m) = (i8::try_from(num(h)?).ok()?, i8::try_from(num(m)?).ok()?);
        if h > 23 || m > 59 {
            return None;
        }
        (&time[..i], UtcOffset::from_hms(sign * h, sign * m, 0).ok()?)
    } else {
        (time, UtcOffset::UTC)
    };
    let clock = clock.split('.').next()?;
    let mut hms = clock.split(':');
    let h = u8::try_from(num(hms.next()?)?).ok()?;
    let m = u8::try_from(num(hms.next()?)?).ok()?;
    let s = match hms.next() {
        Some(s) => u8::try_from(num(s)?).ok()?,
        None => 0,
    };
    if hms.next().is_some() || s > 60 {
        return None;
    }
    // A leap second (:60) counts as the first second of the next minute.
    let leap = i64::from(s == 60);
    let time = Time::from_hms(h, m, s.min(59)).ok()?;
    let at = PrimitiveDateTime::new(date, time).assume_offset(offset);
    Some(at.unix_timestamp() + leap)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates() {
        assert_eq!(format_date(0), "1970-01-01");
        assert_eq!(format_date(951_782_400), "2000-02-29");
        assert_eq!(format_date(1_795_996_800), "2026-11-30");
    }

    #[test]
    fn calendar_arithmetic() {
        for days in [-1000, 0, 59, 11_016, 20_512, 20_788, 20_819, 40_000] {
            let (y, m, d) = civil(days);
            assert_eq!(day_number(y, m, d), days);
        }
        // 2026-11-25 is day 20_782; its month began on 2026-11-01 and the next on 2026-12-01.
        assert_eq!(day_number(2026, 11, 25), 20_782);
        assert_eq!(month_start(20_782), day_number(2026, 11, 1));
        assert_eq!(next_month_start(20_782), day_number(2026, 12, 1));
        assert_eq!(
            next_month_start(day_number(2026, 12, 31)),
            day_number(2027, 1, 1)
        );
        assert_eq!(month_key(20_782), "2026-11");
        // Wednesday 2026-11-25 is in the week of Monday 2026-11-23.
        assert_eq!(week_start(20_782), day_number(2026, 11, 23));
        assert_eq!(
            week_start(day_number(2026, 11, 23)),
            day_number(2026, 11, 23)
        );
    }

    #[test]
    fn timestamps_are_read_leniently_and_checked() {
        assert_eq!(
            parse_timestamp("2026-11-24"),
            Some(1_795_996_800 - 6 * 86_400)
        );
        assert_eq!(
            parse_timestamp("2026-11-24T14:30:00+01:00"),
            parse_timestamp("2026-11-24 13:30")
        );
        assert_eq!(
            parse_timestamp("2026-11-24T23:59:60Z"),
            parse_timestamp("2026-11-25")
        );
        assert_eq!(parse_timestamp("2000-02-29"), Some(951_782_400));
        for bad in [
            "2026-02-29",
            "2026-13-01",
            "2026-11-24T24:00",
            "2026-11-24T10:00+25:00",
            "2026-11-24T10:00:61",
            "24-11-2026x",
        ] {
            assert_eq!(parse_timestamp(bad), None, "{bad}");
        }
    }
}

//! The choices of Admin tools → Business information and Localization.
pub const TIME_ZONES: &[&str] = &[
    "UTC",
    "Europe/London",
    "Europe/Paris",
    "Europe/Berlin",
    "America/New_York",
    "America/Chicago",
    "America/Denver",
    "America/Los_Angeles",
    "America/Sao_Paulo",
    "Asia/Tokyo",
    "Asia/Kolkata",
    "Asia/Singapore",
    "Australia/Sydney",
];
/// (key, label)
pub const LANGUAGES: &[(&str, &str)] = &[
    ("en", "English"),
    ("fr", "Français"),
    ("de", "Deutsch"),
    ("es", "Español"),
];
pub const DATE_FORMATS: &[&str] = &["YYYY-MM-DD", "DD/MM/YYYY", "MM/DD/YYYY"];
pub const CURRENCIES: &[&str] = &["USD", "EUR", "GBP", "AUD", "CAD", "JPY"];

/// A Localization currency: what an account's bill is priced and written in. Amounts are whole
/// minor units (cents; yen have none).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, serde::Serialize, serde::Deserialize)]
pub enum Currency {
    #[default]
    Usd,
    Eur,
    Gbp,
    Aud,
    Cad,
    Jpy,
}

impl Currency {
    pub const ALL: [Currency; 6] = [Self::Usd, Self::Eur, Self::Gbp, Self::Aud, Self::Cad, Self::Jpy];

    /// The ISO 4217 code, as Localization stores it.
    pub fn code(self) -> &'static str {
        match self {
            Self::Usd => "USD",
            Self::Eur => "EUR",
            Self::Gbp => "GBP",
            Self::Aud => "AUD",
            Self::Cad => "CAD",
            Self::Jpy => "JPY",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.code() == code)
    }

    /// A stored code; anything unknown reads as US dollars, the currency before there was a
    /// choice.
    pub fn of_stored(code: Option<&str>) -> Self {
        code.and_then(Self::from_code).unwrap_or_default()
    }

    /// Its place in a price list ([`Self::ALL`]'s order).
    pub fn index(self) -> usize {
        self as usize
    }

    fn symbol(self) -> &'static str {
        match self {
            Self::Usd => "$",
            Self::Eur => "€",
            Self::Gbp => "£",
            Self::Aud => "A$",
            Self::Cad => "CA$",
            Self::Jpy => "¥",
        }
    }

    fn decimals(self) -> u32 {
        match self {
            Self::Jpy => 0,
            _ => 2,
        }
    }

    /// An amount in minor units, written with the currency's symbol: "€1,234.50", "¥14,900".
    pub fn format(self, minor: i64) -> String {
        let sign = if minor < 0 { "-" } else { "" };
        let minor = minor.abs();
        let unit = 10_i64.pow(self.decimals());
        let whole = (minor / unit).to_string();
        let mut grouped = String::new();
        for (i, c) in whole.chars().enumerate() {
            if i > 0 && (whole.len() - i).is_multiple_of(3) {
                grouped.push(',');
            }
            grouped.push(c);
        }
        let fraction = match self.decimals() {
            0 => String::new(),
            d => format!(".{:0width$}", minor % unit, width = d as usize),
        };
        format!("{sign}{}{grouped}{fraction}", self.symbol())
    }
}

/// How an account writes dates: its Localization date format in its Business information time
/// zone. Built once per session (the session cache keeps it), used by the services that put
/// dates on a page or in a CSV.
#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DateStyle {
    order: DateOrder,
    zone: chrono_tz::Tz,
}

#[cfg(feature = "ssr")]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum DateOrder {
    YearMonthDay,
    DayMonthYear,
    MonthDayYear,
}

#[cfg(feature = "ssr")]
impl Default for DateStyle {
    fn default() -> Self {
        Self {
            order: DateOrder::YearMonthDay,
            zone: chrono_tz::UTC,
        }
    }
}

#[cfg(feature = "ssr")]
impl DateStyle {
    /// The style of the stored settings; anything unknown falls back to YYYY-MM-DD in UTC.
    pub fn new(date_format: &str, time_zone: &str) -> Self {
        let order = match date_format {
            "DD/MM/YYYY" => DateOrder::DayMonthYear,
            "MM/DD/YYYY" => DateOrder::MonthDayYear,
            _ => DateOrder::YearMonthDay,
        };
        Self {
            order,
            zone: time_zone.parse().unwrap_or(chrono_tz::UTC),
        }
    }

    fn pattern(self) -> &'static str {
        match self.order {
            DateOrder::YearMonthDay => "%Y-%m-%d",
            DateOrder::DayMonthYear => "%d/%m/%Y",
            DateOrder::MonthDayYear => "%m/%d/%Y",
        }
    }

    /// The day `t` falls on in the account's time zone: "24/11/2026".
    pub fn day(self, t: chrono::DateTime<chrono::Utc>) -> String {
        t.with_timezone(&self.zone).format(self.pattern()).to_string()
    }

    /// The day and the time of day: "24/11/2026 14:05".
    pub fn moment(self, t: chrono::DateTime<chrono::Utc>) -> String {
        let local = t.with_timezone(&self.zone);
        format!("{} {}", local.format(self.pattern()), local.format("%H:%M"))
    }

    /// The day, the time of day and its seconds, for the audit log: "24/11/2026 14:05:09".
    pub fn instant_of(self, stored: &str) -> String {
        chrono::DateTime::parse_from_rfc3339(stored)
            .map(|t| {
                let local = t.with_timezone(&self.zone);
                format!("{} {}", local.format(self.pattern()), local.format("%H:%M:%S"))
            })
            .unwrap_or_else(|_| stored.to_string())
    }

    /// When `day` starts in the account's time zone (a filter's first day).
    pub fn start_of(self, day: chrono::NaiveDate) -> chrono::DateTime<chrono::Utc> {
        use chrono::TimeZone;
        let midnight = day.and_hms_opt(0, 0, 0).unwrap_or_default();
        self.zone
            .from_local_datetime(&midnight)
            .earliest()
            .map_or_else(|| midnight.and_utc(), |t| t.with_timezone(&chrono::Utc))
    }

    /// [`Self::day`] of a stored RFC 3339 text; the text as it was if it is not one.
    pub fn day_of(self, stored: &str) -> String {
        chrono::DateTime::parse_from_rfc3339(stored)
            .map(|t| self.day(t.with_timezone(&chrono::Utc)))
            .unwrap_or_else(|_| stored.to_string())
    }

    /// [`Self::moment`] of a stored RFC 3339 text; the text as it was if it is not one.
    pub fn moment_of(self, stored: &str) -> String {
        chrono::DateTime::parse_from_rfc3339(stored)
            .map(|t| self.moment(t.with_timezone(&chrono::Utc)))
            .unwrap_or_else(|_| stored.to_string())
    }
}

#[cfg(test)]
mod currency_tests {
    use super::*;

    #[test]
    fn amounts_are_written_in_their_currency() {
        assert_eq!(Currency::Usd.format(9_900), "$99.00");
        assert_eq!(Currency::Usd.format(12_345_675), "$123,456.75");
        assert_eq!(Currency::Eur.format(5), "€0.05");
        assert_eq!(Currency::Gbp.format(-2_500), "-£25.00");
        assert_eq!(Currency::Jpy.format(1_234_567), "¥1,234,567");
        assert_eq!(Currency::Cad.format(100), "CA$1.00");
    }

    #[test]
    fn every_localization_currency_is_a_currency_in_the_same_order() {
        let codes: Vec<&str> = Currency::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(codes, CURRENCIES);
        for (i, c) in Currency::ALL.into_iter().enumerate() {
            assert_eq!(c.index(), i);
            assert_eq!(Currency::from_code(c.code()), Some(c));
        }
        assert_eq!(Currency::of_stored(None), Currency::Usd);
        assert_eq!(Currency::of_stored(Some("XYZ")), Currency::Usd);
    }
}

#[cfg(all(test, feature = "ssr"))]
mod tests {
    use super::*;

    #[test]
    fn dates_follow_the_accounts_format_and_time_zone() {
        let t = chrono::DateTime::parse_from_rfc3339("2026-11-24T23:30:00Z")
            .expect("a time")
            .with_timezone(&chrono::Utc);
        assert_eq!(DateStyle::default().day(t), "2026-11-24");
        // Already the next day in Paris, and still the same day in New York.
        assert_eq!(
            DateStyle::new("DD/MM/YYYY", "Europe/Paris").moment(t),
            "25/11/2026 00:30"
        );
        assert_eq!(
            DateStyle::new("MM/DD/YYYY", "America/New_York").day(t),
            "11/24/2026"
        );
        assert_eq!(DateStyle::new("nonsense", "Mars/Olympus").day(t), "2026-11-24");
        assert_eq!(
            DateStyle::new("DD/MM/YYYY", "UTC").day_of("2026-11-24T10:00:00.123456Z"),
            "24/11/2026"
        );
        assert_eq!(DateStyle::default().day_of("not a date"), "not a date");
        let day = chrono::NaiveDate::from_ymd_opt(2026, 11, 24).expect("a day");
        assert_eq!(
            DateStyle::new("YYYY-MM-DD", "Europe/Paris")
                .start_of(day)
                .to_rfc3339(),
            "2026-11-23T23:00:00+00:00"
        );
        assert_eq!(
            DateStyle::default().instant_of("2026-11-24T10:08:23.5Z"),
            "2026-11-24 10:08:23"
        );
        for zone in TIME_ZONES {
            assert_ne!(
                DateStyle::new("YYYY-MM-DD", zone).zone.name(),
                "UTC".repeat(2),
                "{zone} parses"
            );
            assert!(zone.parse::<chrono_tz::Tz>().is_ok(), "{zone} is a known zone");
        }
    }
}

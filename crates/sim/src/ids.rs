//! Record ids: every enterprise system writes its UUIDs in one style, so that the order of the id texts is the
//! order of the 128-bit numbers behind them (the server pages check records by that number).

use crate::rng::Rng;

/// How an enterprise system writes its ids.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum IdStyle {
    /// 36 characters, lowercase, `8-4-4-4-12` (the most common).
    Hyphenated,
    /// 32 lowercase hex digits.
    Plain,
    /// 32 uppercase hex digits.
    Upper,
}

impl IdStyle {
    /// A style drawn for an enterprise: hyphenated 60 %, plain 30 %, uppercase 10 %.
    pub(crate) fn draw(rng: &mut Rng) -> IdStyle {
        match rng.weighted(&[0.6, 0.3, 0.1]) {
            0 => IdStyle::Hyphenated,
            1 => IdStyle::Plain,
            _ => IdStyle::Upper,
        }
    }

    /// The id text of a number.
    pub(crate) fn format(self, n: u128) -> String {
        match self {
            IdStyle::Plain => format!("{n:032x}"),
            IdStyle::Upper => format!("{n:032X}"),
            IdStyle::Hyphenated => {
                let h = format!("{n:032x}");
                format!("{}-{}-{}-{}-{}", &h[..8], &h[8..12], &h[12..16], &h[16..20], &h[20..])
            }
        }
    }
}

/// The number behind an id text of any style, `None` when it is not one.
pub(crate) fn parse_id(s: &str) -> Option<u128> {
    let hex: String = s.chars().filter(|c| *c != '-').collect();
    if hex.len() != 32 {
        return None;
    }
    u128::from_str_radix(&hex, 16).ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn styles_keep_numeric_order_and_parse_back() {
        let (a, b) = (0x0123_4567_89ab_cdef_0000_0000_0000_000fu128, 0xa000_0000_0000_0000_0000_0000_0000_0000u128);
        for style in [IdStyle::Hyphenated, IdStyle::Plain, IdStyle::Upper] {
            let (sa, sb) = (style.format(a), style.format(b));
            assert!(sa < sb, "{style:?}");
            assert_eq!(parse_id(&sa), Some(a));
            assert_eq!(parse_id(&sb), Some(b));
        }
        assert_eq!(IdStyle::Hyphenated.format(a).len(), 36);
        assert_eq!(parse_id("xyz"), None);
    }
}

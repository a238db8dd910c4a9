//! The typed accessors of [`Reader`]: enumerations, flags, numbers and the JSON person objects.

use crate::reader::{Reader, TEXT_LIMIT};
use crate::{ErrorCode, coded::Coded};
use domain::records::Cycle;
use serde_json::{Number, Value};

/// The largest `checkCycle` accepted, in hundredths (100000).
pub(crate) const MAX_CYCLE_HUNDREDTHS: u32 = 10_000_000;

/// A field that should carry a small integer code.
enum Raw {
    /// Absent or `null`.
    Absent,
    /// A blank string.
    Blank,
    /// A whole number, or a string of ASCII digits.
    Int(i64),
    /// A number with a fraction, or a string that is not digits (`"1.0"`, `"x"`).
    NotInt,
    /// Neither a number nor a string.
    WrongType,
}

/// Reads digits of at most 9 characters (so `"007"` is 7 and a huge text is not a number).
fn digit_text(s: &str) -> Option<i64> {
    if s.is_empty() || s.len() > 9 || !s.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    s.parse().ok()
}

/// Why a `checkCycle` was refused.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum CycleError {
    /// Not a decimal number.
    NotNumber,
    /// Zero or negative.
    NotPositive,
    /// More than two decimals.
    TooPrecise,
    /// Over [`MAX_CYCLE_HUNDREDTHS`].
    TooLarge,
}

/// A cycle from decimal text: digits, optionally `.` and digits (trailing zeros of the fraction are ignored).
pub(crate) fn cycle_from_text(s: &str) -> Result<u32, CycleError> {
    let (int, frac) = s.split_once('.').unwrap_or((s, "0"));
    let all_digits = |t: &str| !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit());
    if !all_digits(int) || !all_digits(frac) {
        return Err(CycleError::NotNumber);
    }
    let frac = frac.trim_end_matches('0');
    if frac.len() > 2 {
        return Err(CycleError::TooPrecise);
    }
    let int = int.trim_start_matches('0');
    if int.len() > 6 {
        return Err(CycleError::TooLarge);
    }
    let whole: u32 = if int.is_empty() { 0 } else { int.parse().map_err(|_| CycleError::NotNumber)? };
    let cents: u32 = match frac.len() {
        0 => 0,
        1 => frac.parse::<u32>().map_err(|_| CycleError::NotNumber)? * 10,
        _ => frac.parse().map_err(|_| CycleError::NotNumber)?,
    };
    check_cycle_range(u64::from(whole) * 100 + u64::from(cents))
}

/// A cycle from a JSON number.
pub(crate) fn cycle_from_number(n: &Number) -> Result<u32, CycleError> {
    if let Some(u) = n.as_u64() {
        return check_cycle_range(u.saturating_mul(100));
    }
    let f = n.as_f64().ok_or(CycleError::NotNumber)?;
    if f <= 0.0 {
        return Err(CycleError::NotPositive);
    }
    let h = f * 100.0;
    let r = h.round();
    if (h - r).abs() > 1e-6 * r.max(1.0) {
        return Err(CycleError::TooPrecise);
    }
    if r > f64::from(MAX_CYCLE_HUNDREDTHS) {
        return Err(CycleError::TooLarge);
    }
    // `r` is a whole number in 0..=MAX_CYCLE_HUNDREDTHS, so the conversion is exact.
    check_cycle_range(r as u64)
}

fn check_cycle_range(h: u64) -> Result<u32, CycleError> {
    match u32::try_from(h) {
        Ok(0) => Err(CycleError::NotPositive),
        Ok(h) if h <= MAX_CYCLE_HUNDREDTHS => Ok(h),
        _ => Err(CycleError::TooLarge),
    }
}

impl Reader<'_> {
    fn raw_int(&self, f: &str) -> Raw {
        match self.get(f) {
            None => Raw::Absent,
            Some(Value::Number(n)) => n.as_i64().map_or(Raw::NotInt, Raw::Int),
            Some(Value::String(s)) if crate::reader::is_blank(s) => Raw::Blank,
            Some(Value::String(s)) => digit_text(s).map_or(Raw::NotInt, Raw::Int),
            Some(_) => Raw::WrongType,
        }
    }

    /// Records a value outside an enumeration; `list` is the allowed codes joined by `、`.
    pub(crate) fn bad_enum(&mut self, f: &str, list: &str) {
        let en = list.replace('、', ", ");
        self.fail(f, ErrorCode::BadEnum, format!("{f} 必须为 {list} 之一 / {f} must be one of {en}"));
    }

    /// An integer code: `Some(Some(c))`; `Some(None)` when absent (and not `required`) or blank (and not
    /// `required`: a blank required code is `bad_enum`); `None` after recording an error. `list` names the allowed
    /// values for the message (built only then).
    fn int_code(&mut self, f: &str, required: bool, list: impl Fn() -> String) -> Option<Option<i64>> {
        match self.raw_int(f) {
            Raw::Int(c) => Some(Some(c)),
            Raw::Absent if required => {
                self.missing(f);
                None
            }
            Raw::Absent => Some(None),
            Raw::Blank if !required => Some(None),
            Raw::Blank | Raw::NotInt => {
                self.bad_enum(f, &list());
                None
            }
            Raw::WrongType => {
                self.bad_type(f, "数字或数字字符串", "a number or a numeric string");
                None
            }
        }
    }

    fn enum_of<E: Coded>(&mut self, required: bool) -> Option<Option<E>> {
        match self.int_code(E::FIELD, required, E::codes_list)? {
            None => Some(None),
            Some(c) => match E::from_code(c) {
                Some(e) => Some(Some(e)),
                None => {
                    self.bad_enum(E::FIELD, &E::codes_list());
                    None
                }
            },
        }
    }

    /// A required enumeration, sent as a number or a string of digits.
    pub(crate) fn req_enum<E: Coded>(&mut self) -> Option<E> {
        self.enum_of(true).flatten()
    }

    /// An optional enumeration; absent, `null` and blank are `None`.
    pub(crate) fn opt_enum<E: Coded>(&mut self) -> Option<Option<E>> {
        self.enum_of(false)
    }

    fn flag(&mut self, f: &str, required: bool) -> Option<Option<bool>> {
        match self.int_code(f, required, || "0、1".to_owned())? {
            None => Some(None),
            Some(0) => Some(Some(false)),
            Some(1) => Some(Some(true)),
            Some(_) => {
                self.bad_enum(f, "0、1");
                None
            }
        }
    }

    /// A required 0/1 flag (`"0"`, `"1"`, `0` or `1`).
    pub(crate) fn req_flag(&mut self, f: &str) -> Option<bool> {
        self.flag(f, true).flatten()
    }

    /// An optional 0/1 flag.
    pub(crate) fn opt_flag(&mut self, f: &str) -> Option<Option<bool>> {
        self.flag(f, false)
    }

    /// An optional small whole number in `1..=max` (`taskNum`); `0` counts as absent.
    pub(crate) fn opt_small(&mut self, f: &str, max: u8) -> Option<Option<u8>> {
        let range = || format!("1–{max}");
        match self.int_code(f, false, range)? {
            None | Some(0) => Some(None),
            Some(c) => match u8::try_from(c) {
                Ok(n) if (1..=max).contains(&n) => Some(Some(n)),
                _ => {
                    let r = range();
                    self.fail(f, ErrorCode::BadEnum, format!("{f} 必须为 {r} 的整数 / {f} must be a whole number {r}"));
                    None
                }
            },
        }
    }

    /// A required `checkCycle`: a number or numeric string, > 0, at most two decimals.
    pub(crate) fn req_cycle(&mut self, f: &str) -> Option<Cycle> {
        let parsed = match self.get(f) {
            None => {
                self.missing(f);
                return None;
            }
            Some(Value::String(s)) if crate::reader::is_blank(s) => {
                self.missing(f);
                return None;
            }
            Some(Value::String(s)) => cycle_from_text(s),
            Some(Value::Number(n)) => cycle_from_number(n),
            Some(_) => {
                self.bad_type(f, "数字或数字字符串", "a number or a numeric string");
                return None;
            }
        };
        let (zh, en) = match parsed {
            Ok(hundredths) => return Some(Cycle { hundredths }),
            Err(CycleError::NotNumber) => ("必须为十进制数", "must be a decimal number"),
            Err(CycleError::NotPositive) => ("必须大于 0", "must be greater than 0"),
            Err(CycleError::TooPrecise) => ("最多两位小数", "may have at most 2 decimals"),
            Err(CycleError::TooLarge) => ("不能大于 100000", "must be at most 100000"),
        };
        self.fail(f, ErrorCode::BadFormat, crate::error::both(f, zh, en));
        None
    }

    /// An optional person `{name, phone, post}`, kept as compact JSON text. `name`, `phone` and `post`, when
    /// present, must be strings; other members are kept. A blank string counts as absent.
    pub(crate) fn opt_person(&mut self, f: &str) -> Option<Option<String>> {
        let obj = match self.get(f) {
            None => return Some(None),
            Some(Value::String(s)) if crate::reader::is_blank(s) => return Some(None),
            Some(Value::Object(obj)) => obj,
            Some(_) => {
                self.bad_type(f, "对象 {name, phone, post}", "an object {name, phone, post}");
                return None;
            }
        };
        let mut ok = true;
        for member in ["name", "phone", "post"] {
            match obj.get(member) {
                None | Some(Value::Null) => {}
                Some(Value::String(s)) => ok &= self.check_text(&format!("{f}.{member}"), s, TEXT_LIMIT),
                Some(_) => {
                    self.bad_type(&format!("{f}.{member}"), "字符串", "a string");
                    ok = false;
                }
            }
        }
        if ok { serde_json::to_string(obj).ok().map(Some) } else { None }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cycles_from_text() {
        assert_eq!(cycle_from_text("2.5"), Ok(250));
        assert_eq!(cycle_from_text("0.01"), Ok(1));
        assert_eq!(cycle_from_text("007"), Ok(700));
        assert_eq!(cycle_from_text("2.500"), Ok(250));
        assert_eq!(cycle_from_text("2.555"), Err(CycleError::TooPrecise));
        assert_eq!(cycle_from_text("0"), Err(CycleError::NotPositive));
        assert_eq!(cycle_from_text("0.00"), Err(CycleError::NotPositive));
        assert_eq!(cycle_from_text("100000"), Ok(10_000_000));
        assert_eq!(cycle_from_text("100000.01"), Err(CycleError::TooLarge));
        for bad in ["-1", "1e2", ".5", "5.", "1,5", " 1", "x", "1.2.3"] {
            assert_eq!(cycle_from_text(bad), Err(CycleError::NotNumber), "{bad}");
        }
    }

    #[test]
    fn cycles_from_numbers() {
        let n = |v: serde_json::Value| cycle_from_number(v.as_number().unwrap_or(&Number::from(0)));
        assert_eq!(n(serde_json::json!(3)), Ok(300));
        assert_eq!(n(serde_json::json!(0.29)), Ok(29));
        assert_eq!(n(serde_json::json!(2.5)), Ok(250));
        assert_eq!(n(serde_json::json!(1.005)), Err(CycleError::TooPrecise));
        assert_eq!(n(serde_json::json!(0)), Err(CycleError::NotPositive));
        assert_eq!(n(serde_json::json!(-2)), Err(CycleError::NotPositive));
        assert_eq!(n(serde_json::json!(-0.5)), Err(CycleError::NotPositive));
        assert_eq!(n(serde_json::json!(1e9)), Err(CycleError::TooLarge));
        assert_eq!(n(serde_json::json!(u64::MAX)), Err(CycleError::TooLarge));
    }

    #[test]
    fn digit_text_is_strict() {
        assert_eq!(digit_text("01"), Some(1));
        for bad in ["", "1.0", "-1", "+1", " 1", "1 ", "1234567890", "١"] {
            assert_eq!(digit_text(bad), None, "{bad}");
        }
    }
}

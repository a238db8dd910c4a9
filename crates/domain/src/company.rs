//! Enterprise identities: the 9-digit enterprise code and the unified social credit code (GB 32100-2015).

use crate::newtype::text_newtype;
use crate::{City, DomainError};
use serde::{Deserialize, Serialize};

/// The 9-digit enterprise code of the hazardous-chemical registration system (`^\d{9}$`).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CompanyCode(String);

text_newtype!(CompanyCode, parse);

impl CompanyCode {
    /// Parses a 9-digit code; surrounding whitespace is not accepted.
    pub fn parse(s: &str) -> Result<CompanyCode, DomainError> {
        if s.len() == 9 && s.bytes().all(|b| b.is_ascii_digit()) {
            Ok(CompanyCode(s.to_owned()))
        } else {
            Err(DomainError::BadCompanyCode(s.to_owned()))
        }
    }

    /// The deterministic provisional test code of the `serial`-th enterprise (1-based) of a city:
    /// the city's 4-digit prefix followed by the serial on 5 digits, e.g. `140100001`.
    pub fn provisional(city: City, serial: u32) -> CompanyCode {
        CompanyCode(format!("{}{:05}", city.prefix(), serial % 100_000))
    }
}

/// The characters of a unified social credit code, in the order of their values (no I, O, Z, S, V).
const CREDIT_CHARS: &[u8; 31] = b"0123456789ABCDEFGHJKLMNPQRTUWXY";
/// The weights of the first 17 characters (3^i mod 31).
const CREDIT_WEIGHTS: [u32; 17] = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];

/// A unified social credit code (统一社会信用代码) whose check character is valid.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct CreditCode(String);

text_newtype!(CreditCode, parse);

impl CreditCode {
    /// Parses an 18-character code and verifies its check character (GB 32100-2015 §4.4).
    pub fn parse(s: &str) -> Result<CreditCode, DomainError> {
        let bad = || DomainError::BadCreditCode(s.to_owned());
        let bytes = s.as_bytes();
        if bytes.len() != 18 {
            return Err(bad());
        }
        let value = |b: u8| CREDIT_CHARS.iter().position(|&c| c == b).map(|p| p as u32);
        let mut sum = 0;
        for (i, &b) in bytes[..17].iter().enumerate() {
            sum += value(b).ok_or_else(bad)? * CREDIT_WEIGHTS[i];
        }
        let expected = (31 - sum % 31) % 31;
        if value(bytes[17]) == Some(expected) { Ok(CreditCode(s.to_owned())) } else { Err(bad()) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn company_codes_are_nine_digits() {
        assert!(CompanyCode::parse("140100001").is_ok());
        for bad in ["14010000", "1401000011", "14010000a", " 40100001", ""] {
            assert_eq!(CompanyCode::parse(bad).unwrap_err().code(), "bad_company_code");
        }
    }

    #[test]
    fn provisional_codes_start_with_the_city_prefix() {
        assert_eq!(CompanyCode::provisional(City::Taiyuan, 1).as_str(), "140100001");
        assert_eq!(CompanyCode::provisional(City::Lvliang, 19).as_str(), "141100019");
    }

    #[test]
    fn credit_code_check_character() {
        // Published codes of large state-owned enterprises.
        assert!(CreditCode::parse("9111000071093123XX").is_ok());
        assert!(CreditCode::parse("91110000710925462X").is_ok());
        assert!(CreditCode::parse("91110000710926094P").is_ok());
        // One changed character breaks the check.
        assert!(CreditCode::parse("91110000710925463X").is_err());
        // Letters outside the alphabet and wrong lengths.
        assert!(CreditCode::parse("9111000071092546IX").is_err());
        assert!(CreditCode::parse("91110000710925462").is_err());
    }
}

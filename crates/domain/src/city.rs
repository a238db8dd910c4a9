//! The 11 prefecture-level cities of Shanxi with their GB/T 2260 codes.

use crate::DomainError;
use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// A prefecture-level city of Shanxi (地级市), identified by its GB/T 2260 code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub enum City {
    /// 太原市 140100
    Taiyuan,
    /// 大同市 140200
    Datong,
    /// 阳泉市 140300
    Yangquan,
    /// 长治市 140400
    Changzhi,
    /// 晋城市 140500
    Jincheng,
    /// 朔州市 140600
    Shuozhou,
    /// 晋中市 140700
    Jinzhong,
    /// 运城市 140800
    Yuncheng,
    /// 忻州市 140900
    Xinzhou,
    /// 临汾市 141000
    Linfen,
    /// 吕梁市 141100
    Lvliang,
}

impl City {
    /// All cities in code order.
    pub const ALL: [City; 11] = [
        City::Taiyuan,
        City::Datong,
        City::Yangquan,
        City::Changzhi,
        City::Jincheng,
        City::Shuozhou,
        City::Jinzhong,
        City::Yuncheng,
        City::Xinzhou,
        City::Linfen,
        City::Lvliang,
    ];

    /// The 6-digit GB/T 2260 code, e.g. `"140100"`.
    pub fn code(self) -> &'static str {
        match self {
            City::Taiyuan => "140100",
            City::Datong => "140200",
            City::Yangquan => "140300",
            City::Changzhi => "140400",
            City::Jincheng => "140500",
            City::Shuozhou => "140600",
            City::Jinzhong => "140700",
            City::Yuncheng => "140800",
            City::Xinzhou => "140900",
            City::Linfen => "141000",
            City::Lvliang => "141100",
        }
    }

    /// The 4-digit prefix of the code (province + city), e.g. `"1401"`.
    pub fn prefix(self) -> &'static str {
        &self.code()[..4]
    }

    /// The Chinese name, e.g. `"太原市"`.
    pub fn name(self) -> &'static str {
        match self {
            City::Taiyuan => "太原市",
            City::Datong => "大同市",
            City::Yangquan => "阳泉市",
            City::Changzhi => "长治市",
            City::Jincheng => "晋城市",
            City::Shuozhou => "朔州市",
            City::Jinzhong => "晋中市",
            City::Yuncheng => "运城市",
            City::Xinzhou => "忻州市",
            City::Linfen => "临汾市",
            City::Lvliang => "吕梁市",
        }
    }

    /// Parses a 6-digit GB/T 2260 city code.
    pub fn from_code(code: &str) -> Result<City, DomainError> {
        City::ALL.into_iter().find(|c| c.code() == code.trim()).ok_or_else(|| DomainError::UnknownCity(code.to_owned()))
    }

    /// Finds a city by its Chinese name, with or without the trailing 市.
    pub fn from_name(name: &str) -> Option<City> {
        let name = name.trim();
        City::ALL.into_iter().find(|c| c.name() == name || c.name().trim_end_matches('市') == name)
    }
}

impl fmt::Display for City {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for City {
    type Err = DomainError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        City::from_code(s)
    }
}

impl TryFrom<String> for City {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        City::from_code(&s)
    }
}

impl From<City> for String {
    fn from(c: City) -> String {
        c.code().to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_names_and_prefixes_round_trip() {
        for c in City::ALL {
            assert_eq!(City::from_code(c.code()), Ok(c));
            assert_eq!(City::from_name(c.name()), Some(c));
            assert!(c.code().starts_with(c.prefix()));
            assert_eq!(c.prefix().len(), 4);
        }
        assert_eq!(City::from_name("吕梁"), Some(City::Lvliang));
        assert_eq!(City::Linfen.code(), "141000");
    }

    #[test]
    fn rejects_unknown_codes() {
        assert_eq!(City::from_code("140000").unwrap_err().code(), "unknown_city");
        assert!(City::from_code("1401").is_err());
        assert!(City::from_code("").is_err());
    }
}

//! One trait over the coded enumerations of the domain crate, so that reading and writing them is generic.

use domain::enums::{
    CheckStatus, Classify1, DangerLevel, DangerManageType, DangerSrc, DangerState, DataSrc, HazardCategory,
    HazardDangerType, HazardLevel, RiskClass, WorkDayType, WorkType,
};

/// An enumeration carried on the wire as a small integer code.
pub(crate) trait Coded: Copy {
    /// The wire field that carries it.
    const FIELD: &'static str;
    /// The value of a code, if it is one.
    fn from_code(code: i64) -> Option<Self>;
    /// The code of a value.
    fn code(self) -> u8;
    /// The allowed codes joined by `、`.
    fn codes_list() -> String;
}

macro_rules! coded {
    ($($t:ident),+ $(,)?) => {
        $(impl Coded for $t {
            const FIELD: &'static str = $t::FIELD;
            fn from_code(code: i64) -> Option<Self> {
                $t::from_code(code).ok()
            }
            fn code(self) -> u8 {
                $t::code(self)
            }
            fn codes_list() -> String {
                $t::codes_list()
            }
        })+
    };
}

coded!(
    CheckStatus,
    Classify1,
    DangerLevel,
    DangerManageType,
    DangerSrc,
    DangerState,
    DataSrc,
    HazardCategory,
    HazardDangerType,
    HazardLevel,
    RiskClass,
    WorkDayType,
    WorkType,
);

/// The wire form of a code in records written by [`to_wire`](crate::to_wire): a string of digits.
pub(crate) fn code_text<E: Coded>(e: E) -> String {
    e.code().to_string()
}

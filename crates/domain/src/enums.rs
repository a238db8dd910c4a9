//! The enumerations of the exchange tables (`data-exchange.md` §2), with their wire codes and Chinese labels.

use crate::DomainError;

/// Declares an enumeration coded by small integers on the wire, with a Chinese label per value.
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident : $field:literal {
        $($(#[$vmeta:meta])* $variant:ident = $code:literal => $label:literal),+ $(,)?
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
        #[serde(into = "u8", try_from = "u8")]
        pub enum $name {
            $($(#[$vmeta])* $variant),+
        }

        impl $name {
            /// Every value, in code order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The wire field that carries this enumeration.
            pub const FIELD: &'static str = $field;

            /// The wire code.
            pub fn code(self) -> u8 {
                match self { $($name::$variant => $code),+ }
            }

            /// The Chinese label.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label),+ }
            }

            /// Parses a wire code.
            pub fn from_code(code: i64) -> Result<$name, DomainError> {
                match code {
                    $($code => Ok($name::$variant),)+
                    other => Err(DomainError::BadEnum { field: $field, value: other.to_string() }),
                }
            }

            /// The allowed codes, for error messages, e.g. `"0、1、2、3"`.
            pub fn codes_list() -> String {
                [$(stringify!($code)),+].join("、")
            }
        }

        impl From<$name> for u8 {
            fn from(v: $name) -> u8 {
                v.code()
            }
        }

        impl TryFrom<u8> for $name {
            type Error = DomainError;
            fn try_from(code: u8) -> Result<$name, DomainError> {
                $name::from_code(i64::from(code))
            }
        }
    };
}

coded_enum! {
    /// 风险等级 of a risk unit, with its colour.
    RiskClass: "riskClass" {
        /// 重大风险 (red).
        Major = 1 => "重大风险",
        /// 较大风险 (orange).
        Large = 2 => "较大风险",
        /// 一般风险 (yellow).
        General = 3 => "一般风险",
        /// 低风险 (blue).
        Low = 4 => "低风险",
    }
}

impl RiskClass {
    /// The conventional colour: red, orange, yellow, blue.
    pub fn colour(self) -> &'static str {
        match self {
            RiskClass::Major => "red",
            RiskClass::Large => "orange",
            RiskClass::General => "yellow",
            RiskClass::Low => "blue",
        }
    }
}

coded_enum! {
    /// 重大危险源等级 of a hazard source.
    HazardLevel: "hazardLevel" {
        /// 一级.
        One = 1 => "一级",
        /// 二级.
        Two = 2 => "二级",
        /// 三级.
        Three = 3 => "三级",
        /// 四级.
        Four = 4 => "四级",
    }
}

coded_enum! {
    /// 管控方式 of a control measure.
    DataSrc: "dataSrc" {
        /// 自动化监控.
        Monitoring = 1 => "自动化监控",
        /// 隐患排查 (needs inspection tasks).
        Inspection = 2 => "隐患排查",
    }
}

coded_enum! {
    /// 管控措施分类1.
    Classify1: "classify1" {
        /// 工程技术.
        Engineering = 1 => "工程技术",
        /// 维护保养.
        Maintenance = 2 => "维护保养",
        /// 操作行为.
        Operation = 3 => "操作行为",
        /// 应急措施.
        Emergency = 4 => "应急措施",
    }
}

coded_enum! {
    /// 工作日类型 of a check task.
    WorkDayType: "workDayType" {
        /// 每天.
        EveryDay = 0 => "每天",
        /// 法定工作日.
        WorkingDays = 1 => "工作日",
        /// 非工作日 (weekends and holidays that are not make-up working days).
        NonWorkingDays = 2 => "非工作日",
    }
}

coded_enum! {
    /// 任务类型 of a check task: routine or one of the three 包保 roles.
    WorkType: "workType" {
        /// 日常任务.
        Routine = 0 => "日常",
        /// 主要负责人 (包保).
        Principal = 1 => "主要负责人",
        /// 技术负责人 (包保).
        Technical = 2 => "技术负责人",
        /// 操作负责人 (包保).
        Operational = 3 => "操作负责人",
    }
}

impl WorkType {
    /// Whether this is a 包保 task (roles 1–3).
    pub fn is_baobao(self) -> bool {
        self != WorkType::Routine
    }

    /// The highest `taskNum` of the role's item list (9, 9, 10), `None` for routine tasks.
    pub fn max_task_num(self) -> Option<u8> {
        match self {
            WorkType::Routine => None,
            WorkType::Principal | WorkType::Technical => Some(9),
            WorkType::Operational => Some(10),
        }
    }
}

coded_enum! {
    /// 排查结果 of a check record.
    CheckStatus: "checkStatus" {
        /// 正常.
        Normal = 0 => "正常",
        /// 存在隐患.
        HazardFound = 1 => "存在隐患",
        /// 未排查 (does not complete a task instance).
        NotChecked = 2 => "未排查",
        /// 其他.
        Other = 3 => "其他",
    }
}

coded_enum! {
    /// 隐患等级.
    DangerLevel: "dangerLevel" {
        /// 一般隐患.
        General = 0 => "一般隐患",
        /// 重大隐患.
        Major = 1 => "重大隐患",
    }
}

coded_enum! {
    /// 隐患来源.
    DangerSrc: "dangerSrc" {
        /// 日常排查.
        Daily = 1 => "日常排查",
        /// 综合性排查.
        Comprehensive = 2 => "综合性排查",
        /// 专业性排查.
        Professional = 3 => "专业性排查",
        /// 季节性排查.
        Seasonal = 4 => "季节性排查",
        /// 重点时段及节假日前排查.
        Holiday = 5 => "重点时段及节假日前排查",
        /// 事故类比排查.
        Analogy = 6 => "事故类比排查",
        /// 复产复工前排查.
        Restart = 7 => "复产复工前排查",
        /// 外聘专家诊断式排查.
        Expert = 8 => "外聘专家诊断式排查",
        /// 管控措施失效.
        MeasureFailure = 9 => "管控措施失效",
        /// 其他.
        Other = 10 => "其他",
    }
}

coded_enum! {
    /// 治理类型.
    DangerManageType: "dangerManageType" {
        /// 即查即改 (rectified on the spot).
        Immediate = 0 => "即查即改",
        /// 限期整改 (rectified by a deadline).
        Deadline = 1 => "限期整改",
    }
}

coded_enum! {
    /// 隐患类型.
    HazardDangerType: "hazardDangerType" {
        /// 安全.
        Safety = 1 => "安全",
        /// 工艺.
        Process = 2 => "工艺",
        /// 电气.
        Electrical = 3 => "电气",
        /// 仪表.
        Instrument = 4 => "仪表",
        /// 消防.
        Fire = 5 => "消防",
        /// 总图.
        Layout = 6 => "总图",
        /// 设备.
        Equipment = 7 => "设备",
        /// 其他.
        Other = 8 => "其他",
    }
}

coded_enum! {
    /// 隐患类别: who registered the danger.
    HazardCategory: "hazardCategory" {
        /// 其他.
        Other = 0 => "其他",
        /// 主要负责人.
        Principal = 1 => "主要负责人",
        /// 技术负责人.
        Technical = 2 => "技术负责人",
        /// 操作负责人.
        Operational = 3 => "操作负责人",
    }
}

coded_enum! {
    /// 隐患状态.
    DangerState: "dangerState" {
        /// 整改中.
        Rectifying = 0 => "整改中",
        /// 待验收.
        AwaitingAcceptance = 1 => "待验收",
        /// 已验收 (rectified).
        Accepted = 9 => "已验收",
    }
}

/// 排查周期单位 of a check task, sent as Chinese text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum CycleUnit {
    /// 小时 (needs work hours).
    Hour,
    /// 天.
    Day,
    /// 周.
    Week,
    /// 月 (calendar months; whole numbers only).
    Month,
    /// 年 (calendar years; whole numbers only).
    Year,
}

impl CycleUnit {
    /// Every unit.
    pub const ALL: [CycleUnit; 5] =
        [CycleUnit::Hour, CycleUnit::Day, CycleUnit::Week, CycleUnit::Month, CycleUnit::Year];

    /// The wire text, e.g. `"小时"`.
    pub fn label(self) -> &'static str {
        match self {
            CycleUnit::Hour => "小时",
            CycleUnit::Day => "天",
            CycleUnit::Week => "周",
            CycleUnit::Month => "月",
            CycleUnit::Year => "年",
        }
    }

    /// Parses the wire text.
    pub fn parse(s: &str) -> Result<CycleUnit, DomainError> {
        CycleUnit::ALL
            .into_iter()
            .find(|u| u.label() == s)
            .ok_or_else(|| DomainError::BadEnum { field: "checkCycleUnit", value: s.to_owned() })
    }

    /// Whether cycles in this unit step by calendar months or years (and must be whole numbers).
    pub fn is_calendar(self) -> bool {
        matches!(self, CycleUnit::Month | CycleUnit::Year)
    }
}

/// 管控措施分类2: one of 17 codes `1-1`…`4-5`, whose prefix is its [`Classify1`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
#[serde(into = "String", try_from = "String")]
pub struct Classify2 {
    major: Classify1,
    minor: u8,
}

/// The 17 classify2 codes with their labels.
const CLASSIFY2: [(&str, &str); 17] = [
    ("1-1", "工艺控制"),
    ("1-2", "关键设备/部件"),
    ("1-3", "安全附件"),
    ("1-4", "安全仪表"),
    ("1-5", "其他"),
    ("2-1", "动设备"),
    ("2-2", "静设备"),
    ("2-3", "其他"),
    ("3-1", "人员资质"),
    ("3-2", "操作记录"),
    ("3-3", "交接班"),
    ("3-4", "其他"),
    ("4-1", "应急设施"),
    ("4-2", "个体防护"),
    ("4-3", "消防设施"),
    ("4-4", "应急预案"),
    ("4-5", "其他"),
];

impl Classify2 {
    /// Parses one of the 17 codes, e.g. `"1-3"`.
    pub fn parse(s: &str) -> Result<Classify2, DomainError> {
        let bad = || DomainError::BadEnum { field: "classify2", value: s.to_owned() };
        if !CLASSIFY2.iter().any(|(code, _)| *code == s) {
            return Err(bad());
        }
        let (a, b) = s.split_once('-').ok_or_else(bad)?;
        let major = Classify1::from_code(a.parse::<i64>().map_err(|_| bad())?)?;
        let minor = b.parse::<u8>().map_err(|_| bad())?;
        Ok(Classify2 { major, minor })
    }

    /// The [`Classify1`] this code belongs to (its prefix).
    pub fn major(self) -> Classify1 {
        self.major
    }

    /// The wire code, e.g. `"1-3"`.
    pub fn code(self) -> String {
        format!("{}-{}", self.major.code(), self.minor)
    }

    /// The Chinese label, e.g. `"安全附件"`.
    pub fn label(self) -> &'static str {
        let code = self.code();
        CLASSIFY2.iter().find(|(c, _)| *c == code).map_or("", |(_, l)| l)
    }

    /// Every code with its label.
    pub fn all() -> &'static [(&'static str, &'static str)] {
        &CLASSIFY2
    }
}

impl From<Classify2> for String {
    fn from(c: Classify2) -> String {
        c.code()
    }
}

impl TryFrom<String> for Classify2 {
    type Error = DomainError;
    fn try_from(s: String) -> Result<Classify2, DomainError> {
        Classify2::parse(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn coded_enums_round_trip_and_reject_others() {
        for s in DangerState::ALL {
            assert_eq!(DangerState::from_code(s.code() as i64), Ok(*s));
        }
        assert_eq!(DangerState::from_code(2).unwrap_err().code(), "bad_enum");
        assert_eq!(DangerSrc::ALL.len(), 10);
        assert_eq!(HazardDangerType::ALL.len(), 8);
        assert_eq!(CheckStatus::codes_list(), "0、1、2、3");
        assert_eq!(RiskClass::Major.colour(), "red");
    }

    #[test]
    fn classify2_has_17_codes_with_their_prefix() {
        assert_eq!(Classify2::all().len(), 17);
        for (code, _) in Classify2::all() {
            let c = Classify2::parse(code).unwrap();
            assert_eq!(&c.code(), code);
            assert_eq!(c.major().code().to_string(), &code[..1]);
        }
        assert_eq!(Classify2::parse("2-3").unwrap().label(), "其他");
        for bad in ["1-6", "2-4", "5-1", "11", "", "1-1 "] {
            assert!(Classify2::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn cycle_units_and_baobao_roles() {
        assert_eq!(CycleUnit::parse("周"), Ok(CycleUnit::Week));
        assert!(CycleUnit::parse("分钟").is_err());
        assert!(CycleUnit::Month.is_calendar() && !CycleUnit::Day.is_calendar());
        assert_eq!(WorkType::Operational.max_task_num(), Some(10));
        assert!(!WorkType::Routine.is_baobao());
    }
}

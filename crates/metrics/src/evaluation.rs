//! The weekly evaluation (运行效果评估, `metrics.md` §6): E = max(0, (A + B) × α), its grade, and 优良率.

use crate::enterprise::EnterpriseFigures;
use crate::figure::Figure;
use serde::{Deserialize, Serialize};

/// A grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Grade {
    /// 优: E ≥ 90.
    #[serde(rename = "优")]
    Excellent,
    /// 良: E ≥ 75.
    #[serde(rename = "良")]
    Good,
    /// 中: E ≥ 60.
    #[serde(rename = "中")]
    Fair,
    /// 差: below 60, or under a veto.
    #[serde(rename = "差")]
    Poor,
}

impl Grade {
    /// The grade of a score (already rounded to one decimal).
    pub fn of(score: f64) -> Grade {
        if score >= 90.0 {
            Grade::Excellent
        } else if score >= 75.0 {
            Grade::Good
        } else if score >= 60.0 {
            Grade::Fair
        } else {
            Grade::Poor
        }
    }

    /// The Chinese label: 优, 良, 中, 差.
    pub fn label(self) -> &'static str {
        match self {
            Grade::Excellent => "优",
            Grade::Good => "良",
            Grade::Fair => "中",
            Grade::Poor => "差",
        }
    }

    /// Whether the grade counts towards 优良率.
    pub fn is_excellent_or_good(self) -> bool {
        matches!(self, Grade::Excellent | Grade::Good)
    }
}

/// A veto item (否决项): any one sets α = 0.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Veto {
    /// No unit active at the end of the week.
    NoData,
    /// Units are active at the end of the week but no check task was active at any moment of it: nothing could
    /// ever be due, so an empty denominator must not count as full marks.
    NoTasks,
    /// Instances were due but no check record has its `checkTime` in the week.
    NotInUse,
    /// A 重大 danger is overdue at the end of the week.
    MajorOverdue,
}

impl Veto {
    /// The stable key: `no_data`, `no_tasks`, `not_in_use`, `major_overdue`.
    pub fn key(self) -> &'static str {
        match self {
            Veto::NoData => "no_data",
            Veto::NoTasks => "no_tasks",
            Veto::NotInUse => "not_in_use",
            Veto::MajorOverdue => "major_overdue",
        }
    }

    /// The Chinese label.
    pub fn label(self) -> &'static str {
        match self {
            Veto::NoData => "无数据",
            Veto::NoTasks => "无排查任务",
            Veto::NotInUse => "系统未使用",
            Veto::MajorOverdue => "重大隐患超期",
        }
    }
}

/// An exact fraction, so that rounding to one decimal never suffers from binary floating point.
#[derive(Debug, Clone, Copy)]
struct Frac {
    n: i128,
    d: i128,
}

impl Frac {
    fn int(n: i128) -> Frac {
        Frac { n, d: 1 }
    }
    fn rate_or_one(f: Figure) -> Frac {
        if f.den == 0 { Frac::int(1) } else { Frac { n: i128::from(f.num), d: i128::from(f.den) } }
    }
    fn add(self, o: Frac) -> Frac {
        Frac { n: self.n * o.d + o.n * self.d, d: self.d * o.d }
    }
    fn sub(self, o: Frac) -> Frac {
        self.add(Frac { n: -o.n, d: o.d })
    }
    fn mul(self, k: i128) -> Frac {
        Frac { n: self.n * k, d: self.d }
    }
    fn to_f64(self) -> f64 {
        self.n as f64 / self.d as f64
    }
    /// Rounded half up to one decimal (the value is never negative here).
    fn round1(self) -> f64 {
        let (n, d) = (self.n * 10, self.d);
        let r = (2 * n + d).div_euclid(2 * d);
        r as f64 / 10.0
    }
}

/// The weekly evaluation of one enterprise, with every component.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Evaluation {
    /// E, rounded to one decimal.
    pub score: f64,
    /// The grade.
    pub grade: Grade,
    /// A = 50 × task completion rate − 包保 deduction.
    pub a: f64,
    /// B = 50 × rectification rate − few-dangers deduction.
    pub b: f64,
    /// 10 × (1 − 包保 completion rate) when 包保 instances were due, else 0.
    pub baobao_deduction: f64,
    /// 5 when instances were due but no danger was registered in the 4 weeks before the end of the week, else 0.
    pub few_dangers_deduction: f64,
    /// 0 under a veto, else 1.
    pub alpha: u8,
    /// The veto items that apply.
    pub vetoes: Vec<Veto>,
}

/// Evaluates a week from the enterprise's figures for that week (a rate with no instance or danger due counts as 1).
pub fn evaluate(f: &EnterpriseFigures) -> Evaluation {
    let due = f.task_completion.den > 0;
    let baobao = if f.baobao_completion.den > 0 {
        Frac::int(1).sub(Frac::rate_or_one(f.baobao_completion)).mul(10)
    } else {
        Frac::int(0)
    };
    let a = Frac::rate_or_one(f.task_completion).mul(50).sub(baobao);
    let few = if due && f.dangers_last_4_weeks == 0 { 5 } else { 0 };
    let b = Frac::rate_or_one(f.rectification.all).mul(50).sub(Frac::int(few));
    let mut vetoes = Vec::new();
    if f.active_units == 0 {
        vetoes.push(Veto::NoData);
    } else if !f.tasks_in_period {
        vetoes.push(Veto::NoTasks);
    }
    if due && f.checks_in_period == 0 {
        vetoes.push(Veto::NotInUse);
    }
    if f.dangers.overdue_major > 0 {
        vetoes.push(Veto::MajorOverdue);
    }
    let alpha: u8 = if vetoes.is_empty() { 1 } else { 0 };
    let total = a.add(b);
    let score = if alpha == 0 || total.n <= 0 { 0.0 } else { total.round1() };
    Evaluation {
        score,
        grade: if alpha == 0 { Grade::Poor } else { Grade::of(score) },
        a: a.to_f64(),
        b: b.to_f64(),
        baobao_deduction: baobao.to_f64(),
        few_dangers_deduction: few as f64,
        alpha,
        vetoes,
    }
}

/// 优良率 of a group: enterprises graded 优 or 良 / enterprises evaluated.
pub fn excellent_good_rate<'a>(grades: impl IntoIterator<Item = &'a Grade>) -> Figure {
    grades.into_iter().fold(Figure::default(), |f, g| f + Figure::new(u64::from(g.is_excellent_or_good()), 1))
}

//! Words and value formats shared by the XLSX and HTML renderings, so that both show the same report.

use super::content::{FigureLine, MonthlyReport, ReportScope};
use chrono::{NaiveDate, NaiveDateTime};
use domain::City;
use metrics::figure::Figure;

/// Shown where a rate has no denominator: there is nothing to rate, which is neither 0 % nor 100 %.
pub(crate) const NO_RATE: &str = "—";

/// Reads one rate of a figure line.
pub(crate) type RateOf = fn(&FigureLine) -> Figure;

/// Reads one count of a figure line.
pub(crate) type CountOf = fn(&FigureLine) -> u64;

/// The seven rates of a figure line with their Chinese names, in report order.
pub(crate) const RATES: [(&str, RateOf); 7] = [
    ("安全风险分析完成率", |l| l.risk_analysis),
    ("排查任务完成率", |l| l.task_completion),
    ("包保任务完成率", |l| l.baobao_completion),
    ("隐患整改率", |l| l.rectification),
    ("按期整改率", |l| l.rectification_on_time),
    ("重大隐患整改率", |l| l.major_rectification),
    ("累计整改率", |l| l.cumulative_rectification),
];

/// The three counts of a figure line with their Chinese names, in report order.
pub(crate) const COUNTS: [(&str, CountOf); 3] = [
    ("超期隐患", |l| l.overdue_dangers),
    ("超期重大隐患", |l| l.overdue_major_dangers),
    ("未整改重大隐患", |l| l.open_major_dangers),
];

/// Whose report it is, e.g. 全省 or 太原市（140100）.
pub(crate) fn scope(r: &MonthlyReport) -> String {
    match &r.scope {
        ReportScope::Province => "全省".to_owned(),
        ReportScope::City(code) => match code.parse::<City>() {
            Ok(city) => format!("{}（{code}）", city.name()),
            Err(_) => format!("城市（{code}）"),
        },
    }
}

/// What one line of the 指标 table stands for: 各市 in a province report, 各企业 in a city report.
pub(crate) fn line_kind(r: &MonthlyReport) -> &'static str {
    match r.scope {
        ReportScope::Province => "城市",
        ReportScope::City(_) => "企业",
    }
}

/// A local date, e.g. `2026-10-20`.
pub(crate) fn date(d: NaiveDate) -> String {
    d.format("%Y-%m-%d").to_string()
}

/// The report period with its last day, as a bureau writes it: the period [20th, next 20th) is shown
/// `2026-10-20 至 2026-11-19`.
pub(crate) fn period(r: &MonthlyReport) -> String {
    let last = r.to.pred_opt().unwrap_or(r.to);
    format!("{} 至 {}", date(r.from), date(last))
}

/// A UTC instant in Asia/Shanghai time to the minute, e.g. `2026-11-20 08:00`.
pub(crate) fn local_minute(utc: NaiveDateTime) -> String {
    domain::time::utc_to_local(utc).format("%Y-%m-%d %H:%M").to_string()
}

/// The report's cut-off in Asia/Shanghai time, e.g. `2026-11-20 08:00:00（北京时间）`.
pub(crate) fn as_of(r: &MonthlyReport) -> String {
    format!("{}（北京时间）", domain::time::utc_to_local(r.as_of).format("%Y-%m-%d %H:%M:%S"))
}

/// The revision, e.g. 第1版.
pub(crate) fn revision(r: &MonthlyReport) -> String {
    format!("第{}版", r.revision)
}

/// The revision note, or 无 for none.
pub(crate) fn note(r: &MonthlyReport) -> String {
    if r.note.trim().is_empty() { "无".to_owned() } else { r.note.clone() }
}

/// A change of rate in percentage points, e.g. `+20.0`, or — when either month has no rate.
pub(crate) fn points(now: Figure, before: Figure) -> String {
    match (now.rate(), before.rate()) {
        (Some(a), Some(b)) => {
            let d = (a - b) * 100.0;
            if d.abs() < 0.05 { "0.0".to_owned() } else { format!("{d:+.1}") }
        }
        _ => NO_RATE.to_owned(),
    }
}

/// A rank change against last month: 上升2, 下降1, 持平, or — when there was no rank last month.
pub(crate) fn change(c: Option<i64>) -> String {
    match c {
        None => NO_RATE.to_owned(),
        Some(0) => "持平".to_owned(),
        Some(n) if n > 0 => format!("上升{n}"),
        Some(n) => format!("下降{}", n.unsigned_abs()),
    }
}

/// A mean score with one decimal, or — when there is none.
pub(crate) fn score(s: Option<f64>) -> String {
    s.map_or_else(|| NO_RATE.to_owned(), |s| format!("{s:.1}"))
}

/// The vetoes of a follow-up line, or 无.
pub(crate) fn vetoes(v: &[String]) -> String {
    if v.is_empty() { "无".to_owned() } else { v.join("、") }
}

/// Whether a city can pass acceptance.
pub(crate) fn passes(p: bool) -> &'static str {
    if p { "可通过" } else { "暂不具备" }
}

/// The Chinese numeral of a section number, 1 to 99: 一, 二, …, 十, 十一, …, 二十.
pub(crate) fn chinese_number(n: usize) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let (tens, ones) = (n / 10 % 10, n % 10);
    let tens = match tens {
        0 => String::new(),
        1 => "十".to_owned(),
        t => format!("{}十", DIGITS[t]),
    };
    format!("{tens}{}", DIGITS[ones])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(chinese_number(1), "一");
        assert_eq!(chinese_number(10), "十");
        assert_eq!(chinese_number(11), "十一");
        assert_eq!(chinese_number(23), "二十三");
        assert_eq!(change(Some(2)), "上升2");
        assert_eq!(change(Some(-3)), "下降3");
        assert_eq!(change(Some(0)), "持平");
        assert_eq!(change(None), "—");
        let at = NaiveDate::from_ymd_opt(2026, 11, 20).and_then(|d| d.and_hms_opt(0, 30, 0)).unwrap();
        assert_eq!(local_minute(at), "2026-11-20 08:30");
    }
}

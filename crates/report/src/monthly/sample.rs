//! A small hand-built monthly report for the rendering tests: two cities, three enterprises, names with characters
//! that need escaping (`<&>"'`), and rates without a denominator.

use super::content::*;
use chrono::{NaiveDate, NaiveDateTime};
use metrics::figure::Figure;

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

fn at(y: i32, m: u32, d: u32, h: u32) -> NaiveDateTime {
    day(y, m, d).and_hms_opt(h, 0, 0).unwrap()
}

fn line(key: &str, name: &str, risk: Figure, overdue: u64) -> FigureLine {
    FigureLine {
        key: key.to_owned(),
        name: name.to_owned(),
        risk_analysis: risk,
        task_completion: Figure::new(90, 100),
        baobao_completion: Figure::new(7, 8),
        rectification: Figure::new(12, 15),
        rectification_on_time: Figure::new(10, 15),
        major_rectification: Figure::new(0, 0),
        cumulative_rectification: Figure::new(130, 150),
        overdue_dangers: overdue,
        overdue_major_dangers: overdue / 2,
        open_major_dangers: 1,
    }
}

fn rank(rank: u32, company: &str, name: &str, city: &str, score: f64, grade: &str) -> EnterpriseRankLine {
    let (company, name, city, grade) = (company.to_owned(), name.to_owned(), city.to_owned(), grade.to_owned());
    EnterpriseRankLine { rank, company, name, city, score, grade, change: Some(1 - i64::from(rank)) }
}

/// The sample: a province report for 2026-11 with 太原市 and a city named `晋<中>&"市'` to test escaping.
pub fn sample() -> MonthlyReport {
    let odd = "晋<中>&\"市'";
    let mut total = line("total", "全省", Figure::new(4, 5), 6);
    total.major_rectification = Figure::new(1, 2);
    MonthlyReport {
        month: "2026-11".to_owned(),
        from: day(2026, 10, 20),
        to: day(2026, 11, 20),
        scope: ReportScope::Province,
        title: "山西省危险化学品企业双重预防机制数字化建设运行情况月报（2026年11月）".to_owned(),
        as_of: at(2026, 11, 20, 1),
        revision: 2,
        note: "更正<太原市>数据 & 排名".to_owned(),
        progress: vec![BatchProgress {
            batch: "1".to_owned(),
            label: "第一批次".to_owned(),
            deadline: Some(day(2022, 6, 30)),
            registered: 10,
            connected: 8,
            sending: 9,
            evaluated: 7,
        }],
        previous_total: line("total", "全省", Figure::new(3, 5), 9),
        total,
        lines: vec![line("140100", "太原市", Figure::new(4, 5), 2), line("140700", odd, Figure::new(0, 0), 4)],
        city_ranking: vec![
            CityRankLine {
                rank: 1,
                city: "140100".to_owned(),
                name: "太原市".to_owned(),
                excellent_good: Figure::new(4, 5),
                mean_score: Some(88.25),
                change: Some(1),
            },
            CityRankLine {
                rank: 2,
                city: "140700".to_owned(),
                name: odd.to_owned(),
                excellent_good: Figure::new(0, 0),
                mean_score: None,
                change: None,
            },
        ],
        enterprise_ranking: vec![
            rank(1, "91140100A", "太原<甲>化工有限公司", "太原市", 95.5, "优"),
            rank(2, "91140100B", "太原乙&丙化工", "太原市", 81.0, "良"),
            rank(3, "91140700C", "晋中\"丁\"化工", odd, 55.0, "差"),
        ],
        grades: vec![GradeLine {
            key: "total".to_owned(),
            name: "合计".to_owned(),
            excellent: 1,
            good: 1,
            fair: 0,
            poor: 1,
            excellent_good: Figure::new(2, 3),
        }],
        overdue_major: vec![OverdueLine {
            company: "91140700C".to_owned(),
            name: "晋中\"丁\"化工".to_owned(),
            city: odd.to_owned(),
            danger: "YH-2026-001".to_owned(),
            deadline: at(2026, 11, 1, 16),
            danger_name: "液氨储罐液位计失灵".to_owned(),
            description: "液位计读数与实际不符".to_owned(),
            liable_person: "赵六".to_owned(),
        }],
        connections: vec![ConnectionLine {
            company: "91140700C".to_owned(),
            name: "晋中\"丁\"化工".to_owned(),
            city: odd.to_owned(),
            last_data_at: None,
            connection: "未接入".to_owned(),
            remark: "未接入风险预警系统".to_owned(),
        }],
        follow_up: vec![FollowUpLine {
            company: "91140700C".to_owned(),
            name: "晋中\"丁\"化工".to_owned(),
            city: odd.to_owned(),
            score: 55.0,
            grade: "差".to_owned(),
            vetoes: vec!["无数据".to_owned(), "重大隐患超期".to_owned()],
        }],
        acceptance: vec![AcceptanceLine {
            city: "140100".to_owned(),
            name: "太原市".to_owned(),
            registered: 2,
            accepted: 2,
            excellent_good: Figure::new(2, 2),
            rectifying: 0,
            passes: true,
        }],
        spot_checks: vec![SpotCheckLine {
            draw: 7,
            city: "太原市".to_owned(),
            drawn_at: at(2026, 11, 3, 2),
            company: "91140100B".to_owned(),
            name: "太原乙&丙化工".to_owned(),
            result: "待检查".to_owned(),
            findings: String::new(),
        }],
        data_quality: vec![
            QualityLine {
                key: "total".to_owned(),
                name: "全省合计".to_owned(),
                late_checks: Figure::new(3, 40),
                late_dangers: Figure::new(0, 0),
                held: 2,
                rejected: 4,
                rejected_by_code: "bad_enum 3；missing_field 1".to_owned(),
            },
            QualityLine {
                key: "140100".to_owned(),
                name: "太原市<&>".to_owned(),
                late_checks: Figure::new(3, 40),
                late_dangers: Figure::new(1, 2),
                held: 2,
                rejected: 4,
                rejected_by_code: "bad_enum 3；missing_field 1".to_owned(),
            },
        ],
        handling: handling(),
    }
}

/// 预警处置 of the worked example of `metrics.md` §11.3 for the report month 2026-12R at 2026-12-06 12:00.
fn handling() -> Vec<super::handling::HandlingLine> {
    let line = |key: &str, name: &str, opened, sign: [u64; 3], close: Figure, escalated, supervised| {
        super::handling::HandlingLine {
            key: key.to_owned(),
            name: name.to_owned(),
            opened,
            sign_rate: Figure::new(sign[0], sign[2]),
            on_time_sign_rate: Figure::new(sign[1], sign[2]),
            on_time_close_rate: close,
            escalated,
            open_escalations: escalated,
            supervised,
            supervised_by_state: vec![0, supervised, 0, 0, 0],
            supervised_overdue: 0,
        }
    };
    vec![
        line("total", "全省合计", 3, [2, 2, 3], Figure::new(0, 1), 1, 1),
        line("140100", "太原市", 2, [1, 1, 2], Figure::new(0, 0), 1, 1),
        line("140200", "大同市", 1, [1, 1, 1], Figure::new(0, 1), 0, 0),
    ]
}

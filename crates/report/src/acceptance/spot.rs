//! The spot-check lines of a period: one per enterprise drawn, with its current finding.

use crate::monthly::SpotCheckLine;
use chrono::NaiveDateTime;
use domain::Enterprise;
use storage::spot_checks::{SpotDraw, SpotFinding};

/// The current finding of one drawn enterprise among `findings` (every version): its latest by `checked_on`, then
/// id; `None` when none is recorded.
pub fn current_finding<'a>(findings: &'a [SpotFinding], draw: i64, company: &str) -> Option<&'a SpotFinding> {
    findings
        .iter()
        .filter(|f| f.finding.draw_id == draw && f.finding.company_code == company)
        .max_by_key(|f| (f.finding.checked_on, f.id))
}

/// One line per enterprise drawn in the draws made in [`from`, `to`) (UTC), oldest draw first and in draw order
/// within a draw: 合格 or 不合格 with the findings of its current finding, or 待检查 and empty findings when none
/// is recorded. Names come from `registry` (empty for a code no longer registered).
pub fn spot_lines(
    draws: &[SpotDraw],
    findings: &[SpotFinding],
    registry: &[Enterprise],
    from: NaiveDateTime,
    to: NaiveDateTime,
) -> Vec<SpotCheckLine> {
    let mut chosen: Vec<&SpotDraw> = draws.iter().filter(|d| d.draw.drawn_at >= from && d.draw.drawn_at < to).collect();
    chosen.sort_by_key(|d| (d.draw.drawn_at, d.id));
    let mut lines = Vec::new();
    for d in chosen {
        for company in &d.draw.companies {
            let name = registry.iter().find(|e| e.code.as_str() == company).map(|e| e.name.clone());
            let (result, text) = match current_finding(findings, d.id, company) {
                Some(f) if f.finding.passed => ("合格", f.finding.findings.clone()),
                Some(f) => ("不合格", f.finding.findings.clone()),
                None => ("待检查", String::new()),
            };
            lines.push(SpotCheckLine {
                draw: d.id,
                city: d.draw.city.name().to_owned(),
                drawn_at: d.draw.drawn_at,
                company: company.clone(),
                name: name.unwrap_or_default(),
                result: result.to_owned(),
                findings: text,
            });
        }
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::acceptance::tests::{day, ent};
    use domain::City;
    use storage::spot_checks::{NewSpotDraw, NewSpotFinding};

    fn draw(id: i64, d: u32, companies: &[&str]) -> SpotDraw {
        SpotDraw {
            id,
            draw: NewSpotDraw {
                city: City::Yangquan,
                seed: 7,
                size: companies.len() as u32,
                companies: companies.iter().map(|c| (*c).to_owned()).collect(),
                drawn_by: "province".into(),
                drawn_at: day(d).and_hms_opt(2, 0, 0).unwrap_or_default(),
            },
        }
    }

    fn finding(id: i64, draw_id: i64, company: &str, on: u32, passed: bool, text: &str) -> SpotFinding {
        SpotFinding {
            id,
            finding: NewSpotFinding {
                draw_id,
                company_code: company.to_owned(),
                checked_on: day(on),
                passed,
                findings: text.to_owned(),
                recorded_by: "province".into(),
                recorded_at: day(on).and_hms_opt(3, 0, 0).unwrap_or_default(),
            },
        }
    }

    #[test]
    fn lines_of_the_window_in_draw_order_with_current_findings() {
        let registry = vec![ent("140300001", City::Yangquan), ent("140300002", City::Yangquan)];
        // Draw 1 on the 19th is outside [20th, 30th); draw 2 on the 21st is inside, draw 3 on the 30th is not.
        let draws = vec![draw(3, 30, &["140300001"]), draw(2, 21, &["140300002", "140300001"]), draw(1, 19, &[])];
        let findings = vec![
            finding(1, 2, "140300002", 22, false, "台账缺失"),
            finding(2, 2, "140300002", 25, true, "已整改"),
            finding(3, 1, "140300001", 22, true, "其他抽查"),
        ];
        let lines = spot_lines(&draws, &findings, &registry, day(20).into(), day(30).into());
        let got: Vec<(i64, &str, &str, &str)> =
            lines.iter().map(|l| (l.draw, l.company.as_str(), l.result.as_str(), l.findings.as_str())).collect();
        assert_eq!(got, [(2, "140300002", "合格", "已整改"), (2, "140300001", "待检查", "")]);
        assert_eq!(lines[0].city, "阳泉市");
        assert_eq!(lines[0].name, "企业140300002");
    }

    #[test]
    fn the_latest_finding_by_date_then_id_counts() {
        let findings = vec![finding(5, 1, "a", 22, true, "x"), finding(4, 1, "a", 23, false, "y")];
        assert_eq!(current_finding(&findings, 1, "a").map(|f| f.id), Some(4));
        assert!(current_finding(&findings, 2, "a").is_none());
    }
}

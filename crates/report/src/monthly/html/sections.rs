//! The sections of the HTML report, in the order of the XLSX sheets, each as a heading and escaped tables.

use super::escape;
use crate::monthly::content::{FigureLine, MonthlyReport};
use crate::monthly::labels::{self, COUNTS, NO_RATE, RATES};
use metrics::figure::Figure;

/// One section: its title (numbered by the caller), its HTML body, and whether print starts it on a new page.
pub(super) struct Section {
    pub(super) title: &'static str,
    pub(super) body: String,
    pub(super) new_page: bool,
}

/// A table cell.
enum Td {
    /// Text, escaped when written.
    Text(String),
    /// A number, right-aligned.
    Num(String),
    /// A rate with its numerator and denominator.
    Rate(Figure),
}

fn text(s: impl Into<String>) -> Td {
    Td::Text(s.into())
}

fn num(n: impl ToString) -> Td {
    Td::Num(n.to_string())
}

impl Td {
    fn html(&self) -> String {
        match self {
            Td::Text(s) => format!("<td>{}</td>", escape(s)),
            Td::Num(s) => format!("<td class=\"num\">{}</td>", escape(s)),
            Td::Rate(f) => {
                let rate = if f.den == 0 { NO_RATE.to_owned() } else { f.percent() };
                format!("<td class=\"rate\">{rate}<span class=\"base\">（{}/{}）</span></td>", f.num, f.den)
            }
        }
    }
}

/// A table with a repeated header; bold rows are totals. An empty table reads 本期无.
fn table(class: &str, headers: &[&str], rows: Vec<(Vec<Td>, bool)>) -> String {
    if rows.is_empty() {
        return "<p class=\"none\">本期无。</p>\n".to_owned();
    }
    let class = if class.is_empty() { String::new() } else { format!(" class=\"{class}\"") };
    let mut out = format!("<table{class}>\n<thead>\n<tr>");
    for h in headers {
        out.push_str(&format!("<th scope=\"col\">{}</th>", escape(h)));
    }
    out.push_str("</tr>\n</thead>\n<tbody>\n");
    for (cells, total) in rows {
        out.push_str(if total { "<tr class=\"total\">" } else { "<tr>" });
        out.extend(cells.iter().map(Td::html));
        out.push_str("</tr>\n");
    }
    out.push_str("</tbody>\n</table>\n");
    out
}

fn or_dash(s: &str) -> &str {
    if s.is_empty() { NO_RATE } else { s }
}

fn plain(cells: Vec<Td>) -> (Vec<Td>, bool) {
    (cells, false)
}

/// Every section, in report order.
pub(super) fn all(r: &MonthlyReport) -> Vec<Section> {
    vec![
        Section { title: "建设进度", body: progress(r), new_page: false },
        Section { title: "主要指标", body: figures(r), new_page: true },
        Section { title: "城市排名", body: city_ranking(r), new_page: true },
        Section { title: "企业排名", body: enterprise_ranking(r), new_page: false },
        Section { title: "等级分布", body: grades(r), new_page: false },
        Section { title: "超期重大隐患", body: overdue_major(r), new_page: true },
        Section { title: "接入异常企业", body: connections(r), new_page: false },
        Section { title: "数据质量", body: data_quality(r), new_page: false },
        Section { title: "重点跟进帮扶企业", body: follow_up(r), new_page: false },
        Section { title: "验收情况", body: acceptance(r), new_page: true },
        Section { title: "抽查情况", body: spot_checks(r), new_page: false },
        Section { title: "预警处置", body: handling(r), new_page: true },
    ]
}

fn progress(r: &MonthlyReport) -> String {
    let headers =
        ["批次", "建设期限", "注册企业数", "已接入企业数", "接入率", "本月报送数据企业数", "本月参与评价企业数"];
    let rows = r.progress.iter().map(|p| {
        plain(vec![
            text(&p.label),
            text(p.deadline.map_or_else(|| NO_RATE.to_owned(), labels::date)),
            num(p.registered),
            num(p.connected),
            Td::Rate(Figure::new(p.connected, p.registered)),
            num(p.sending),
            num(p.evaluated),
        ])
    });
    table("", &headers, rows.collect())
}

fn figure_row(name: String, l: &FigureLine, total: bool) -> (Vec<Td>, bool) {
    let mut cells = vec![text(name)];
    cells.extend(RATES.iter().map(|(_, rate)| Td::Rate(rate(l))));
    cells.extend(COUNTS.iter().map(|(_, count)| num(count(l))));
    (cells, total)
}

/// (一) this month against last month, (二) per city or enterprise.
fn figures(r: &MonthlyReport) -> String {
    let (now, before) = (&r.total, &r.previous_total);
    let mut rows: Vec<_> = RATES
        .iter()
        .map(|(name, rate)| {
            let (a, b) = (rate(now), rate(before));
            plain(vec![text(*name), Td::Rate(a), Td::Rate(b), num(labels::points(a, b))])
        })
        .collect();
    rows.extend(COUNTS.iter().map(|(name, count)| {
        let (a, b) = (count(now), count(before));
        let diff = i128::from(a) - i128::from(b);
        plain(vec![text(*name), num(a), num(b), num(if diff > 0 { format!("+{diff}") } else { diff.to_string() })])
    }));
    let mut out = format!("<h3>（一）本月与上月对比（{}）</h3>\n", escape(&now.name));
    out.push_str(&table("compare", &["指标", "本月", "上月", "变化（百分点／个）"], rows));
    let kind = labels::line_kind(r);
    out.push_str(&format!("<h3>（二）分{kind}情况</h3>\n"));
    let mut headers = vec![kind];
    headers.extend(RATES.iter().map(|(name, _)| *name));
    headers.extend(COUNTS.iter().map(|(name, _)| *name));
    let mut lines = vec![figure_row(format!("合计（{}）", now.name), now, true)];
    lines.extend(r.lines.iter().map(|l| figure_row(l.name.clone(), l, false)));
    out.push_str(&table("wide", &headers, lines));
    out
}

fn city_ranking(r: &MonthlyReport) -> String {
    let rows = r.city_ranking.iter().map(|c| {
        let cells = vec![num(c.rank), text(&c.name), Td::Rate(c.excellent_good), num(labels::score(c.mean_score))];
        plain(cells.into_iter().chain([text(labels::change(c.change))]).collect())
    });
    table("", &["排名", "城市", "优良率", "平均得分", "较上月名次"], rows.collect())
}

fn enterprise_ranking(r: &MonthlyReport) -> String {
    let headers = ["排名", "企业名称", "企业编码", "所属城市", "月均得分", "等级", "较上月名次"];
    let rows = r.enterprise_ranking.iter().map(|e| {
        let cells = [num(e.rank), text(&e.name), text(&e.company), text(&e.city), num(format!("{:.1}", e.score))];
        plain(cells.into_iter().chain([text(&e.grade), text(labels::change(e.change))]).collect())
    });
    table("", &headers, rows.collect())
}

fn grades(r: &MonthlyReport) -> String {
    let rows = r.grades.iter().map(|g| {
        let cells = vec![text(&g.name), num(g.excellent), num(g.good), num(g.fair), num(g.poor)];
        (cells.into_iter().chain([Td::Rate(g.excellent_good)]).collect(), g.key == "total")
    });
    table("", &["名称", "优", "良", "中", "差", "优良率"], rows.collect())
}

fn overdue_major(r: &MonthlyReport) -> String {
    let headers =
        ["序号", "企业名称", "所属城市", "隐患名称", "隐患描述", "整改责任人", "整改期限（北京时间）", "隐患编号"];
    let rows = r.overdue_major.iter().enumerate().map(|(i, o)| {
        let deadline = text(labels::local_minute(o.deadline));
        let read = [text(or_dash(&o.danger_name)), text(or_dash(&o.description)), text(or_dash(&o.liable_person))];
        let cells = [num(i + 1), text(&o.name), text(&o.city)].into_iter().chain(read);
        plain(cells.chain([deadline, text(&o.danger)]).collect())
    });
    table("", &headers, rows.collect())
}

fn connections(r: &MonthlyReport) -> String {
    let headers = ["序号", "企业名称", "企业编码", "所属城市", "接入状态", "最近接收数据时间（北京时间）", "备注"];
    let rows = r.connections.iter().enumerate().map(|(i, c)| {
        let last = text(c.last_data_at.map_or_else(|| "从未接收".to_owned(), labels::local_minute));
        let cells = [num(i + 1), text(&c.name), text(&c.company), text(&c.city), text(&c.connection), last];
        plain(cells.into_iter().chain([text(&c.remark)]).collect())
    });
    table("", &headers, rows.collect())
}

fn follow_up(r: &MonthlyReport) -> String {
    let headers = ["序号", "企业名称", "企业编码", "所属城市", "月均得分", "等级", "否决项"];
    let rows = r.follow_up.iter().enumerate().map(|(i, f)| {
        let cells = [num(i + 1), text(&f.name), text(&f.company), text(&f.city), num(format!("{:.1}", f.score))];
        plain(cells.into_iter().chain([text(&f.grade), text(labels::vetoes(&f.vetoes))]).collect())
    });
    table("", &headers, rows.collect())
}

fn acceptance(r: &MonthlyReport) -> String {
    let headers = ["城市", "注册企业数", "已验收企业数", "验收优良率", "整改中企业数", "能否通过验收"];
    let rows = r.acceptance.iter().map(|a| {
        let cells = [text(&a.name), num(a.registered), num(a.accepted), Td::Rate(a.excellent_good)];
        plain(cells.into_iter().chain([num(a.rectifying), text(labels::passes(a.passes))]).collect())
    });
    table("", &headers, rows.collect())
}

fn spot_checks(r: &MonthlyReport) -> String {
    let headers = ["抽查批号", "城市", "抽取时间（北京时间）", "企业名称", "企业编码", "结果", "检查发现"];
    let rows = r.spot_checks.iter().map(|s| {
        let drawn = text(labels::local_minute(s.drawn_at));
        let cells = [num(s.draw), text(&s.city), drawn, text(&s.name), text(&s.company), text(&s.result)];
        let findings = if s.findings.is_empty() { "—" } else { &s.findings };
        plain(cells.into_iter().chain([text(findings)]).collect())
    });
    table("", &headers, rows.collect())
}

/// 数据质量 (`metrics.md` §9a): late entries, held and rejected records; never part of a score.
fn data_quality(r: &MonthlyReport) -> String {
    let headers = ["名称", "迟报排查记录占比", "迟报隐患占比", "待关联记录", "拒收记录", "拒收原因（错误代码 条数）"];
    let rows = r.data_quality.iter().map(|q| {
        let cells = vec![text(&q.name), Td::Rate(q.late_checks), Td::Rate(q.late_dangers), num(q.held)];
        let codes = if q.rejected_by_code.is_empty() { "—" } else { &q.rejected_by_code };
        (cells.into_iter().chain([num(q.rejected), text(codes)]).collect(), q.key == "total")
    });
    let note = "<p class=\"note\">迟报：首个版本在检查时间（登记时间）24 小时之后才报送；待关联：上级记录未到、暂存的记录；\
                以上不计入得分。</p>\n";
    format!("{}{note}", table("", &headers, rows.collect()))
}

/// 预警处置 (`metrics.md` §11): the total first, then each city.
fn handling(r: &MonthlyReport) -> String {
    use crate::monthly::handling::{COUNT_HEADERS, NOTE, counts, rates};
    let mut headers = vec!["名称", "新发预警数", "签收率", "按时签收率", "按时办结率"];
    headers.extend(COUNT_HEADERS);
    let rows = r.handling.iter().map(|l| {
        let mut cells = vec![text(&l.name), num(l.opened)];
        cells.extend(rates(l).into_iter().map(|(_, f)| Td::Rate(f)));
        cells.extend(counts(l).into_iter().map(num));
        (cells, l.key == "total")
    });
    format!("{}<p class=\"note\">{}</p>\n", table("wide", &headers, rows.collect()), escape(NOTE))
}

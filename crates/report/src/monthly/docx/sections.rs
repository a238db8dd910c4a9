//! The sections of the .docx report, in the order and with the columns of the HTML's.

use super::blocks::{Blocks, num, or_dash, rate};
use crate::monthly::content::{FigureLine, MonthlyReport};
use crate::monthly::handling::{COUNT_HEADERS, NOTE, counts, rates};
use crate::monthly::labels::{self, COUNTS, NO_RATE, RATES};
use metrics::figure::Figure;

/// Adds a section's blocks under its heading.
pub(super) type Section = fn(&MonthlyReport, &mut Blocks);

/// Every section with its title (numbered 一、二、… by the caller), in report order.
pub(super) const ALL: [(&str, Section); 12] = [
    ("建设进度", progress),
    ("主要指标", figures),
    ("城市排名", city_ranking),
    ("企业排名", enterprise_ranking),
    ("等级分布", grades),
    ("超期重大隐患", overdue_major),
    ("接入异常企业", connections),
    ("数据质量", data_quality),
    ("重点跟进帮扶企业", follow_up),
    ("验收情况", acceptance),
    ("抽查情况", spot_checks),
    ("预警处置", handling),
];

fn progress(r: &MonthlyReport, b: &mut Blocks) {
    let header =
        ["批次", "建设期限", "注册企业数", "已接入企业数", "接入率", "本月报送数据企业数", "本月参与评价企业数"];
    let rows = r.progress.iter().map(|p| {
        let deadline = p.deadline.map_or_else(|| NO_RATE.to_owned(), labels::date);
        let connected = rate(Figure::new(p.connected, p.registered));
        vec![
            p.label.clone(),
            deadline,
            num(p.registered),
            num(p.connected),
            connected,
            num(p.sending),
            num(p.evaluated),
        ]
    });
    b.table("建设进度", &header, rows.collect());
}

/// The first four rates of a figure line go in the first table of (二), the other three and the counts in the
/// second: eleven columns do not fit the width of a portrait page.
const FIRST_RATES: usize = 4;

/// (一) this month against last month, (二) per city or enterprise, the total first, in two tables.
fn figures(r: &MonthlyReport, b: &mut Blocks) {
    let (now, before) = (&r.total, &r.previous_total);
    let mut rows: Vec<Vec<String>> = RATES
        .iter()
        .map(|(name, rate_of)| {
            let (a, c) = (rate_of(now), rate_of(before));
            vec![(*name).to_owned(), rate(a), rate(c), labels::points(a, c)]
        })
        .collect();
    rows.extend(COUNTS.iter().map(|(name, count)| {
        let (a, c) = (count(now), count(before));
        let diff = i128::from(a) - i128::from(c);
        vec![(*name).to_owned(), num(a), num(c), if diff > 0 { format!("+{diff}") } else { diff.to_string() }]
    }));
    b.heading(2, format!("（一）本月与上月对比（{}）", now.name));
    b.table("本月与上月对比", &["指标", "本月", "上月", "变化（百分点／个）"], rows);
    let kind = labels::line_kind(r);
    b.heading(2, format!("（二）分{kind}情况"));
    let lines: Vec<(String, &FigureLine)> = std::iter::once((format!("合计（{}）", now.name), now))
        .chain(r.lines.iter().map(|l| (l.name.clone(), l)))
        .collect();
    let (first, second) = RATES.split_at(FIRST_RATES);
    let mut header = vec![kind];
    header.extend(first.iter().map(|(name, _)| *name));
    let rows = lines.iter().map(|(name, l)| {
        std::iter::once(name.clone()).chain(first.iter().map(|(_, rate_of)| rate(rate_of(l)))).collect()
    });
    b.table(&format!("分{kind}情况（一）"), &header, rows.collect());
    let mut header = vec![kind];
    header.extend(second.iter().map(|(name, _)| *name));
    header.extend(COUNTS.iter().map(|(name, _)| *name));
    let rows = lines.iter().map(|(name, l)| {
        let rates = second.iter().map(|(_, rate_of)| rate(rate_of(l)));
        std::iter::once(name.clone()).chain(rates).chain(COUNTS.iter().map(|(_, count)| num(count(l)))).collect()
    });
    b.table(&format!("分{kind}情况（二）"), &header, rows.collect());
}

fn city_ranking(r: &MonthlyReport, b: &mut Blocks) {
    let rows = r.city_ranking.iter().map(|c| {
        let (score, change) = (labels::score(c.mean_score), labels::change(c.change));
        vec![num(c.rank), c.name.clone(), rate(c.excellent_good), score, change]
    });
    b.table("城市排名", &["排名", "城市", "优良率", "平均得分", "较上月名次"], rows.collect());
}

fn enterprise_ranking(r: &MonthlyReport, b: &mut Blocks) {
    let header = ["排名", "企业名称", "企业编码", "所属城市", "月均得分", "等级", "较上月名次"];
    let rows = r.enterprise_ranking.iter().map(|e| {
        let (score, change) = (format!("{:.1}", e.score), labels::change(e.change));
        vec![num(e.rank), e.name.clone(), e.company.clone(), e.city.clone(), score, e.grade.clone(), change]
    });
    b.table("企业排名", &header, rows.collect());
}

fn grades(r: &MonthlyReport, b: &mut Blocks) {
    let rows = r.grades.iter().map(|g| {
        let counts = [g.excellent, g.good, g.fair, g.poor].map(num);
        std::iter::once(g.name.clone()).chain(counts).chain([rate(g.excellent_good)]).collect()
    });
    b.table("等级分布", &["名称", "优", "良", "中", "差", "优良率"], rows.collect());
}

fn overdue_major(r: &MonthlyReport, b: &mut Blocks) {
    let header =
        ["序号", "企业名称", "所属城市", "隐患名称", "隐患描述", "整改责任人", "整改期限（北京时间）", "隐患编号"];
    let rows = r.overdue_major.iter().enumerate().map(|(i, o)| {
        let said = [or_dash(&o.danger_name), or_dash(&o.description), or_dash(&o.liable_person)];
        let end = [labels::local_minute(o.deadline), o.danger.clone()];
        [num(i + 1), o.name.clone(), o.city.clone()].into_iter().chain(said).chain(end).collect()
    });
    b.table("超期重大隐患", &header, rows.collect());
}

fn connections(r: &MonthlyReport, b: &mut Blocks) {
    let header = ["序号", "企业名称", "企业编码", "所属城市", "接入状态", "最近接收数据时间（北京时间）", "备注"];
    let rows = r.connections.iter().enumerate().map(|(i, c)| {
        let last = c.last_data_at.map_or_else(|| "从未接收".to_owned(), labels::local_minute);
        let who = [num(i + 1), c.name.clone(), c.company.clone(), c.city.clone()];
        who.into_iter().chain([c.connection.clone(), last, c.remark.clone()]).collect()
    });
    b.table("接入异常企业", &header, rows.collect());
}

/// 数据质量 (`metrics.md` §9a) and its note, as in the HTML.
fn data_quality(r: &MonthlyReport, b: &mut Blocks) {
    let header = ["名称", "迟报排查记录占比", "迟报隐患占比", "待关联记录", "拒收记录", "拒收原因（错误代码 条数）"];
    let rows = r.data_quality.iter().map(|q| {
        let (late, held) = ([rate(q.late_checks), rate(q.late_dangers)], num(q.held));
        let rejected = [num(q.rejected), or_dash(&q.rejected_by_code)];
        std::iter::once(q.name.clone()).chain(late).chain([held]).chain(rejected).collect()
    });
    b.table("数据质量", &header, rows.collect());
    b.note(
        "迟报：首个版本在检查时间（登记时间）24 小时之后才报送；待关联：上级记录未到、暂存的记录；以上不计入得分。"
            .to_owned(),
    );
}

fn follow_up(r: &MonthlyReport, b: &mut Blocks) {
    let header = ["序号", "企业名称", "企业编码", "所属城市", "月均得分", "等级", "否决项"];
    let rows = r.follow_up.iter().enumerate().map(|(i, f)| {
        let who = [num(i + 1), f.name.clone(), f.company.clone(), f.city.clone()];
        let how = [format!("{:.1}", f.score), f.grade.clone(), labels::vetoes(&f.vetoes)];
        who.into_iter().chain(how).collect()
    });
    b.table("重点跟进帮扶企业", &header, rows.collect());
}

fn acceptance(r: &MonthlyReport, b: &mut Blocks) {
    let header = ["城市", "注册企业数", "已验收企业数", "验收优良率", "整改中企业数", "能否通过验收"];
    let rows = r.acceptance.iter().map(|a| {
        let counts = [num(a.registered), num(a.accepted), rate(a.excellent_good), num(a.rectifying)];
        std::iter::once(a.name.clone()).chain(counts).chain([labels::passes(a.passes).to_owned()]).collect()
    });
    b.table("验收情况", &header, rows.collect());
}

fn spot_checks(r: &MonthlyReport, b: &mut Blocks) {
    let header = ["抽查批号", "城市", "抽取时间（北京时间）", "企业名称", "企业编码", "结果", "检查发现"];
    let rows = r.spot_checks.iter().map(|s| {
        let drawn = labels::local_minute(s.drawn_at);
        let what = [s.name.clone(), s.company.clone(), s.result.clone(), or_dash(&s.findings)];
        [num(s.draw), s.city.clone(), drawn].into_iter().chain(what).collect()
    });
    b.table("抽查情况", &header, rows.collect());
}

/// The counts of 预警处置 that go in its first table (升级省级数, 其中未办结); the supervised ones go in the second.
const FIRST_COUNTS: usize = 2;

/// 预警处置 (`metrics.md` §11): the total first, then each city, in two tables, and the note of the HTML.
fn handling(r: &MonthlyReport, b: &mut Blocks) {
    if r.handling.is_empty() {
        b.table("预警处置", &[], Vec::new());
    } else {
        let mut header = vec!["名称", "新发预警数", "签收率", "按时签收率", "按时办结率"];
        header.extend(&COUNT_HEADERS[..FIRST_COUNTS]);
        let rows = r.handling.iter().map(|l| {
            let rates = rates(l).map(|(_, f)| rate(f));
            let escalated = counts(l).into_iter().take(FIRST_COUNTS).map(num);
            [l.name.clone(), num(l.opened)].into_iter().chain(rates).chain(escalated).collect()
        });
        b.table("预警处置（一）", &header, rows.collect());
        let mut header = vec!["名称"];
        header.extend(&COUNT_HEADERS[FIRST_COUNTS..]);
        let rows = r.handling.iter().map(|l| {
            std::iter::once(l.name.clone()).chain(counts(l).into_iter().skip(FIRST_COUNTS).map(num)).collect()
        });
        b.table("预警处置（二）", &header, rows.collect());
    }
    b.note(NOTE.to_owned());
}

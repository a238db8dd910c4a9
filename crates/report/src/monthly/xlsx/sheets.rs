//! The tables of the report's sections, one per worksheet after the cover.

use super::table::{Cell, Table, col, rate_cells, rate_cols, text};
use crate::monthly::content::{FigureLine, MonthlyReport};
use crate::monthly::labels::{self, COUNTS, RATES};
use metrics::figure::Figure;

/// A rank change as a signed number (positive = up), blank when there was no rank last month.
fn change(c: Option<i64>) -> Cell {
    c.map_or(Cell::Blank, Cell::Signed)
}

/// A 1-based row number.
fn seq(i: usize) -> Cell {
    Cell::Count(i as u64 + 1)
}

/// 建设进度.
pub(super) fn progress(r: &MonthlyReport) -> Table {
    let mut t = Table::new(
        [col("批次"), col("建设期限"), col("注册企业数"), col("已接入企业数")]
            .into_iter()
            .chain(rate_cols("接入率"))
            .chain([col("本月报送数据企业数"), col("本月参与评价企业数")]),
    );
    for p in &r.progress {
        t.row(
            [
                text(&p.label),
                p.deadline.map_or_else(|| text(labels::NO_RATE), |d| text(labels::date(d))),
                Cell::Count(p.registered),
                Cell::Count(p.connected),
            ]
            .into_iter()
            .chain(rate_cells(Figure::new(p.connected, p.registered)))
            .chain([Cell::Count(p.sending), Cell::Count(p.evaluated)]),
        );
    }
    t
}

fn figure_cells(name: String, l: &FigureLine) -> Vec<Cell> {
    let mut cells = vec![text(name), text(&l.key)];
    cells.extend(RATES.iter().flat_map(|(_, rate)| rate_cells(rate(l))));
    cells.extend(COUNTS.iter().map(|(_, count)| Cell::Count(count(l))));
    cells
}

/// 指标: this month's total, last month's total, then each city or enterprise.
pub(super) fn figures(r: &MonthlyReport) -> Table {
    let mut t = Table::new(
        [col(labels::line_kind(r)), col("代码")]
            .into_iter()
            .chain(RATES.iter().flat_map(|(name, _)| rate_cols(name)))
            .chain(COUNTS.iter().map(|(name, _)| col(name))),
    );
    t.bold_row(figure_cells(format!("本月合计（{}）", r.total.name), &r.total));
    t.bold_row(figure_cells(format!("上月合计（{}）", r.previous_total.name), &r.previous_total));
    for l in &r.lines {
        t.row(figure_cells(l.name.clone(), l));
    }
    t
}

/// 城市排名.
pub(super) fn city_ranking(r: &MonthlyReport) -> Table {
    let columns = [col("排名"), col("城市代码"), col("城市")].into_iter().chain(rate_cols("优良率"));
    let mut t = Table::new(columns.chain([col("平均得分"), col("名次变化（正数为上升）")]));
    for c in &r.city_ranking {
        let cells = [Cell::Count(c.rank.into()), text(&c.city), text(&c.name)].into_iter();
        let score = c.mean_score.map_or(Cell::Blank, Cell::Score);
        t.row(cells.chain(rate_cells(c.excellent_good)).chain([score, change(c.change)]));
    }
    t
}

/// 企业排名.
pub(super) fn enterprise_ranking(r: &MonthlyReport) -> Table {
    let mut t = Table::new([
        col("排名"),
        col("企业编码"),
        col("企业名称"),
        col("所属城市"),
        col("月均得分"),
        col("等级"),
        col("名次变化（正数为上升）"),
    ]);
    for e in &r.enterprise_ranking {
        t.row([
            Cell::Count(e.rank.into()),
            text(&e.company),
            text(&e.name),
            text(&e.city),
            Cell::Score(e.score),
            text(&e.grade),
            change(e.change),
        ]);
    }
    t
}

/// 等级分布; the total line is bold.
pub(super) fn grades(r: &MonthlyReport) -> Table {
    let columns = [col("代码"), col("名称"), col("优"), col("良"), col("中"), col("差")];
    let mut t = Table::new(columns.into_iter().chain(rate_cols("优良率")));
    for g in &r.grades {
        let counts = [Cell::Count(g.excellent), Cell::Count(g.good), Cell::Count(g.fair), Cell::Count(g.poor)];
        let cells = [text(&g.key), text(&g.name)].into_iter().chain(counts).chain(rate_cells(g.excellent_good));
        if g.key == "total" { t.bold_row(cells) } else { t.row(cells) }
    }
    t
}

/// 超期重大隐患.
pub(super) fn overdue_major(r: &MonthlyReport) -> Table {
    let header = [
        "序号",
        "企业编码",
        "企业名称",
        "所属城市",
        "隐患名称",
        "隐患描述",
        "整改责任人",
        "整改期限（北京时间）",
        "隐患编号",
    ];
    let mut t = Table::new(header.map(col));
    for (i, o) in r.overdue_major.iter().enumerate() {
        let deadline = text(labels::local_minute(o.deadline));
        let cells = [seq(i), text(&o.company), text(&o.name), text(&o.city), text(&o.danger_name)];
        t.row(cells.into_iter().chain([text(&o.description), text(&o.liable_person), deadline, text(&o.danger)]));
    }
    t
}

/// 接入异常.
pub(super) fn connections(r: &MonthlyReport) -> Table {
    let header = ["序号", "企业编码", "企业名称", "所属城市", "接入状态", "最近接收数据时间（北京时间）", "备注"];
    let mut t = Table::new(header.map(col));
    for (i, c) in r.connections.iter().enumerate() {
        let last = text(c.last_data_at.map_or_else(|| "从未接收".to_owned(), labels::local_minute));
        let cells = [seq(i), text(&c.company), text(&c.name), text(&c.city), text(&c.connection), last];
        t.row(cells.into_iter().chain([text(&c.remark)]));
    }
    t
}

/// 数据质量 (`metrics.md` §9a): the total first (bold), then each city or enterprise.
pub(super) fn data_quality(r: &MonthlyReport) -> Table {
    let mut t = Table::new(
        [col("名称"), col("代码")]
            .into_iter()
            .chain(rate_cols("迟报排查记录占比"))
            .chain(rate_cols("迟报隐患占比"))
            .chain([col("待关联记录"), col("拒收记录"), col("拒收原因（错误代码 条数）")]),
    );
    for q in &r.data_quality {
        let cells: Vec<Cell> = [text(&q.name), text(&q.key)]
            .into_iter()
            .chain(rate_cells(q.late_checks))
            .chain(rate_cells(q.late_dangers))
            .chain([Cell::Count(q.held), Cell::Count(q.rejected), text(&q.rejected_by_code)])
            .collect();
        if q.key == "total" { t.bold_row(cells) } else { t.row(cells) }
    }
    t
}

/// 重点跟进帮扶.
pub(super) fn follow_up(r: &MonthlyReport) -> Table {
    let header = ["序号", "企业编码", "企业名称", "所属城市", "月均得分", "等级", "否决项"];
    let mut t = Table::new(header.map(col));
    for (i, f) in r.follow_up.iter().enumerate() {
        let cells = [seq(i), text(&f.company), text(&f.name), text(&f.city), Cell::Score(f.score), text(&f.grade)];
        t.row(cells.into_iter().chain([text(labels::vetoes(&f.vetoes))]));
    }
    t
}

/// 验收情况.
pub(super) fn acceptance(r: &MonthlyReport) -> Table {
    let columns = [col("城市代码"), col("城市"), col("注册企业数"), col("已验收企业数")].into_iter();
    let columns = columns.chain(rate_cols("验收优良率")).chain([col("整改中企业数"), col("能否通过验收")]);
    let mut t = Table::new(columns);
    for a in &r.acceptance {
        let cells = [text(&a.city), text(&a.name), Cell::Count(a.registered), Cell::Count(a.accepted)].into_iter();
        let tail = [Cell::Count(a.rectifying), text(labels::passes(a.passes))];
        t.row(cells.chain(rate_cells(a.excellent_good)).chain(tail));
    }
    t
}

/// 抽查情况.
pub(super) fn spot_checks(r: &MonthlyReport) -> Table {
    let header = ["抽查批号", "城市", "抽取时间（北京时间）", "企业编码", "企业名称", "结果", "检查发现"];
    let mut t = Table::new(header.map(col));
    for s in &r.spot_checks {
        let drawn = text(labels::local_minute(s.drawn_at));
        let cells = [Cell::Signed(s.draw), text(&s.city), drawn, text(&s.company), text(&s.name), text(&s.result)];
        t.row(cells.into_iter().chain([text(&s.findings)]));
    }
    t
}

/// 预警处置 (`metrics.md` §11): the total first (bold), then each city; each rate beside its base.
pub(super) fn handling(r: &MonthlyReport) -> Table {
    use crate::monthly::handling::{COUNT_HEADERS, counts, rates};
    let rate_names = ["签收率", "按时签收率", "按时办结率"];
    let mut t = Table::new(
        [col("名称"), col("代码"), col("新发预警数")]
            .into_iter()
            .chain(rate_names.iter().flat_map(|n| rate_cols(n)))
            .chain(COUNT_HEADERS.map(col)),
    );
    for l in &r.handling {
        let cells: Vec<Cell> = [text(&l.name), text(&l.key), Cell::Count(l.opened)]
            .into_iter()
            .chain(rates(l).into_iter().flat_map(|(_, f)| rate_cells(f)))
            .chain(counts(l).into_iter().map(Cell::Count))
            .collect();
        if l.key == "total" { t.bold_row(cells) } else { t.row(cells) }
    }
    t
}

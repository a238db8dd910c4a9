//! The cell formats of the workbook: a bold header, plain and bold (total) body cells, counts as integers, scores
//! with one decimal and rates as percentages with one decimal.

use rust_xlsxwriter::{Format, FormatAlign, FormatBorder};

/// The Excel number format of rates: a percentage with one decimal, like `Figure::percent`.
pub(crate) const RATE_FORMAT: &str = "0.0%";

/// The formats of one kind of body row.
pub(super) struct Style {
    /// Text cells.
    pub(super) text: Format,
    /// Counts and other integers.
    pub(super) count: Format,
    /// Scores, one decimal.
    pub(super) score: Format,
    /// Rates, as percentages.
    pub(super) rate: Format,
}

impl Style {
    fn new(bold: bool) -> Style {
        let base = Format::new().set_border(FormatBorder::Thin).set_align(FormatAlign::VerticalCenter);
        let base = if bold { base.set_bold() } else { base };
        Style {
            text: base.clone(),
            count: base.clone().set_num_format("0").set_align(FormatAlign::Right),
            score: base.clone().set_num_format("0.0").set_align(FormatAlign::Right),
            rate: base.set_num_format(RATE_FORMAT).set_align(FormatAlign::Right),
        }
    }
}

/// Every format the workbook uses.
pub(super) struct Formats {
    /// Header cells: bold, centred, shaded.
    pub(super) header: Format,
    /// The report title on the cover.
    pub(super) title: Format,
    /// Labels on the cover.
    pub(super) label: Format,
    /// Body rows.
    pub(super) plain: Style,
    /// Total rows.
    pub(super) bold: Style,
}

impl Formats {
    /// The formats.
    pub(super) fn new() -> Formats {
        Formats {
            header: Format::new()
                .set_bold()
                .set_border(FormatBorder::Thin)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter)
                .set_text_wrap()
                .set_background_color(0xD9E1F2),
            title: Format::new().set_bold().set_font_size(16).set_align(FormatAlign::Left),
            label: Format::new().set_bold().set_border(FormatBorder::Thin).set_background_color(0xD9E1F2),
            plain: Style::new(false),
            bold: Style::new(true),
        }
    }
}

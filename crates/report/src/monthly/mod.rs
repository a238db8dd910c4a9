//! The monthly report on the 20th (月报): its content, built from what was known at its `asOf`, and its renderings
//! as XLSX, self-contained HTML and Word (.docx) in the layout of Chinese official documents.

pub mod build;
pub mod content;
pub mod docx;
pub mod extras;
pub mod freeze;
pub mod handling;
pub mod html;
mod labels;
#[cfg(test)]
pub(crate) mod sample;
pub mod sections;
pub mod xlsx;

pub use build::{Basis, Extras, Request, build, month_label, title};
pub use content::*;
pub use docx::to_docx;
pub use freeze::ReportError;
pub use html::to_html;
pub use xlsx::to_xlsx;

use domain::Code;
use thiserror::Error;

/// A failure to render a monthly report. Each variant has a stable snake_case [`code`](RenderError::code).
#[derive(Debug, Error)]
pub enum RenderError {
    /// The XLSX writer refused the workbook (e.g. a value out of Excel's range).
    #[error("月报生成失败 / cannot render the monthly report as XLSX: {0}")]
    Xlsx(#[from] rust_xlsxwriter::XlsxError),
    /// The .docx writer refused the document (a malformed table; not expected from a report's content).
    #[error("月报生成失败 / cannot render the monthly report as .docx: {0}")]
    Docx(#[from] officedoc::OfficeDocError),
}

impl RenderError {
    /// The stable snake_case code of this error.
    pub fn code(&self) -> Code {
        match self {
            Self::Xlsx(_) | Self::Docx(_) => Code::RenderFailed,
        }
    }
}

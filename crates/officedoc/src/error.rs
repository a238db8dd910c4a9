//! The errors of [`crate::render`], each with a stable code.

/// Why a document could not be written. [`OfficeDocError::code`] gives a stable code for logs and API answers.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OfficeDocError {
    /// Code `docx_invalid_table`: a table is malformed: a row whose number of cells differs from the header's, no
    /// header cell at all, or column widths that are not one positive number per column. `block` is the index of the
    /// table in [`crate::Document::blocks`].
    #[error("docx_invalid_table: the table of block {block}: {reason}")]
    InvalidTable {
        /// Index of the table in the document's blocks.
        block: usize,
        /// What is wrong, in English, e.g. "row 3 has 4 cells, the header 5".
        reason: String,
    },
    /// Code `docx_invalid_heading`: a heading of a level other than 1 or 2.
    #[error("docx_invalid_heading: the heading of block {block} has level {level}; levels are 1 and 2")]
    InvalidHeading {
        /// Index of the heading in the document's blocks.
        block: usize,
        /// The level given.
        level: u8,
    },
    /// Code `docx_render_failed`: writing a part or the zip package failed (an error of the XML or zip writer; not
    /// expected with a valid document, since everything is written to memory).
    #[error("docx_render_failed: {0}")]
    RenderFailed(String),
}

impl OfficeDocError {
    /// The stable code of the error: `docx_invalid_table`, `docx_invalid_heading` or `docx_render_failed`.
    pub fn code(&self) -> &'static str {
        match self {
            OfficeDocError::InvalidTable { .. } => "docx_invalid_table",
            OfficeDocError::InvalidHeading { .. } => "docx_invalid_heading",
            OfficeDocError::RenderFailed(_) => "docx_render_failed",
        }
    }

    /// A [`OfficeDocError::RenderFailed`] from the writer's error.
    pub(crate) fn render(error: impl std::fmt::Display) -> Self {
        OfficeDocError::RenderFailed(error.to_string())
    }
}

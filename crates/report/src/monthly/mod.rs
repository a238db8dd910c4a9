//! The monthly report on the 20th (月报): its content, built from what was known at its `asOf`, and its renderings
//! as XLSX and self-contained HTML.

pub mod content;

pub use content::*;

//! The monthly report on the 20th (月报): its content, built from what was known at its `asOf`, and its renderings
//! as XLSX and self-contained HTML.

pub mod build;
pub mod content;
pub mod extras;
pub mod freeze;
pub mod html;
pub mod sections;
pub mod xlsx;

pub use build::{Extras, Request, build, month_label, title};
pub use content::*;
pub use freeze::ReportError;

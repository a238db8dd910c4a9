//! The published shapes: the JSON the API serves and the weekly job stores, built here from what is known so that
//! the API, the jobs and the CLI answer the same document. With the `openapi` feature (the API's) each shape also
//! describes itself for the OpenAPI document.

pub mod enterprises;
pub mod evaluations;
pub mod figures;
pub mod handling;

pub use evaluations::{
    EvaluationRow, GroupRate, RevisionView, evaluation_rows, excellent_good, stored_rows, to_stored,
};
pub use figures::{
    DataQualityView, FigureRow, FigureView, MetricsResponse, PeriodView, UnitsByClass, metrics_response,
};
pub use handling::{HandlingFigures, SupervisedByState};

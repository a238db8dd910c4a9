//! Warning handling in the API (`docs/warnings.md`): who may read and act on a case, and the views of cases and
//! their timelines that the routes answer.

pub mod escalation;
pub mod scope;
pub mod view;

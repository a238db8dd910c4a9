//! Tests of officedoc: the sample report rendered, read back by python-docx, unzipped, and rendered again.

mod determinism;
mod errors;
mod package;
mod python;
mod sample;

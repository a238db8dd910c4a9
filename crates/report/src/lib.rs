//! What the platform publishes: the figures of `metrics.md` per enterprise, city, batch and province, the weekly
//! evaluations, and the rankings. Loads what was known at `asOf` from storage once, then computes with `metrics`.

pub mod acceptance;
pub mod cache;
pub mod explain;
pub mod feed;
pub mod figures;
pub mod foreground;
pub mod monthly;
pub mod published;
pub mod quality;
pub mod results;
pub mod service;
pub mod shape;
pub mod standings;
pub mod warnings;

pub use figures::{By, Group, Known, Line};

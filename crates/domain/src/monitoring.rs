//! Monitoring of road-map execution (DESIGN.md §8): activity statuses and who may move them,
//! the dates activities are due, overdue marks and the filling of a checkpoint.
//!
//! Everything here is derived from values the caller holds; nothing is stored. In particular
//! «просрочено» is never a status: [`is_overdue`] computes it from the status, due date and today.

mod due;
mod filling;
mod status;
mod transition;

pub use due::{due_dates, is_overdue};
pub use filling::{DueItem, Filling, filling};
pub use status::ActivityStatus;
pub use transition::{Actor, TransitionError, actor_for, transition};

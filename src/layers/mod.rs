//! layers stage.

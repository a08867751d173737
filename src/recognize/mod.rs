//! recognize stage.

//! gazetteer stage.

//! Text utilities: sentences, tokens, and byte ↔ code-point offset conversion.

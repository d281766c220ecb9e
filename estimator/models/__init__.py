"""Pure, vectorised, cited formulas: numpy in, numpy out (no I/O, no pandas)."""

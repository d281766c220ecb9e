"""Data files: strict YAML, schemas, hardware profiles, FX rates, grid regions."""

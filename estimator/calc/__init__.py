"""Orchestration: the API functions, names and quantities in, DataFrames out."""

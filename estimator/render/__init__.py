"""Presentation: tables, text breakdowns, reports, plots and output files."""

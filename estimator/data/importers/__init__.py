"""Readers of other projects' data files into the estimator's tidy tables."""

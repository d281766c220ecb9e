"""User input: one parser for numbers, units, ranges, lists and distributions."""

"""Tools `make` runs (evaluation, benchmark, data checks); importable for the tests."""

"""Altair chart builders: DataFrame in, chart out, no I/O. One module per area."""

"""What each page shows: typed page models built from the reads of core.queries, the metrics
of core.metrics and the chart frames of core.charts. One module per page area."""

"""timeseries projects."""

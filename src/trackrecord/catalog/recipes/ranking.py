"""ranking projects."""

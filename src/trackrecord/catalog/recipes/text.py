"""text projects."""

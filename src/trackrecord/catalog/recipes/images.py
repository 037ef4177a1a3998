"""images projects."""

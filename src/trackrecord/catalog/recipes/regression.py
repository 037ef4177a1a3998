"""regression projects."""

"""The built-in recipes, one module per task family."""

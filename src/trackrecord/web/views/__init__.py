"""The views, one module per area; each exposes `router`."""

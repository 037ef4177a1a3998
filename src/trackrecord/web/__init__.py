"""The web face: HTML pages for people and a JSON API under /api/v1, one FastAPI app."""

from trackrecord.web.app import create_app

__all__ = ["create_app"]

"""Persistence: typed models, engines and sessions, migrations, and the blob store."""

from trackrecord.store.blobs import Blob, BlobStore
from trackrecord.store.db import make_engine, session_scope
from trackrecord.store.migrate import ensure_schema, upgrade
from trackrecord.store.models import (
    ApiToken,
    Base,
    Challenge,
    Enrollment,
    Finalization,
    FinalPick,
    Invite,
    Submission,
    User,
)

__all__ = [
    "ApiToken",
    "Base",
    "Blob",
    "BlobStore",
    "Challenge",
    "Enrollment",
    "FinalPick",
    "Finalization",
    "Invite",
    "Submission",
    "User",
    "ensure_schema",
    "make_engine",
    "session_scope",
    "upgrade",
]

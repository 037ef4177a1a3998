"""The server's secret: configured (`secret_key`), else generated once under HOME.

Session cookies and CSRF tokens (web/security.py) and the keys of hosted catalog copies
(catalog/rekey.py, through hosting.py) derive their own keys from it, each with its own
label, so none of them can stand in for another.
"""

from __future__ import annotations

import os
import secrets

from trackrecord.settings import Settings


def secret_key(settings: Settings) -> str:
    """The configured secret, else one generated once under HOME (mode 0600)."""
    if settings.secret_key:
        return settings.secret_key
    path = settings.home / "secret_key"
    if path.is_file():
        return path.read_text(encoding="utf-8").strip()
    settings.home.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    tmp = path.with_name(f".secret_key.{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(key)
    try:
        os.link(tmp, path)  # fails if another process got there first: use theirs
    except FileExistsError:
        pass
    finally:
        tmp.unlink(missing_ok=True)
    return path.read_text(encoding="utf-8").strip()

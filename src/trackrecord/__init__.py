"""trackrecord: learn machine learning by shipping real, graded projects.

The notebook API::

    import trackrecord as tr
    train, test = tr.load("titanic")
    tr.submit("titanic", predictions)   # a DataFrame or a file path
    tr.submit("titanic", code="train.py")   # or code, run in a sandbox and scored
    tr.status()

Names are imported on first use, so `import trackrecord` stays fast and light.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
# `code_jobs`, not `jobs`: importing the package trackrecord.jobs would replace the attribute.
__all__ = [
    "code_jobs",
    "finalize",
    "load",
    "results",
    "score",
    "status",
    "submissions",
    "submit",
]

if TYPE_CHECKING:
    from trackrecord.api import (
        code_jobs,
        finalize,
        load,
        results,
        score,
        status,
        submissions,
        submit,
    )


def __getattr__(name: str) -> Any:
    if name in __all__:
        from trackrecord import api

        return getattr(api, name)
    raise AttributeError(f"module 'trackrecord' has no attribute {name!r}")

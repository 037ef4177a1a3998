"""Hosted copies of catalog projects, re-split and re-keyed with a secret of the server.

Anyone can build a catalog project offline (`trackrecord catalog build titanic`) and read its
`private/solution.csv`. A challenge a server hosts from the catalog must therefore not use
that split (DESIGN.md, rule 7, "Hosted copies are fresh"): the recipe is built again inside
`splits.rekeyed(key)`, where every seed of the split helpers is derived from an HMAC of the
server's secret, the project and the copy's id. The copy gets

- new ids (a permutation drawn from the key: a local build's ids do not even match);
- new test rows where the split allows it: random and stratified splits are re-drawn with
  the recipe's own test size and strata, group splits re-draw whole groups; a time split
  keeps its test rows (the future stays the future: train ends before test starts);
- a new Public/Private split (earlier-then-later for time-ordered test sets, as the brief
  says);
- medal lines measured again on the new split: the baseline, the reference, the field and
  the no-skill predictions are run on the copy, the SE bootstrapped, the rules checked.

The source data of a built-in project stay public all the same (a learner can look rows up
in the installed package); only code the host re-runs proves honest work there.

The same secret, project and id always give the same copy. A draw whose numbers break the
rules (e.g. the reference no longer clears the baseline by 3 SE) is replaced by the next
draw of the same key, at most `MAX_DRAWS` times.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from trackrecord.bundle import Bundle
from trackrecord.catalog import splits
from trackrecord.catalog.build import measure, write_project
from trackrecord.catalog.evaluate import RecipeError
from trackrecord.catalog.model import Recipe
from trackrecord.catalog.rules import violations
from trackrecord.catalog.stored import StoredEntry
from trackrecord.errors import Conflict

LABEL = "trackrecord.hosted-copy.v1"  # keeps this key apart from every other use of the secret
MAX_DRAWS = 12
CopyProgress = Callable[[str], None]


class CopyError(Conflict):
    """No draw of the key gave a copy that keeps the rules (the message names why)."""


@dataclass(frozen=True)
class HostedCopy:
    """A written copy: its bundle (challenge id = the copy's id) and the measured numbers."""

    bundle: Bundle
    entry: StoredEntry
    draw: int  # which draw of the key kept the rules (0 for most projects)


def copy_key(secret: str | bytes, project_id: str, slug: str, draw: int = 0) -> bytes:
    """HMAC-SHA256 of the project, the copy's id and the draw under the server's secret."""
    raw = secret.encode("utf-8") if isinstance(secret, str) else secret
    if not raw:
        raise ValueError("a hosted copy needs the server's secret")
    message = f"{LABEL}\n{project_id}\n{slug}\n{draw}".encode()
    return hmac.new(raw, message, hashlib.sha256).digest()


def build_hosted_copy(
    recipe: Recipe,
    dest: Path,
    secret: str | bytes,
    slug: str,
    *,
    progress: CopyProgress | None = None,
) -> HostedCopy:
    """Build `recipe` re-split and re-keyed into the bundle folder `dest` (challenge id
    `slug`) and measure its medal lines on the new split. Takes as long as measuring the
    recipe (seconds for small projects, a minute or more for large ones).

    Raises CopyError when no draw keeps the rules of catalog/rules.py.
    """
    say = progress or (lambda _message: None)
    problems: list[str] = []
    for draw in range(MAX_DRAWS):
        key = copy_key(secret, recipe.id, slug, draw)
        say(f"drawing a new split of {recipe.id} (draw {draw + 1} of at most {MAX_DRAWS})")
        with splits.rekeyed(key):
            project = recipe.build()
        bundle = write_project(recipe, project, dest, None, challenge_id=slug)
        say(f"measuring the medal lines on the new split of {recipe.id}")
        try:
            entry = measure(recipe, project, bundle)
        except RecipeError as exc:
            problems = [str(exc)]
            continue
        problems = violations(recipe, entry)
        if not problems:
            bundle = write_project(recipe, project, dest, entry, challenge_id=slug)
            say(f"{slug} is ready")
            return HostedCopy(bundle, entry, draw)
    raise CopyError(
        f"no fair copy of {recipe.id!r} under the id {slug!r} after {MAX_DRAWS} draws"
        f" ({'; '.join(problems)}); try another id"
    )

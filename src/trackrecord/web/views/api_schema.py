"""What the JSON API answers, declared for its OpenAPI document, and how it writes numbers.

Each answer is a service dataclass (or a small envelope around a list of them), so the
schema in /api/v1/openapi.json is the dataclass's own, and a client can decode an answer
back into it (trackrecord.client.decode). Every error has one shape (`Error`).

Scores leave the API with the precision the boards show: 6 significant digits (the pages'
`num` filter and the CLI's `num`). More digits say nothing a learner can use and, for a
small split, help reconstruct the answer key from the score of a crafted file.
"""

from __future__ import annotations

import json
import math
from typing import Any

from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field

from trackrecord.hosting import HostedChallenge, SubmissionRecord
from trackrecord.mastery.types import SkillEstimate
from trackrecord.service.path import PathEntry
from trackrecord.service.types import (
    ProjectInfo,
    ProjectStatus,
    SubmissionView,
)
from trackrecord.web.accounts import Account, TokenInfo, UserRow
from trackrecord.web.render import jsonable

SCORE_DIGITS = 6  # significant digits, as `num` shows scores on the boards and in the CLI
# Keys whose numbers are scores (or medal lines and differences between scores).
SCORE_KEYS = frozenset(
    {
        "score", "public_score", "private_score", "best", "best_public", "previous_best",
        "change", "next_target", "baseline", "reference", "gold", "public", "private",
    }
)  # fmt: skip


def round_score(value: float) -> float:
    """`value` to SCORE_DIGITS significant digits (what `num` prints), as a number."""
    return value if value == 0 or not math.isfinite(value) else float(f"{value:.6g}")


def round_scores(value: Any, score: bool = False) -> Any:
    """Plain JSON values with every float under a score key rounded (see SCORE_KEYS)."""
    if isinstance(value, dict):
        return {k: round_scores(v, score or k in SCORE_KEYS) for k, v in value.items()}
    if isinstance(value, list):
        return [round_scores(v, score) for v in value]
    if score and isinstance(value, float):
        return round_score(value)
    return value


class Answer(JSONResponse):
    """A JSON answer of the API: plain values, scores at the boards' precision. (A
    JSONResponse, so the OpenAPI document shows the route's response model.)"""

    def render(self, content: Any) -> bytes:
        return json.dumps(round_scores(jsonable(content)), ensure_ascii=False).encode("utf-8")


# Errors ------------------------------------------------------------------------------


class ProblemOut(BaseModel):
    message: str
    file: str | None = None
    line: int | None = None
    column: str | None = None


class ErrorDetail(BaseModel):
    code: str = Field(description="A stable name: not_found, conflict, rate_limited, ...")
    message: str
    problems: list[ProblemOut] = Field(default_factory=list)


class Error(BaseModel):
    """The one error shape of the API."""

    error: ErrorDetail


ERROR_TEXT = {
    401: "Not signed in: no token, or a token that is not valid (hosted servers).",
    403: "Signed in, but not allowed (a host's or an admin's request, someone else's).",
    404: "No such project, challenge, user or token.",
    409: "Not now: e.g. finalized already, not finalized yet, the deadline has passed.",
    413: "The request body is larger than the server accepts.",
    422: "The request or the uploaded file is not valid; `problems` says where.",
    429: "Too many requests, or no submissions left today.",
}
AUTH = (401, 403)  # every route that needs an account (403: a disabled or wrong role)


def errors(*codes: int) -> dict[int | str, dict[str, Any]]:
    """The `responses=` of a route: each status it can answer with, in the error shape."""
    return {c: {"model": Error, "description": ERROR_TEXT[c]} for c in sorted(set(codes))}


def binary(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """A 200 answer that is a file, not JSON."""
    schema = {"type": "string", "format": "binary"}
    return {200: {"content": {media_type: {"schema": schema}}, "description": description}}


# Answers -----------------------------------------------------------------------------


class Health(BaseModel):
    ok: bool
    version: str


class StatusOut(BaseModel):
    """`trackrecord status --json`: the track record, with the skill estimates."""

    started: int
    finalized: int
    medals: dict[str, int]
    streak_days: int
    submissions_today: int
    projects: list[ProjectStatus]
    total_projects: int
    skills: list[SkillEstimate]


class Me(BaseModel):
    user: Account
    mode: str = Field(description="hosted or personal")
    status: StatusOut


class CatalogOut(BaseModel):
    projects: list[PathEntry]


class ChallengeOut(BaseModel):
    """A challenge as its page shows it to you (private lines once you finalized)."""

    project: ProjectInfo
    greater_is_better: bool
    description: str
    files: list[str]
    submissions: list[SubmissionView]
    per_day: int
    left_today: int
    final_picks: int
    state: str
    best_public: float | None
    medal: str | None
    private_score: float | None
    deadline_passed: bool


class SubmissionsOut(BaseModel):
    submissions: list[SubmissionView]


class TokenCreated(BaseModel):
    token: str = Field(description="Shown once: send it as `Authorization: Bearer <token>`.")
    info: TokenInfo
    user: Account


class TokensOut(BaseModel):
    tokens: list[TokenInfo]


class Revoked(BaseModel):
    revoked: int


class HostedOut(BaseModel):
    challenges: list[HostedChallenge]


class HostedDetail(BaseModel):
    challenge: HostedChallenge
    project: ProjectInfo
    deadline_passed: bool


class RecordsOut(BaseModel):
    submissions: list[SubmissionRecord]


class InviteOut(BaseModel):
    code: str = Field(description="Shown once.")
    role: str
    max_uses: int | None
    link: str = Field(description="The sign-up page with the code filled in.")


class UsersOut(BaseModel):
    users: list[UserRow]

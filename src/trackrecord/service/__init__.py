"""The use cases, independent of any face: the CLI, the notebook API and the web app call
a `Service` and render what it returns."""

from trackrecord.service.core import Service, default_scorer
from trackrecord.service.projects import BuiltinCatalog
from trackrecord.service.types import (
    CatalogEntry,
    CatalogSource,
    FieldPlace,
    FinalizePreview,
    FinalizeResult,
    LearnerPlace,
    MedalProgress,
    Progress,
    ProjectInfo,
    ProjectMetaLike,
    ProjectReport,
    ProjectStatus,
    ScoreLike,
    Scorer,
    StartResult,
    StatusReport,
    SubmissionView,
    SubmitResult,
)

__all__ = [
    "BuiltinCatalog",
    "CatalogEntry",
    "CatalogSource",
    "FieldPlace",
    "FinalizePreview",
    "FinalizeResult",
    "LearnerPlace",
    "MedalProgress",
    "Progress",
    "ProjectInfo",
    "ProjectMetaLike",
    "ProjectReport",
    "ProjectStatus",
    "ScoreLike",
    "Scorer",
    "Service",
    "StartResult",
    "StatusReport",
    "SubmissionView",
    "SubmitResult",
    "default_scorer",
]

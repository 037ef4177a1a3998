"""Project folders: a catalog project as files a teacher can read and edit.

    projects/<id>/project.toml   metadata, prerequisites, the split and the field, as data
    projects/<id>/brief.md       the brief, under fixed second-level headings
    projects/<id>/prepare.py     load() -> the cleaned table (then [split]), or prepare()
    projects/<id>/baseline.py    the baseline pipeline, a snippet (shown in the starter)
    projects/<id>/reference.py   the reference pipeline, a snippet (revealed after finalizing)

The loader checks every file before anything is built and reports every problem of a folder
at once, naming the folder and the file (and the line where it can). Each folder becomes a
`Recipe` registered through `registry.register_recipe`, exactly as the `@recipe` decorator
registers one, so the build, the rules, stored.json and the starter notebook see no
difference. prepare.py is imported by path (importlib) only when the project is built.
docs/catalog.md, "A project is a folder", describes the format.
"""

from __future__ import annotations

import ast
import dataclasses
import difflib
import importlib.util
import re
import sys
import threading
import tomllib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

from trackrecord.bundle.model import TASKS
from trackrecord.bundle.v1 import ID_RE
from trackrecord.catalog import fields as _fields
from trackrecord.catalog.briefs import BRIEF_FILE, parse_brief
from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.model import Brief, Contender, Project, Recipe
from trackrecord.catalog.prepare import Prepared, supervised
from trackrecord.catalog.skills import SKILLS
from trackrecord.errors import ConfigError, Problem, UnknownMetric
from trackrecord.metrics import InputKind, get_metric

BUILTIN_DIR = Path(__file__).with_name("projects")
PROJECT_FILE = "project.toml"
PREPARE_FILE = "prepare.py"
BASELINE_FILE = "baseline.py"
REFERENCE_FILE = "reference.py"
FILES = (PROJECT_FILE, BRIEF_FILE, PREPARE_FILE, BASELINE_FILE, REFERENCE_FILE)
# Optional: the starter's validation cell, for projects no generic scheme fits (model.Project).
VALIDATE_FILE = "validate.py"
PITFALLS = ("leakage", "drift", "groups", "fairness", "scale")

_REQUIRED: tuple[str, ...] = ("title", "task", "metric", "level", "skills", "apply_elsewhere")
_REQUIRED += ("summary", "gold_margin", "version", "baseline", "reference")
KEYS = (*_REQUIRED, "requires", "pitfall", "split", "field")
PIPELINE_KEYS = ("name", "explanation")
SPLIT_KEYS = ("target", "test_size", "seed", "stratify", "labels", "clip_min", "hidden")
# Each [field] kind and the options it takes (the catalog.fields helper it calls).
FIELD_OPTIONS: Mapping[str, tuple[str, ...]] = {
    "classification": ("proba",),
    "regression": ("log",),
    "text": ("text",),
    "cluster": ("k",),
}
HOOKS = ("load", "prepare", "field", "trivial")


@dataclass(frozen=True)
class Pipeline:
    """The baseline or the reference: a name, why it is built that way, and its code."""

    name: str
    explanation: str
    code: str

    def contender(self) -> CodeContender:
        return CodeContender(self.name, self.code, self.explanation)


@dataclass(frozen=True)
class ProjectFolder:
    """One checked folder: everything but the data, which prepare.py makes on build."""

    path: Path
    recipe: Recipe
    brief: Brief
    baseline: Pipeline
    reference: Pipeline
    hooks: frozenset[str]  # the functions prepare.py defines
    split: Mapping[str, Any] | None  # [split]: keyword arguments of prepare.supervised
    field: Mapping[str, Any] | None  # [field]: kind and options
    requires: tuple[Any, ...] = ()  # raw conditions, checked by catalog.path
    requires_line: int | None = None
    pitfall: str | None = None

    @property
    def files(self) -> tuple[Path, ...]:
        """The files the project is made of (what a change to should rebuild)."""
        optional = [VALIDATE_FILE] if (self.path / VALIDATE_FILE).is_file() else []
        return tuple(self.path / name for name in (*FILES, *optional))


class _Say:
    """Collects the problems of one file of one folder."""

    def __init__(self, problems: list[Problem], file: Path, text: str = "") -> None:
        self.problems, self.file, self.text = problems, str(file), text

    def __call__(self, message: str, *, key: str | None = None, table: str | None = None) -> None:
        line = _line_of(self.text, key, table) if key else None
        self.problems.append(Problem(message, file=self.file, line=line))


def _line_of(text: str, key: str, table: str | None) -> int | None:
    """The line where `key = ...` is set (inside `[table]` when given), or the table's."""
    inside = table is None
    for number, line in enumerate(text.splitlines(), start=1):
        header = re.match(r"^\s*\[\s*([A-Za-z0-9_.-]+)\s*\]", line)
        if header:
            if header.group(1) == key and table is None:
                return number
            inside = table is None or header.group(1) == table
            continue
        if inside and re.match(rf"^\s*{re.escape(key)}\s*=", line):
            return number
    return None


def _suggest(name: str, known: Sequence[str]) -> str:
    close = difflib.get_close_matches(name, list(known), n=1, cutoff=0.6)
    return f"; did you mean {close[0]!r}?" if close else ""


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _strings(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(v, str) for v in value)


# project.toml ------------------------------------------------------------------------------


def _check_top(doc: Mapping[str, Any], say: _Say) -> None:
    for key in sorted(doc.keys() - set(KEYS)):
        say(f"unknown key {key!r}{_suggest(key, KEYS)}", key=key)
    for key in _REQUIRED:
        if key not in doc:
            say(f"missing key {key!r}")
    for key in ("title", "summary", "task", "metric", "version"):
        if key in doc and (not isinstance(doc[key], str) or not doc[key].strip()):
            hint = ' (a string: version = "1")' if key == "version" else ""
            say(f"{key} must be a non-empty string, not {doc[key]!r}{hint}", key=key)
    task, metric = doc.get("task"), doc.get("metric")
    if isinstance(task, str) and task not in TASKS:
        say(f"task {task!r} is not one of {', '.join(TASKS)}{_suggest(task, TASKS)}", key="task")
    if isinstance(metric, str):
        try:
            get_metric(metric)
        except UnknownMetric as exc:
            say(exc.message, key="metric")
    level = doc.get("level")
    if "level" in doc and (not isinstance(level, int) or isinstance(level, bool)):
        say(f"level must be a whole number 1 to 5, not {level!r}", key="level")
    elif isinstance(level, int) and not 1 <= level <= 5:
        say(f"level must be 1 to 5, not {level}", key="level")
    for key in ("skills", "apply_elsewhere"):
        if key in doc and not _strings(doc[key]):
            say(f"{key} must be a list of strings, not {doc[key]!r}", key=key)
    for skill in doc.get("skills", []) if _strings(doc.get("skills")) else []:
        if skill not in SKILLS:
            say(
                f"no skill {skill!r} in the vocabulary{_suggest(skill, list(SKILLS))}", key="skills"
            )
    margin: Any = doc.get("gold_margin")
    if "gold_margin" in doc and not (_is_number(margin) and margin > 0):
        say(f"gold_margin must be a positive number, not {margin!r}", key="gold_margin")
    if "requires" in doc and not isinstance(doc["requires"], list):
        say("requires must be a list of conditions (see catalog/path.py)", key="requires")
    pitfall = doc.get("pitfall")
    if "pitfall" in doc and pitfall not in PITFALLS:
        say(f"pitfall must be one of {', '.join(PITFALLS)}, not {pitfall!r}", key="pitfall")


def _check_table(doc: Mapping[str, Any], name: str, keys: Sequence[str], say: _Say) -> bool:
    """Whether `name` is a table (when present); reports its unknown keys."""
    table = doc.get(name)
    if table is None:
        return False
    if not isinstance(table, dict):
        say(f"{name} must be a table ([{name}]), not {table!r}", key=name)
        return False
    for key in sorted(table.keys() - set(keys)):
        say(f"[{name}] unknown key {key!r}{_suggest(key, keys)}", key=key, table=name)
    return True


def _check_pipeline(doc: Mapping[str, Any], name: str, say: _Say) -> None:
    if not _check_table(doc, name, PIPELINE_KEYS, say):
        return
    table = doc[name]
    if not isinstance(table.get("name"), str) or not table["name"].strip():
        say(f"[{name}] needs `name`, a non-empty string", key=name)
    if not isinstance(table.get("explanation", ""), str):
        say(f"[{name}] explanation must be a string", key="explanation", table=name)


def _check_split(doc: Mapping[str, Any], say: _Say) -> None:
    if not _check_table(doc, "split", SPLIT_KEYS, say):
        return
    split = doc["split"]

    def bad(key: str, what: str) -> None:
        say(f"[split] {key} must be {what}, not {split[key]!r}", key=key, table="split")

    for key in ("target", "test_size", "seed"):
        if key not in split:
            say(f"[split] needs `{key}`", key="split")
    if "target" in split and not isinstance(split["target"], str):
        bad("target", "a column name")
    size = split.get("test_size")
    fraction = isinstance(size, float) and 0 < size < 1
    rows = isinstance(size, int) and not isinstance(size, bool) and size >= 1
    if "test_size" in split and not (fraction or rows):
        bad("test_size", "a fraction between 0 and 1 or a number of rows")
    if "seed" in split and (not isinstance(split["seed"], int) or isinstance(split["seed"], bool)):
        bad("seed", "a whole number")
    if "stratify" in split and not isinstance(split["stratify"], bool):
        bad("stratify", "true or false")
    for key in ("labels", "hidden"):
        if key in split and not _strings(split[key]):
            bad(key, "a list of strings")
    if "clip_min" in split and not _is_number(split["clip_min"]):
        bad("clip_min", "a number")


def _check_field(doc: Mapping[str, Any], say: _Say) -> None:
    options = tuple(o for opts in FIELD_OPTIONS.values() for o in opts)
    if not _check_table(doc, "field", ("kind", *options), say):
        return
    field = doc["field"]
    kind = field.get("kind")
    if kind not in FIELD_OPTIONS:
        kinds = ", ".join(FIELD_OPTIONS)
        say(f"[field] kind must be one of {kinds}, not {kind!r}", key="kind", table="field")
        return
    for key in sorted(field.keys() - {"kind", *FIELD_OPTIONS[kind]}):
        say(f"[field] {key!r} does not go with kind = {kind!r}", key=key, table="field")
    expected: Mapping[str, tuple[type, str]] = {
        "proba": (bool, "true or false"),
        "log": (bool, "true or false"),
        "text": (str, "a column name"),
        "k": (int, "a whole number of clusters"),
    }
    for key in FIELD_OPTIONS[kind]:
        if key not in field:
            if key in ("text", "k"):
                say(f"[field] kind = {kind!r} needs `{key}`", key="kind", table="field")
            continue
        typ, what = expected[key]
        value = field[key]
        if not isinstance(value, typ) or (typ is int and isinstance(value, bool)):
            say(f"[field] {key} must be {what}, not {value!r}", key=key, table="field")


def _read_toml(file: Path, problems: list[Problem]) -> tuple[dict[str, Any], str]:
    try:
        text = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(f"no {file.name} in the folder", file=str(file)))
        return {}, ""
    try:
        return tomllib.loads(text), text
    except tomllib.TOMLDecodeError as exc:
        problems.append(Problem(f"not valid TOML: {exc}", file=str(file)))
        return {}, text


def check_project_toml(doc: Mapping[str, Any], say: _Say) -> None:
    """Every problem of project.toml's keys and values."""
    _check_top(doc, say)
    for name in ("baseline", "reference"):
        _check_pipeline(doc, name, say)
    _check_split(doc, say)
    _check_field(doc, say)


# prepare.py --------------------------------------------------------------------------------


def _hooks(file: Path, problems: list[Problem]) -> frozenset[str]:
    """The hook functions prepare.py defines at its top level (read, not executed)."""
    try:
        tree = ast.parse(file.read_text(encoding="utf-8"), filename=str(file))
    except FileNotFoundError:
        problems.append(Problem(f"no {file.name} in the folder", file=str(file)))
        return frozenset()
    except SyntaxError as exc:
        problems.append(Problem(f"not valid Python: {exc.msg}", file=str(file), line=exc.lineno))
        return frozenset()
    names: set[str] = set()
    for node in tree.body:
        if isinstance(node, ast.FunctionDef):
            names.add(node.name)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return frozenset(names & set(HOOKS))


def _check_hooks(hooks: frozenset[str], doc: Mapping[str, Any], file: Path, say: _Say) -> None:
    """prepare.py's hooks against project.toml: one of load()/prepare(), [split] with
    load() only, and the field from [field] or field(), not both."""
    in_prepare = _Say(say.problems, file)
    if not {"load", "prepare"} & hooks:
        in_prepare(
            "defines neither load() (the cleaned table; [split] in project.toml splits it)"
            " nor prepare() (the split data, for any other split)"
        )
    if {"load", "prepare"} <= hooks:
        in_prepare("defines both load() and prepare(): keep one")
    if "load" in hooks and "prepare" not in hooks and "split" not in doc:
        say("prepare.py defines load(), so project.toml needs a [split] table")
    if "prepare" in hooks and "split" in doc:
        say("[split] goes with load(); prepare.py defines prepare(), which splits itself")
    if "field" in hooks and "field" in doc:
        say("[field] and prepare.py's field() both give the field: keep one")
    if "field" not in hooks and "field" not in doc:
        say("no field: add a [field] table, or define field(data) in prepare.py")


# Reading a folder --------------------------------------------------------------------------


def _pipeline(folder: Path, name: str, table: Any, problems: list[Problem]) -> Pipeline:
    file = folder / f"{name}.py"
    table = table if isinstance(table, dict) else {}
    try:
        code = file.read_text(encoding="utf-8")
    except FileNotFoundError:
        problems.append(Problem(f"no {file.name} in the folder", file=str(file)))
        code = ""
    if code and not re.search(r"^submission\b|\bsubmission\s*=", code, re.MULTILINE):
        problems.append(Problem("the snippet never sets `submission`", file=str(file)))
    return Pipeline(str(table.get("name", "")), str(table.get("explanation", "")), code)


def read_folder(
    folder: Path, stored: Path | None = None
) -> tuple[ProjectFolder | None, list[Problem]]:
    """Check one folder; the folder (None when it has problems) and its problems. `stored`:
    the file its measured numbers are kept in (None: the catalog's stored.json)."""
    problems: list[Problem] = []
    project_file = folder / PROJECT_FILE
    doc, text = _read_toml(project_file, problems)
    say = _Say(problems, project_file, text)
    if not ID_RE.match(folder.name):
        say(f"the folder name {folder.name!r} is the project id: use lowercase letters, digits, -")
    if doc:
        check_project_toml(doc, say)
    brief = parse_brief(folder / BRIEF_FILE, problems)
    hooks = _hooks(folder / PREPARE_FILE, problems)
    if doc and (folder / PREPARE_FILE).is_file():
        _check_hooks(hooks, doc, folder / PREPARE_FILE, say)
    baseline = _pipeline(folder, "baseline", doc.get("baseline"), problems)
    reference = _pipeline(folder, "reference", doc.get("reference"), problems)
    if problems or brief is None:
        return None, problems
    project = ProjectFolder(
        path=folder,
        recipe=_recipe(folder, doc, stored),
        brief=brief,
        baseline=baseline,
        reference=reference,
        hooks=hooks,
        split=doc.get("split"),
        field=doc.get("field"),
        requires=tuple(doc.get("requires", ())),
        requires_line=_line_of(text, "requires", None),
        pitfall=doc.get("pitfall"),
    )
    return _with_build(project), problems


def _recipe(folder: Path, doc: Mapping[str, Any], stored: Path | None) -> Recipe:
    return Recipe(
        id=folder.name,
        title=doc["title"].strip(),
        task=doc["task"],
        metric=doc["metric"],
        level=doc["level"],
        skills=tuple(doc["skills"]),
        apply_elsewhere=tuple(doc["apply_elsewhere"]),
        summary=doc["summary"].strip(),
        gold_margin=float(doc["gold_margin"]),
        version=doc["version"],
        build=_unbuilt,
        stored=stored,
    )


def _unbuilt() -> Project:
    raise AssertionError("replaced by _with_build")


def load_folder(folder: Path) -> ProjectFolder:
    """One project folder, checked; a ConfigError lists every problem it has."""
    project, problems = read_folder(Path(folder))
    if project is None:
        raise ConfigError(f"project folder {folder} is not valid", problems=problems)
    return project


# Building ----------------------------------------------------------------------------------

_MODULES: dict[Path, ModuleType] = {}
_IMPORT_LOCK = threading.Lock()


def _module(folder: ProjectFolder) -> ModuleType:
    """prepare.py, imported by path once per process (it is not part of a package)."""
    file = (folder.path / PREPARE_FILE).resolve()
    with _IMPORT_LOCK:
        if file in _MODULES:
            return _MODULES[file]
        name = "trackrecord_project_" + re.sub(r"\W", "_", folder.recipe.id)
        spec = importlib.util.spec_from_file_location(name, file)
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[name] = module
        try:
            spec.loader.exec_module(module)
        except Exception as exc:
            del sys.modules[name]
            raise ConfigError(f"{file} failed to import: {type(exc).__name__}: {exc}") from exc
        _MODULES[file] = module
        return module


def _hook(folder: ProjectFolder, name: str) -> Callable[..., Any]:
    fn = getattr(_module(folder), name, None)
    if not callable(fn):
        raise ConfigError(f"{folder.path / PREPARE_FILE}: {name} is not a function")
    return fn  # type: ignore[no-any-return]


def _prepared(folder: ProjectFolder) -> Prepared:
    recipe = folder.recipe
    if "prepare" in folder.hooks:
        data = _hook(folder, "prepare")()
    else:
        table = _hook(folder, "load")()
        data = supervised(table, metric=recipe.metric, **dict(folder.split or {}))
    if not isinstance(data, Prepared):
        what = "prepare()" if "prepare" in folder.hooks else "load()"
        raise ConfigError(
            f"{folder.path / PREPARE_FILE}: {what} returned {type(data).__name__},"
            " expected " + ("a catalog.prepare.Prepared" if what == "prepare()" else "a DataFrame")
        )
    return data


def field_from_table(table: Mapping[str, Any], metric: str, data: Prepared) -> tuple[Any, ...]:
    """The standard field of a [field] table (catalog.fields)."""
    kind = table["kind"]
    if kind == "classification":
        default = get_metric(metric).kind is not InputKind.LABELS
        return _fields.classification_field(len(data.train), proba=table.get("proba", default))
    if kind == "regression":
        return _fields.regression_field(len(data.train), log=table.get("log", False))
    if kind == "text":
        return _fields.text_field(table["text"])
    return _fields.cluster_field(table["k"])


def _with_build(folder: ProjectFolder) -> ProjectFolder:
    """The folder, its recipe's build function reading prepare.py on call."""

    def build() -> Project:
        data = _prepared(folder)
        field: Sequence[Contender]
        if "field" in folder.hooks:
            field = tuple(_hook(folder, "field")(data))
        else:
            field = field_from_table(folder.field or {}, folder.recipe.metric, data)
        trivial = tuple(_hook(folder, "trivial")(data)) if "trivial" in folder.hooks else ()
        project = data.project(
            brief=folder.brief,
            baseline=folder.baseline.contender(),
            reference=folder.reference.contender(),
            field=field,
            trivial=trivial,
        )
        validate = folder.path / VALIDATE_FILE
        if validate.is_file():
            code = validate.read_text(encoding="utf-8")
            project = dataclasses.replace(project, validation_code=code)
        return project

    build.__qualname__ = build.__name__ = folder.recipe.id.replace("-", "_")
    recipe = Recipe(**{**folder.recipe.__dict__, "build": build, "files": folder.files})
    return ProjectFolder(**{**folder.__dict__, "recipe": recipe})


# A folder of folders -----------------------------------------------------------------------


def project_dirs(root: Path) -> list[Path]:
    """The project folders under `root`, by name (`.x` and `_x` folders are skipped)."""
    if not root.is_dir():
        raise ConfigError(f"projects folder {root} does not exist or is not a folder")
    return sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_")))


def read_dir(root: Path, stored: Path | None = None) -> list[ProjectFolder]:
    """Every project folder under `root`, checked; one ConfigError lists every problem of
    every folder. `stored`: where their measured numbers are kept (see read_folder)."""
    found: list[ProjectFolder] = []
    problems: list[Problem] = []
    for path in project_dirs(Path(root)):
        folder, wrong = read_folder(path, stored)
        problems += wrong
        if folder is not None:
            found.append(folder)
    if problems:
        bad = sorted({Path(p.file).parent.name for p in problems if p.file})
        raise ConfigError(
            f"{len(bad)} project folder(s) in {root} are not valid: {', '.join(bad)}",
            problems=problems,
        )
    return found


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m trackrecord.catalog.folders [DIR]`: check a folder of project folders
    (default: the built-in ones) and print every problem, or what it holds."""
    args = list(sys.argv[1:] if argv is None else argv)
    root = Path(args[0]) if args else BUILTIN_DIR
    try:
        found = read_dir(root)
    except ConfigError as exc:
        print(exc, file=sys.stderr)
        return 1
    print(f"{root}: {len(found)} project folder(s), no problems")
    return 0


if __name__ == "__main__":
    sys.exit(main())

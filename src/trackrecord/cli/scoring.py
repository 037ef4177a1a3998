"""Stateless commands: `score`, and `challenge check | pack | import`."""

from __future__ import annotations

import atexit
import functools
import gc
from pathlib import Path

import typer
from rich.table import Table

from trackrecord.cli.common import HomeOption, JsonOption, console, handle_errors, print_json
from trackrecord.cli.common import settings_from as _settings
from trackrecord.errors import InvalidBundle

challenge_app = typer.Typer(help="Check, pack and import challenge bundles.", no_args_is_help=True)
import_app = typer.Typer(
    help="Import a competition from another layout as a bundle.", no_args_is_help=True
)
challenge_app.add_typer(import_app, name="import")


@handle_errors
def score_cmd(
    bundle: Path = typer.Argument(..., help="A bundle folder or .zip."),
    file: Path = typer.Argument(..., help="A submission: CSV (plain or gzip) or Parquet."),
    json: bool = JsonOption,
    home: Path | None = HomeOption,
) -> None:
    """Score FILE against BUNDLE's answer key (nothing is recorded)."""
    from trackrecord.bundle import open_bundle
    from trackrecord.scoring import score
    from trackrecord.scoring.limits import ScoringLimits

    _freeze_at_exit()
    settings = _settings(home)
    opened = open_bundle(bundle, cache_dir=settings.cache_dir / "bundles")
    limits = ScoringLimits.from_settings(settings)
    result = score(
        opened,
        file,
        max_bytes=settings.max_upload_bytes,
        cache_dir=settings.cache_dir,
        limits=limits,
    )
    if json:
        print_json(
            {
                "metric": result.metric,
                "public": result.public,
                "private": result.private,
                "rows": result.rows,
            }
        )
        return
    console.print(
        f"metric   {result.metric} ({'higher' if result.greater_is_better else 'lower'} is better)"
    )
    console.print(f"public   {result.public:.6f}  ({result.public_rows} rows)")
    console.print(f"private  {result.private:.6f}  ({result.private_rows} rows)")
    console.print(f"rows     {result.rows}")


@functools.cache
def _freeze_at_exit() -> None:
    """Python's collection of every object when the process ends took 0.1-0.2 s of a 0.6 s
    `trackrecord score` (docs/benchmarks.md); the objects left are frozen at exit instead.
    Nothing this command leaves needs a reference cycle collected: its files are closed
    where they are written, and the interpreter flushes stdout either way."""
    atexit.register(gc.freeze)


@challenge_app.command("check")
@handle_errors
def check_cmd(
    path: Path = typer.Argument(..., help="A bundle folder or .zip."),
    json: bool = JsonOption,
) -> None:
    """Report every problem of a bundle at once; exit 0 when it is clean."""
    from trackrecord.bundle.check import check_bundle

    problems = check_bundle(path)
    if json:
        print_json({"ok": not problems, "problems": [p.to_dict() for p in problems]})
        if problems:
            raise typer.Exit(1)
        return
    if problems:
        raise InvalidBundle(f"{path} has {len(problems)} problem(s)", problems=problems)
    console.print(f"[green]ok[/]: {path} is a valid bundle")


@challenge_app.command("pack")
@handle_errors
def pack_cmd(
    folder: Path = typer.Argument(..., help="A bundle folder."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Zip file or folder to write to."),
) -> None:
    """Check a bundle folder and write it as a reproducible .zip."""
    from trackrecord.bundle import pack_bundle
    from trackrecord.bundle.check import check_bundle

    problems = check_bundle(folder)
    if problems:
        raise InvalidBundle(
            f"{folder} has {len(problems)} problem(s); not packed", problems=problems
        )
    console.print(f"wrote {pack_bundle(folder, out)}")


def _import(kind: str, source: Path, metric: str, out: Path | None, **extra: object) -> None:
    from trackrecord.bundle.check import check_bundle
    from trackrecord.bundle.importers import ImportOptions, run_importer

    # Default: a folder named after the competition (a file's folder, or the folder itself).
    named = source.resolve().parent if source.is_file() else source.resolve()
    dest = out or Path.cwd() / named.name
    if dest.exists() and any(dest.iterdir()):
        raise InvalidBundle(f"{dest} already exists and is not empty; choose --out")
    written = run_importer(kind, source, ImportOptions(metric=metric, dest=dest, **extra))  # type: ignore[arg-type]
    problems = check_bundle(written)
    if problems:
        raise InvalidBundle(
            f"imported to {written}, but it does not check clean", problems=problems
        )
    console.print(f"[green]ok[/]: wrote bundle {written}")


@import_app.command("kaggle")
@handle_errors
def import_kaggle_cmd(
    folder: Path = typer.Argument(
        ..., help="Folder with train.csv, test.csv, sample_submission.csv and solution.csv."
    ),
    metric: str = typer.Option(..., "--metric", help="Metric name (see docs/metrics.md)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Bundle folder to write."),
    from_train: bool = typer.Option(
        False, "--from-train", help="No solution.csv: re-split train.csv instead."
    ),
    seed: int = typer.Option(0, "--seed", help="Seed for --from-train's split."),
    challenge_id: str | None = typer.Option(None, "--id", help="Challenge id (default: folder)."),
    title: str | None = typer.Option(None, "--title"),
) -> None:
    """Import a Kaggle-style folder as a bundle."""
    _import(
        "kaggle",
        folder,
        metric,
        out,
        from_train=from_train,
        seed=seed,
        challenge_id=challenge_id,
        title=title,
    )


@import_app.command("hf")
@handle_errors
def import_hf_cmd(
    file: Path = typer.Argument(..., help="solution.csv with a public/private `split` column."),
    metric: str = typer.Option(..., "--metric", help="Metric name (see docs/metrics.md)."),
    out: Path | None = typer.Option(None, "--out", "-o", help="Bundle folder to write."),
    challenge_id: str | None = typer.Option(None, "--id", help="Challenge id (default: folder)."),
    title: str | None = typer.Option(None, "--title"),
) -> None:
    """Import a Hugging Face competitions solution.csv as a bundle."""
    _import("hf", file, metric, out, challenge_id=challenge_id, title=title)


def _metrics_table() -> Table:
    from trackrecord.metrics import all_metrics

    table = Table("metric", "direction", "input", "description")
    for m in all_metrics():
        table.add_row(m.name, m.direction.value, m.kind.value, m.description)
    return table


@handle_errors
def metrics_cmd(json: bool = JsonOption) -> None:
    """List the registered metrics."""
    from trackrecord.metrics import all_metrics

    if json:
        print_json(
            [
                {
                    "name": m.name,
                    "direction": m.direction.value,
                    "kind": m.kind.value,
                    "description": m.description,
                }
                for m in all_metrics()
            ]
        )
        return
    console.print(_metrics_table())


def register(app: typer.Typer) -> None:
    app.command("score")(score_cmd)
    app.command("metrics")(metrics_cmd)
    app.add_typer(challenge_app, name="challenge")

"""The settings table: environment round trip (what `serve --workers` relies on) and
validation of the process counts."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trackrecord.errors import ConfigError
from trackrecord.settings import Settings, load_settings, to_environment

text = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda v: v.strip() != "")
optional = st.none() | text
positive = st.integers(min_value=1, max_value=10_000)


@st.composite
def any_settings(draw: st.DrawFn) -> Settings:
    return Settings(
        home=Path("/") / draw(st.from_regex(r"[a-z][a-z0-9_/]{0,20}", fullmatch=True)),
        database_url=draw(optional),
        db_pool_size=draw(positive),
        max_upload_mb=draw(positive),
        hosted=draw(st.booleans()),
        host=draw(text),
        port=draw(st.integers(min_value=1, max_value=65535)),
        workers=draw(positive),
        secret_key=draw(optional),
        invite_code=draw(optional),
        server=draw(optional),
        rate_limit_url=draw(optional),
    )


@given(any_settings())
@settings(max_examples=200)
def test_the_environment_gives_back_the_same_settings(original: Settings) -> None:
    environ = to_environment(original)
    assert all(name.startswith("TRACKRECORD_") for name in environ)
    assert load_settings(environ=environ) == original


@pytest.mark.parametrize(
    ("name", "field"),
    [("TRACKRECORD_WORKERS", "workers"), ("TRACKRECORD_DB_POOL_SIZE", "db_pool_size")],
)
def test_process_and_connection_counts_must_be_positive(name: str, field: str) -> None:
    with pytest.raises(ConfigError, match=f"{field} must be a positive"):
        load_settings(environ={name: "0"})
    with pytest.raises(ConfigError, match=name):
        load_settings(environ={name: "two"})
    assert getattr(load_settings(environ={name: "3"}), field) == 3
    assert getattr(load_settings(environ={}), field) == getattr(Settings, field)  # the default

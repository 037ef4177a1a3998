"""Films listed on IMDb with their genre flags: a fixed random sample of 12,000."""

from collections.abc import Sequence

from trackrecord.catalog import multilabel
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

GENRES = ["Action", "Animation", "Comedy", "Drama", "Documentary", "Romance", "Short"]
SAMPLE = 12_000


def prepare() -> Prepared:
    df = rdata("ggplot2movies", "movies").sample(n=SAMPLE, random_state=58).sort_index()
    return multilabel.prepare(
        with_ids(df), labels=GENRES, metric="hamming_loss", seed=58, test_size=0.35
    )


def field(data: Prepared) -> Sequence[Contender]:
    # the standard pipelines read the numbers and the rating; the title is free text
    numbers = [c for c in data.test.columns if c not in ("id", "title")]
    return multilabel.multilabel_field(numbers)

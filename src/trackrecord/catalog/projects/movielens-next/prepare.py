"""What will they watch next? MovieLens ratings as implicit feedback (dslabs' movielens):
a rating only says the user watched the movie. Half of the users' later halves are held out;
each of them ranks the 300 most watched movies of train they have not watched yet."""

from collections.abc import Sequence

from trackrecord.catalog.implicit import Log, implicit_field, later_candidates
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

COLUMNS = Log("userId", "movieId", "timestamp", ("title", "year", "genres"))


def prepare() -> Prepared:
    df = rdata("dslabs", "movielens")
    df["genres"] = df["genres"].astype(str)
    df = df.sort_values(["timestamp", "userId", "movieId"], kind="stable")
    df = with_ids(df[["userId", "movieId", "title", "year", "genres", "timestamp"]])
    return later_candidates(df, COLUMNS, share=0.5, pool=300, seed=11)


def field(data: Prepared) -> Sequence[Contender]:
    return implicit_field(COLUMNS)

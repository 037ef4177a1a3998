"""Students who took a college's mathematics placement exam, and the grade they then got in
their first mathematics course."""

from collections.abc import Sequence

import pandas as pd

from trackrecord.catalog.model import Contender
from trackrecord.catalog.ordinal import ordinal_field
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

# Letter grades, worst first: the grade points the metric reads are their positions.
GRADES = ("F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+")


def load() -> pd.DataFrame:
    df = rdata("Stat2Data", "MathPlacement")
    # S, W and I (satisfactory, withdrawn, incomplete) and missing grades are no letter grade.
    df = df[df["Grade"].isin(GRADES)].copy()
    df["grade"] = df["Grade"].map({g: i for i, g in enumerate(GRADES)}).astype(int)
    # Student is the source's id; CourseSuccess is the grade itself (B- or better);
    # Gender is missing for four students in five.
    df = df.drop(columns=["Student", "Grade", "CourseSuccess", "Gender"])
    df["Course"] = df["Course"].astype(str)
    return with_ids(df)


def field(data: Prepared) -> Sequence[Contender]:
    return ordinal_field()

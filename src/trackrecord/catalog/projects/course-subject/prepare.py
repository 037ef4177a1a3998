"""UCLA's courses of Fall 2018 (openintro `ucla_f18`): which department teaches a course, from
its title. Titles that three or more departments share ("Teaching Apprentice Practicum")
and departments with fewer than 40 courses are left out; seeded ids."""

import pandas as pd

from trackrecord.catalog.prepare import rdata
from trackrecord.catalog.splits import with_ids

MIN_COURSES = 40  # departments with fewer courses are left out
SHARED = 3  # a title given by this many departments or more says nothing about one


def load() -> pd.DataFrame:
    df = rdata("openintro", "ucla_f18")
    departments = df.groupby("course")["subject"].nunique()
    df = df[~df["course"].isin(departments[departments >= SHARED].index)]
    sizes = df["subject"].value_counts()
    df = df[df["subject"].isin(sizes[sizes >= MIN_COURSES].index)]
    keep = ["course", "course_num", "course_numeric", "seminar", "ind_study", "apprenticeship"]
    keep += ["internship", "laboratory", "special_topic", "subject"]
    return with_ids(df[keep].reset_index(drop=True))

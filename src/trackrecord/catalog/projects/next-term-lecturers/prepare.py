"""Which lecturers next term? ETH Zurich's lecture evaluations (lme4's InstEval) as implicit
feedback: a student who evaluated a lecture attended it. The latest of the six terms is the
future for everyone; a quarter of the students with three or more earlier evaluations rank
the 250 most attended lecturers of the earlier terms that they have not had yet."""

from collections.abc import Sequence

from trackrecord.catalog.contenders import FunctionContender
from trackrecord.catalog.implicit import Log, implicit_field, time_cut_candidates, transitions
from trackrecord.catalog.model import Contender
from trackrecord.catalog.prepare import Prepared, rdata
from trackrecord.catalog.splits import with_ids

COLUMNS = Log("student", "lecturer", "term", ("home_dept",), ("study_semester",))
LATEST = 6  # term 6 is the latest term the survey covers (lectage 1); terms 1-5 come before


def prepare() -> Prepared:
    df = rdata("lme4", "InstEval").rename(
        columns={"s": "student", "d": "lecturer", "studage": "study_semester"}
    )
    df["term"] = LATEST + 1 - df["lectage"]  # lectage: how many terms back the lecture was
    earlier = df[df["term"] < LATEST]
    # a lecturer's own department: where most of their earlier lectures were held
    home = earlier.groupby("lecturer")["dept"].agg(lambda s: s.value_counts().index[0])
    df["home_dept"] = df["lecturer"].map(home).astype("Int64")  # none for new lecturers
    df = df.sort_values(["term", "student", "lecturer"], kind="stable")
    columns = ["student", "study_semester", "lecturer", "term", "dept", "service", "home_dept"]
    df = with_ids(df[columns])
    return time_cut_candidates(df, COLUMNS, cut=LATEST, share=0.25, pool=250, seed=17)


def field(data: Prepared) -> Sequence[Contender]:
    user, item, time = COLUMNS.user, COLUMNS.item, COLUMNS.time
    return (
        *implicit_field(COLUMNS),
        FunctionContender(
            "what came next: lecturers that followed the student's last term's",
            transitions(user, item, time, gaps=(1,)),
        ),
        FunctionContender(
            "what came next, one and two terms on", transitions(user, item, time, gaps=(1, 2))
        ),
    )

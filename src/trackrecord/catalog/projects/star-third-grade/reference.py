from sklearn.impute import SimpleImputer
from sklearn.linear_model import RidgeCV
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

EARLIER = ["k", "1", "2"]


def features(df):
    out = pd.DataFrame(index=df.index)
    for subject in ["math", "read"]:
        scores = df[[f"{subject}{g}" for g in EARLIER]]
        # pupils joined the study in different grades: the latest score there is, and
        # flags saying which grades are missing, rather than one imputed column per grade
        out[f"{subject}_latest"] = scores.ffill(axis=1).iloc[:, -1]
        out[f"{subject}_mean"] = scores.mean(axis=1)
        for g in EARLIER:
            out[f"{subject}{g}"] = df[f"{subject}{g}"]
            out[f"{subject}{g}_missing"] = df[f"{subject}{g}"].isna().astype(float)
    out["years_in_study"] = df[[f"star{g}" for g in EARLIER]].notna().sum(axis=1)
    out["small_class_years"] = (df[[f"star{g}" for g in [*EARLIER, "3"]]] == "small").sum(axis=1)
    out["small3"] = (df["star3"] == "small").astype(float)
    out["aide3"] = (df["star3"] == "regular+aide").astype(float)
    out["free_lunch3"] = (df["lunch3"] == "free").astype(float)
    out["free_lunch_years"] = (df[[f"lunch{g}" for g in [*EARLIER, "3"]]] == "free").sum(axis=1)
    out["afam"] = (df["ethnicity"] == "afam").astype(float)
    out["female"] = (df["gender"] == "female").astype(float)
    year, quarter = df["birth"].str.slice(0, 4), df["birth"].str.slice(6, 7)
    out["born"] = pd.to_numeric(year) + (pd.to_numeric(quarter) - 1) / 4  # older is earlier
    out["teacher_experience3"] = df["experience3"]
    out["teacher_master3"] = df["degree3"].isin(["master", "specialist"]).astype(float)
    for place in ["inner-city", "suburban", "rural", "urban"]:
        out[f"school_{place}"] = (df["school3"] == place).astype(float)
    # The test schools are new, but their pupils' earlier scores and lunches are in the file:
    # describe each school by its own rows (never by anyone's grade-3 score)
    school = df["school"]
    for column in ["math_latest", "read_latest", "free_lunch3", "afam"]:
        out[f"school_mean_{column}"] = out.groupby(school)[column].transform("mean")
    out["math_vs_school"] = out["math_latest"] - out["school_mean_math_latest"]
    return out


model = make_pipeline(
    SimpleImputer(strategy="median"),
    StandardScaler(),
    RidgeCV(alphas=np.logspace(-2, 3, 21)),
)
model.fit(features(train), train["math3"])

submission = pd.DataFrame({"id": test["id"]})
submission["math3"] = model.predict(features(test))

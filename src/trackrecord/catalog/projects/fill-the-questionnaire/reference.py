import warnings

from sklearn.experimental import enable_iterative_imputer  # noqa: F401
from sklearn.impute import IterativeImputer

# 1. The questionnaire as a matrix: one row per person, one column per statement, empty where
#    the answer is hidden (or was never given).
people = sorted(set(train["person"]) | set(test["person"]))
matrix = train.pivot_table(index="person", columns="item", values="answer")
matrix = matrix.reindex(people)
items = list(matrix.columns)

# 2. What we know of each person besides the answers: gender, age and education (one column
#    per level; education is missing for some).
info = pd.concat([train, test])[["person", "gender", "age", "education"]]
info = info.drop_duplicates("person").set_index("person").reindex(people)
levels = pd.get_dummies(info["education"].astype("Int64").astype(str), prefix="edu", dtype=float)
table = pd.concat([matrix, info[["gender", "age"]], levels], axis=1).to_numpy(float)

# 3. Chained regressions: each statement is regressed (Bayesian ridge) on all the others and
#    the person's details, filling the gaps with the predictions, round after round. The 25
#    statements measure five traits, so each answer is well predicted by the others, most of
#    all by those of the same trait (negatively for the reverse-keyed ones).
with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # "early stopping criterion not reached" is harmless here
    filled = IterativeImputer(max_iter=10, random_state=0).fit_transform(table)
filled = pd.DataFrame(filled[:, : len(items)], index=people, columns=items)

# 4. Read the hidden cells; answers run from 1 to 6, so keep predictions inside.
stacked = filled.stack()
cells = pd.MultiIndex.from_arrays([test["person"], test["item"]])
submission = pd.DataFrame({"id": test["id"]})
submission["answer"] = np.clip(stacked.reindex(cells).to_numpy(), 1, 6)

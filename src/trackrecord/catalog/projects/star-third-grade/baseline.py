from sklearn.compose import make_column_transformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LinearRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import OneHotEncoder

# The maths score at entry to the study (kindergarten; the training average for pupils who
# joined later) and free lunch in grade 3; later scores and the school are still unused
preprocess = make_column_transformer(
    (SimpleImputer(strategy="mean"), ["mathk"]),
    (OneHotEncoder(handle_unknown="ignore"), ["lunch3"]),
)
model = make_pipeline(preprocess, LinearRegression())
model.fit(train[["mathk", "lunch3"]], train["math3"])

submission = pd.DataFrame({"id": test["id"]})
submission["math3"] = model.predict(test[["mathk", "lunch3"]])

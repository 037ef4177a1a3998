from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

labels = ["N1_agrees", "N2_agrees", "N3_agrees", "N4_agrees", "N5_agrees"]
features = ["E1", "E2"]  # two extraversion items
# one logistic regression per statement, each on its own: 1 where P(agrees) > 0.5
model = make_pipeline(
    SimpleImputer(strategy="median"),
    StandardScaler(),
    MultiOutputClassifier(LogisticRegression()),
)
model.fit(train[features], train[labels])

submission = pd.DataFrame({"id": test["id"]})
submission[labels] = model.predict(test[features])

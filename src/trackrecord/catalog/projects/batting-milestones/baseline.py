from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

labels = ["hr_20", "sb_20", "avg_300", "games_140", "rbi_100"]
features = ["g", "hr", "sb"]  # this season's games, home runs and stolen bases
# one logistic regression per milestone, each on its own: 1 where P(milestone) > 0.5
model = make_pipeline(
    SimpleImputer(strategy="median"),
    StandardScaler(),
    MultiOutputClassifier(LogisticRegression()),
)
model.fit(train[features], train[labels])

submission = pd.DataFrame({"id": test["id"]})
submission[labels] = model.predict(test[features])

from sklearn.linear_model import LogisticRegression
from sklearn.multioutput import MultiOutputClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

labels = ["won_division", "won_wild_card", "won_pennant", "won_world_series"]
features = ["wins", "losses"]
# one logistic regression per honour, each on its own: 1 where P(honour) > 0.5
model = make_pipeline(StandardScaler(), MultiOutputClassifier(LogisticRegression()))
model.fit(train[features], train[labels])

submission = pd.DataFrame({"id": test["id"]})
submission[labels] = model.predict(test[features])

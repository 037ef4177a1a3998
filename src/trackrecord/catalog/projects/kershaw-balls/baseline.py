from sklearn.tree import DecisionTreeClassifier

features = ["HPos", "VPos"]
# A depth-2 tree on where the pitch crosses the plate: one rough box for the strike zone.
model = DecisionTreeClassifier(max_depth=2, random_state=0)
model.fit(train[features], train["ball"])

submission = pd.DataFrame({"id": test["id"]})
submission["ball"] = model.predict(test[features])

from sklearn.cluster import KMeans

features = ["wing", "weight", "culmen", "hallux", "tail"]
rows = pd.concat([train[features], test[features]], ignore_index=True)
model = KMeans(n_clusters=3, n_init=10, random_state=0).fit(rows)

submission = pd.DataFrame({"id": test["id"]})
submission["species"] = model.labels_[len(train) :]

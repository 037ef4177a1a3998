from sklearn.cluster import KMeans

features = [c for c in test.columns if c != 'id']
rows = pd.concat([train[features], test[features]], ignore_index=True)
model = KMeans(n_clusters=2, n_init=10, random_state=0).fit(rows)

submission = pd.DataFrame({'id': test['id']})
submission['diagnosis'] = model.labels_[len(train):]

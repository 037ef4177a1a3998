from sklearn.cluster import KMeans

features = ['palmitic', 'palmitoleic', 'stearic', 'oleic', 'linoleic', 'linolenic', 'arachidic', 'eicosenoic']
rows = pd.concat([train[features], test[features]], ignore_index=True)
model = KMeans(n_clusters=9, n_init=10, random_state=0).fit(rows)

submission = pd.DataFrame({'id': test['id']})
submission['area'] = model.labels_[len(train):]

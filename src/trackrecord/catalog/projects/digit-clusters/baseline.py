from sklearn.cluster import KMeans

features = ['px_0_0', 'px_0_1', 'px_0_2', 'px_0_3', 'px_0_4', 'px_0_5', 'px_0_6', 'px_0_7', 'px_1_0', 'px_1_1', 'px_1_2', 'px_1_3', 'px_1_4', 'px_1_5', 'px_1_6', 'px_1_7', 'px_2_0', 'px_2_1', 'px_2_2', 'px_2_3', 'px_2_4', 'px_2_5', 'px_2_6', 'px_2_7', 'px_3_0', 'px_3_1', 'px_3_2', 'px_3_3', 'px_3_4', 'px_3_5', 'px_3_6', 'px_3_7', 'px_4_0', 'px_4_1', 'px_4_2', 'px_4_3', 'px_4_4', 'px_4_5', 'px_4_6', 'px_4_7', 'px_5_0', 'px_5_1', 'px_5_2', 'px_5_3', 'px_5_4', 'px_5_5', 'px_5_6', 'px_5_7', 'px_6_0', 'px_6_1', 'px_6_2', 'px_6_3', 'px_6_4', 'px_6_5', 'px_6_6', 'px_6_7', 'px_7_0', 'px_7_1', 'px_7_2', 'px_7_3', 'px_7_4', 'px_7_5', 'px_7_6', 'px_7_7']
rows = pd.concat([train[features], test[features]], ignore_index=True)
model = KMeans(n_clusters=10, n_init=10, random_state=0).fit(rows)

submission = pd.DataFrame({'id': test['id']})
submission['digit'] = model.labels_[len(train):]

from sklearn.cluster import AgglomerativeClustering
from sklearn.preprocessing import StandardScaler

# No labels anywhere: cluster the oils of train and test together, keep the test rows.
acids = [c for c in test.columns if c != "id"]
oils = pd.concat([train[acids], test[acids]], ignore_index=True)

# Standardize: oleic acid (about 70% of every oil) would otherwise decide every distance.
scaled = StandardScaler().fit_transform(oils)

# Average linkage merges the closest groups by their mean distance: it follows areas of
# very different sizes and shapes better than k-means or Ward, which favour equal, round
# clusters.
clusters = AgglomerativeClustering(n_clusters=9, linkage="average").fit_predict(scaled)

submission = pd.DataFrame({"id": test["id"]})
submission["area"] = clusters[len(train) :]

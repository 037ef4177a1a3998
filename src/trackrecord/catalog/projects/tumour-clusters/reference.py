from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

# No labels anywhere: cluster the masses of train and test together, keep the test rows.
# Keep the mean and the worst (largest) value of each nucleus measurement; drop the `_se`
# columns: they say how much the nuclei of one image differ, mostly measurement noise.
features = [c for c in test.columns if c.endswith(("_mean", "_worst"))]
masses = pd.concat([train[features], test[features]], ignore_index=True)

# Logarithms: areas, concavities and radii are skewed and grow in proportion to each other;
# on the log scale a big nucleus is not an outlier that drags a cluster centre. Some
# concavities are exactly 0, hence the small offset.
logs = np.log(masses + 0.001)

# Standardize, so areas (hundreds of square units) and smoothness (about 0.1) count alike,
# then k-means into 2 groups.
scaled = StandardScaler().fit_transform(logs)
clusters = KMeans(n_clusters=2, n_init=10, random_state=0).fit_predict(scaled)

submission = pd.DataFrame({"id": test["id"]})
submission["diagnosis"] = clusters[len(train) :]

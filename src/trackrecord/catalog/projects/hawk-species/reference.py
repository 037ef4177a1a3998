from sklearn.cluster import KMeans
from sklearn.preprocessing import StandardScaler

# No labels anywhere: cluster the birds of train and test together, keep the test rows.
features = ["wing", "weight", "culmen", "hallux", "tail"]
birds = pd.concat([train[features], test[features]], ignore_index=True)

# 1. Logarithms: a bird twice as big is twice as big in every measurement, so on the log
#    scale the species differ by a shift of the same size whatever the unit. The log also
#    pulls in the handful of wild values (a hallux of 341 mm is a typo for 34.1).
logs = np.log(birds)

# 2. Standardize, so weight (grams) and bill (millimetres) count alike.
scaled = StandardScaler().fit_transform(logs)

# 3. k-means into 3 groups. On the log scale the species are round clouds of similar spread,
#    which is the shape k-means assumes.
clusters = KMeans(n_clusters=3, n_init=10, random_state=0).fit_predict(scaled)

submission = pd.DataFrame({"id": test["id"]})
submission["species"] = clusters[len(train) :]

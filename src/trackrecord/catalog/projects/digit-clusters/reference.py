from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import PCA
from sklearn.manifold import TSNE

# No labels anywhere: cluster train and test images together, keep the test rows.
pixels = [c for c in test.columns if c.startswith("px_")]
images = pd.concat([train[pixels], test[pixels]], ignore_index=True).to_numpy(float)

# 1. PCA to 30 dimensions keeps the strokes, drops pixel noise and speeds up t-SNE.
compressed = PCA(n_components=30, random_state=0).fit_transform(images)

# 2. t-SNE draws a 2-D map where each image sits near its nearest neighbours: images of
#    one digit gather into an island. t-SNE cannot place new points later, which is why
#    train and test are embedded together.
tsne = TSNE(n_components=2, perplexity=30, init="pca", random_state=0, n_jobs=1)
embedded = tsne.fit_transform(compressed)

# 3. Ward clustering into 10 groups turns the islands into clusters.
clusters = AgglomerativeClustering(n_clusters=10, linkage="ward").fit_predict(embedded)

submission = pd.DataFrame({"id": test["id"]})
submission["digit"] = clusters[len(train) :]

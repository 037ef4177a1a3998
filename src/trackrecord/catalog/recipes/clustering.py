"""Clustering projects: hidden labels judge how well the groups found match reality."""

from __future__ import annotations

from trackrecord.catalog.baselines import kmeans_baseline
from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.fields import cluster_field, embedding_cluster_field
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import rdata, unsupervised
from trackrecord.catalog.recipes.images import PIXELS_DOC, digits_frame, pixel_columns
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids

ARI_WHY = (
    "The adjusted Rand index compares your grouping of the test rows with the hidden true"
    " groups: 1 is a perfect match, 0 is what random groups get. Cluster numbers are"
    " arbitrary; only which rows you put together counts."
)

CLUSTER_VALIDATION = (
    "There are no labels to validate on, so check what you can without them: fit your"
    " pipeline several times with different seeds (or on bootstrap resamples of the rows)"
    " and print `sklearn.metrics.adjusted_rand_score` between the runs' cluster numbers"
    " (a stable grouping agrees with itself, near 1), and print"
    " `sklearn.metrics.silhouette_score` on the space you cluster in. Look at the cluster"
    " sizes. The public score is only a rough check: it has 30% of the test rows."
)

OLIVE_REFERENCE = """\
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
"""


@recipe(
    "olive-clusters",
    title="Where does this olive oil come from?",
    task="clustering",
    metric="adjusted_rand",
    level=2,
    skills=("clustering", "scaling", "dimensionality-reduction"),
    apply_elsewhere=("digit-clusters",),
    summary="Group Italian olive oils by their fatty-acid profile and recover the nine"
    " areas they come from, without labels.",
    gold_margin=0.02,
    version="2",
)
def olive_clusters() -> Project:
    df = rdata("dslabs", "olive").drop(columns=["region"])
    # 440 of the 572 oils are test rows, so the private 70% holds more than 300 of them;
    # train.csv only adds unlabelled oils, which a clusterer may use just as well. (Seed 94:
    # on 132 train rows the rules' id-order check, |Spearman| < 0.1, fails for many seeds
    # by chance alone.)
    data = unsupervised(with_ids(df), metric="adjusted_rand", target="area", test_size=440, seed=94)
    features = [c for c in data.test.columns if c != "id"]
    return data.project(
        brief=Brief(
            source="R package dslabs, data set `olive` (Forina et al. 1983).",
            about="572 olive oils from Italy with the percentage of eight fatty acids in each."
            " The oils come from nine areas (such as Calabria, Sicily, Umbria or inland"
            " Sardinia), hidden here: group the oils into 9 clusters. Both files are"
            " unlabelled; cluster the rows of `test.csv` (using `train.csv` too if it helps).",
            target="A cluster number for each test row, with 9 clusters.",
            metric_why=ARI_WHY,
            columns={
                "palmitic": "percent palmitic acid (saturated, 6 to 18)",
                "palmitoleic": "percent palmitoleic acid",
                "stearic": "percent stearic acid",
                "oleic": "percent oleic acid, the main fatty acid of olive oil (63 to 84)",
                "linoleic": "percent linoleic acid",
                "linolenic": "percent linolenic acid",
                "arachidic": "percent arachidic acid",
                "eicosenoic": "percent eicosenoic acid (near 0 outside the south)",
            },
            pitfalls=(
                "The columns are percentages on very different scales: oleic acid is about"
                " 70, eicosenoic often under 0.1. Unscaled, distances are almost only oleic"
                " acid, and the small acids that tell areas apart are ignored.",
                "The areas differ a lot in size (South Apulia has over 200 oils, several"
                " areas fewer than 40) and shape; k-means and Ward prefer equal, round"
                " clusters, so they split the big area and merge small ones.",
                "Cluster numbers are arbitrary: there is nothing to match to area names, and"
                " renumbering clusters changes nothing.",
                "The public board holds 132 oils: its ARI moves by several points with luck,"
                " so choosing among many pipelines by their public score overfits it.",
            ),
            validation=CLUSTER_VALIDATION,
            split_why="The oils are independent samples with no time order. The test set is a"
            " random 440 of the 572 oils, stratified by area so every area is in it, large so"
            " the private split holds over 300 oils. train.csv adds unlabelled oils you may"
            " cluster together with the test rows.",
        ),
        baseline=kmeans_baseline(
            data.spec,
            features=features,
            k=9,
            explanation="k-means with 9 clusters on the raw percentages: oleic acid, the"
            " largest, dominates the distances.",
        ),
        reference=CodeContender(
            "reference: average-link clustering on standardized features",
            OLIVE_REFERENCE,
            "Standardize the eight acids, then average-link hierarchical clustering into 9"
            " groups, on train and test rows together.",
        ),
        field=cluster_field(9),
    )


DIGIT_CLUSTERS_REFERENCE = """\
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
"""


@recipe(
    "digit-clusters",
    title="Find the ten digits without labels",
    task="clustering",
    metric="adjusted_rand",
    level=3,
    skills=("clustering", "dimensionality-reduction", "images"),
    apply_elsewhere=("olive-clusters", "digits-8x8"),
    summary="Group 8x8 images of handwritten digits into ten clusters that match the digits,"
    " without ever seeing a label.",
    gold_margin=0.02,
    version="2",
)
def digit_clusters() -> Project:
    data = unsupervised(
        with_ids(digits_frame()), metric="adjusted_rand", target="digit", test_size=0.45, seed=97
    )
    features = [c for c in data.test.columns if c != "id"]
    return data.project(
        brief=Brief(
            source="scikit-learn, `load_digits` (UCI Optical Recognition of Handwritten Digits).",
            about="1797 handwritten digits, 8x8 cells each, without their labels. "
            + PIXELS_DOC
            + " Group the test images into 10 clusters; `train.csv` holds more unlabelled"
            " images you may cluster with them.",
            target="A cluster number for each test image, with 10 clusters.",
            metric_why=ARI_WHY,
            columns=pixel_columns(),
            pitfalls=(
                "Standardizing the pixels hurts here: the border cells are almost always"
                " blank, and scaling them to unit variance turns rare specks into features as"
                " loud as the strokes.",
                "Distances between raw 64-pixel vectors mix digits that share strokes (1, 7"
                " and 9; 3, 5 and 8): k-means on raw pixels merges some digits and splits"
                " others. A nonlinear map (t-SNE on a PCA compression) separates them far"
                " better.",
                "t-SNE is random and has no `transform` for new rows: fix `random_state` and"
                " embed train and test images together, in one call.",
                "Cluster numbers are arbitrary: nothing to match to digits, only which images"
                " share a cluster counts.",
            ),
            validation=CLUSTER_VALIDATION,
            split_why="The images are independent, with no time order and no writer ids."
            " The test set is a random 45% of them, stratified by the hidden digit so all ten"
            " appear in the same shares; train.csv adds unlabelled images you may cluster"
            " together with the test rows.",
        ),
        baseline=kmeans_baseline(
            data.spec,
            features=features,
            k=10,
            explanation="k-means with 10 clusters on the raw pixels.",
        ),
        reference=CodeContender(
            "reference: PCA (30) + t-SNE + Ward",
            DIGIT_CLUSTERS_REFERENCE,
            "Compress the pixels with PCA, map them to two dimensions with t-SNE, where each"
            " digit forms an island, and cut the map into 10 clusters with Ward linkage.",
        ),
        field=(*cluster_field(10), *embedding_cluster_field(10)),
    )

"""Clustering projects: hidden labels judge how well the groups found match reality."""

from __future__ import annotations

from sklearn.cluster import AgglomerativeClustering
from sklearn.decomposition import PCA
from sklearn.mixture import GaussianMixture
from sklearn.preprocessing import StandardScaler

from trackrecord.catalog.baselines import kmeans_baseline
from trackrecord.catalog.contenders import ClusterContender
from trackrecord.catalog.fields import SEED, FitPredict, cluster_field
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import rdata, unsupervised
from trackrecord.catalog.recipes.images import PIXELS_DOC, digits_frame
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids

ARI_WHY = (
    "The adjusted Rand index compares your grouping of the test rows with the hidden true"
    " groups: 1 is a perfect match, 0 is what random groups get. Cluster numbers are"
    " arbitrary; only which rows you put together counts."
)


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
)
def olive_clusters() -> Project:
    df = rdata("dslabs", "olive").drop(columns=["region"])
    data = unsupervised(with_ids(df), metric="adjusted_rand", target="area", test_size=320, seed=89)
    features = [c for c in data.test.columns if c != "id"]
    model = lambda X: FitPredict(  # noqa: E731
        StandardScaler(), AgglomerativeClustering(9, linkage="average")
    )
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
                "palmitic": "percent palmitic acid",
                "palmitoleic": "percent palmitoleic acid",
                "stearic": "percent stearic acid",
                "oleic": "percent oleic acid",
                "linoleic": "percent linoleic acid",
                "linolenic": "percent linolenic acid",
                "arachidic": "percent arachidic acid",
                "eicosenoic": "percent eicosenoic acid",
            },
        ),
        baseline=kmeans_baseline(
            data.spec,
            features=features,
            k=9,
            explanation="k-means with 9 clusters on the raw percentages: oleic acid, the"
            " largest, dominates the distances.",
        ),
        reference=ClusterContender(
            "reference: average-link clustering on standardized features", model
        ),
        field=cluster_field(9),
    )


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
)
def digit_clusters() -> Project:
    data = unsupervised(
        with_ids(digits_frame()), metric="adjusted_rand", target="digit", test_size=0.45, seed=97
    )
    features = [c for c in data.test.columns if c != "id"]
    model = lambda X: FitPredict(  # noqa: E731
        PCA(30, random_state=SEED), GaussianMixture(10, n_init=3, random_state=SEED)
    )
    return data.project(
        brief=Brief(
            source="scikit-learn, `load_digits` (UCI Optical Recognition of Handwritten Digits).",
            about="1797 handwritten digits, 8x8 cells each, without their labels. "
            + PIXELS_DOC
            + " Group the test images into 10 clusters; `train.csv` holds more unlabelled"
            " images you may cluster with them.",
            target="A cluster number for each test image, with 10 clusters.",
            metric_why=ARI_WHY,
            columns={"px_0_0": "top-left cell", "px_7_7": "bottom-right cell"},
        ),
        baseline=kmeans_baseline(
            data.spec,
            features=features,
            k=10,
            explanation="k-means with 10 clusters on the raw pixels.",
        ),
        reference=ClusterContender("reference: PCA (30) + Gaussian mixture", model),
        field=cluster_field(10),
    )

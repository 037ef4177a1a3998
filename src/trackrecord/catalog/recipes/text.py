"""Text classification projects."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from sklearn.compose import ColumnTransformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

from trackrecord.catalog.baselines import text_baseline
from trackrecord.catalog.contenders import SklearnContender
from trackrecord.catalog.fields import Make, text_field, tuned
from trackrecord.catalog.model import Brief, Project
from trackrecord.catalog.prepare import rdata, supervised
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids


def _words() -> TfidfVectorizer:
    return TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True)


def _tfidf_logistic(text: str) -> Make:
    return lambda X: Pipeline(
        [
            ("text", ColumnTransformer([("words", _words(), text)])),
            ("model", LogisticRegression(max_iter=3000)),
        ]
    )


@recipe(
    "fine-food-reviews",
    title="Great food or not? Amazon reviews",
    task="text",
    metric="roc_auc",
    level=2,
    skills=("text-features", "linear-models", "regularization"),
    apply_elsewhere=("trump-tweets",),
    summary="Tell the great reviews from the rest, from the text of Amazon fine food reviews.",
    gold_margin=0.005,
)
def fine_food_reviews() -> Project:
    df = pd.concat([rdata("modeldata", "training_data"), rdata("modeldata", "testing_data")])
    df["review"] = df["review"].str.replace(r"<br\s*/?>", " ", regex=True)
    data = supervised(
        with_ids(df),
        metric="roc_auc",
        target="score",
        test_size=0.3,
        seed=73,
        stratify=True,
        labels=("other", "great"),
    )
    grid = {"model__C": [4.0, 16.0]}
    return data.project(
        brief=Brief(
            source="R package modeldata, data sets `training_data` and `testing_data` (a"
            " sample of the Amazon Fine Food Reviews; McAuley and Leskovec 2013).",
            about="5000 reviews of food products sold on Amazon, with the product code and the"
            " review text.",
            target="`score`: `great` for a five-star review, `other` for one to four stars."
            " Submit the probability of `great`.",
            metric_why="ROC AUC rewards ranking great reviews above the others, whatever"
            " threshold is later used.",
            columns={"product": "Amazon product code", "review": "the review text"},
        ),
        baseline=text_baseline(
            data.spec,
            text="review",
            explanation="Word counts and a multinomial naive Bayes classifier: the classic"
            " first text model.",
        ),
        reference=SklearnContender(
            "reference: TF-IDF (words and bigrams) + tuned logistic regression",
            tuned(_tfidf_logistic("review"), grid, data.spec, "roc_auc"),
        ),
        field=text_field("review"),
    )


def _log_counts(X: pd.DataFrame) -> Any:
    return np.log1p(X.to_numpy(dtype=float))


def _tweet_model() -> Make:
    return lambda X: Pipeline(
        [
            (
                "features",
                ColumnTransformer(
                    [
                        ("words", _words(), "text"),
                        (
                            "chars",
                            TfidfVectorizer(
                                analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True
                            ),
                            "text",
                        ),
                        ("hour", OneHotEncoder(handle_unknown="ignore"), ["hour"]),
                        (
                            "counts",
                            FunctionTransformer(_log_counts),
                            ["retweet_count", "favorite_count"],
                        ),
                    ]
                ),
            ),
            ("model", LogisticRegression(C=4.0, max_iter=3000)),
        ]
    )


def _tweets() -> pd.DataFrame:
    df = rdata("dslabs", "trump_tweets")
    phones = {"Twitter for Android": "android", "Twitter for iPhone": "iphone"}
    df = df[df["source"].isin(list(phones)) & df["created_at"].str.startswith("2016")]
    stamps = pd.to_datetime(df["created_at"])
    return pd.DataFrame(
        {
            "text": df["text"].to_numpy(),
            "hour": stamps.dt.hour.to_numpy(),
            "retweet_count": df["retweet_count"].to_numpy(),
            "favorite_count": df["favorite_count"].to_numpy(),
            "device": df["source"].map(phones).to_numpy(),
        }
    )


@recipe(
    "trump-tweets",
    title="Who wrote the tweet: Trump or his staff?",
    task="text",
    metric="roc_auc",
    level=3,
    skills=("text-features", "feature-engineering", "linear-models"),
    apply_elsewhere=("fine-food-reviews",),
    summary="In 2016, Donald Trump tweeted from an Android phone and his campaign staff from"
    " an iPhone: tell them apart from the text and the time.",
    gold_margin=0.005,
)
def trump_tweets() -> Project:
    data = supervised(
        with_ids(_tweets()),
        metric="roc_auc",
        target="device",
        test_size=0.35,
        seed=79,
        stratify=True,
        labels=("iphone", "android"),
    )
    return data.project(
        brief=Brief(
            source="R package dslabs, data set `trump_tweets` (Trump Twitter Archive; the"
            " analysis by David Robinson, 2016).",
            about="3055 tweets from @realDonaldTrump in 2016 sent from an Android phone or an"
            " iPhone, with the hour (UTC) and how often each was retweeted and liked.",
            target="`device`: `android` (by most accounts, Trump himself) or `iphone` (his"
            " staff). Submit the probability of `android`.",
            metric_why="ROC AUC: how well your scores separate the two authors, at any threshold.",
            columns={
                "text": "the tweet",
                "hour": "hour of the day it was sent (UTC)",
                "retweet_count": "times retweeted",
                "favorite_count": "times liked",
            },
        ),
        baseline=text_baseline(
            data.spec,
            text="text",
            explanation="Word counts and naive Bayes on the text only: the hour and the links"
            " say a lot too.",
        ),
        reference=SklearnContender(
            "reference: word and character TF-IDF, hour and counts + logistic regression",
            _tweet_model(),
        ),
        field=text_field("text"),
    )

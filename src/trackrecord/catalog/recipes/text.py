"""Text classification projects."""

from __future__ import annotations

import pandas as pd

from trackrecord.catalog import splits
from trackrecord.catalog.baselines import text_baseline
from trackrecord.catalog.contenders import CodeContender
from trackrecord.catalog.fields import text_field
from trackrecord.catalog.model import Brief, Project, SplitInfo
from trackrecord.catalog.prepare import assemble, rdata, supervised
from trackrecord.catalog.registry import recipe
from trackrecord.catalog.splits import with_ids

REVIEWS_REFERENCE = """\
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import make_pipeline

# Words and two-word phrases ("not great", "highly recommend"), TF-IDF weighted with
# damped counts (sublinear_tf), then a logistic regression.
model = make_pipeline(
    TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True),
    LogisticRegression(max_iter=3000),
)
# The penalty C, chosen by 3-fold cross-validation on train only.
search = GridSearchCV(
    model,
    {"logisticregression__C": [1.0, 4.0, 16.0]},
    scoring="roc_auc",
    cv=StratifiedKFold(3, shuffle=True, random_state=0),
    n_jobs=1,
)
search.fit(train["review"].fillna(""), train["score"])
print("chosen:", search.best_params_, "cross-validated ROC AUC:", round(search.best_score_, 4))

proba = search.predict_proba(test["review"].fillna(""))
submission = pd.DataFrame({"id": test["id"]})
submission["score"] = proba[:, list(search.classes_).index("great")]  # P(great)
"""

TWEETS_REFERENCE = """\
from sklearn.compose import make_column_transformer
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import FunctionTransformer, OneHotEncoder

features = make_column_transformer(
    # words and word pairs
    (TfidfVectorizer(min_df=2, ngram_range=(1, 2), sublinear_tf=True), "text"),
    # character n-grams keep what word tokens drop: quotes, links, "!", "@", "#"
    (
        TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 4), min_df=3, sublinear_tf=True),
        "text",
    ),
    # the hour of the day, one column per hour: who tweets at dawn?
    (OneHotEncoder(handle_unknown="ignore"), ["hour"]),
    # retweets and likes are heavy-tailed: use their logarithm
    (FunctionTransformer(np.log1p), ["retweet_count", "favorite_count"]),
)
model = make_pipeline(features, LogisticRegression(C=4.0, max_iter=3000))
model.fit(train, train["device"])

proba = model.predict_proba(test)
submission = pd.DataFrame({"id": test["id"]})
submission["device"] = proba[:, list(model.classes_).index("android")]  # P(android)
"""


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
    version="2",
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
    return data.project(
        brief=Brief(
            source="R package modeldata, data sets `training_data` and `testing_data` (a"
            " sample of the Amazon Fine Food Reviews; McAuley and Leskovec 2013).",
            about="5000 reviews of food products sold on Amazon, one review per product,"
            " with the product code and the review text.",
            target="`score`: `great` for a five-star review, `other` for one to four stars."
            " Submit the probability of `great`.",
            metric_why="ROC AUC rewards ranking great reviews above the others, whatever"
            " threshold is later used.",
            columns={
                "product": "Amazon product code (ASIN); every product appears once",
                "review": "the review text (HTML line breaks removed; a few links remain)",
            },
            pitfalls=(
                "Each product appears exactly once, so `product` is just another id: one-hot"
                " encoding it memorizes train and adds nothing for test.",
                "Single words miss negation and degree: 'not great' and 'great' share the"
                " word 'great'. Word pairs (bigrams) catch much of it.",
                "The hard cases are four stars against five: a four-star review reads as"
                " positive but counts as `other`. Words of intensity ('best', 'perfect',"
                " 'love') matter more than plain positive words.",
                "With thousands of word features and a few thousand reviews, an unpenalized"
                " model overfits: tune the regularization (C) by cross-validation.",
            ),
            validation="The test reviews are a random sample stratified on `score`, so use"
            " stratified k-fold on train.csv (`StratifiedKFold(5, shuffle=True)`), fit the"
            " vectorizer inside each fold (a Pipeline does it), and print"
            " `sklearn.metrics.roc_auc_score` of P(great) on each held-out fold.",
            split_why="The reviews have no time order or groups that matter here (every"
            " product appears once), so test is a random 30% of them, stratified so that"
            " train, public and private hold the same share of great reviews.",
        ),
        baseline=text_baseline(
            data.spec,
            text="review",
            explanation="Word counts and a multinomial naive Bayes classifier: the classic"
            " first text model.",
        ),
        reference=CodeContender(
            "reference: TF-IDF (words and bigrams) + tuned logistic regression",
            REVIEWS_REFERENCE,
            "TF-IDF of words and word pairs, then a logistic regression whose penalty is"
            " chosen by 3-fold cross-validation on train.",
        ),
        field=text_field("review"),
    )


TWEET_TEST_ROWS = 1300  # the general-election campaign: 2016 from mid-July on


def _tweets() -> pd.DataFrame:
    df = rdata("dslabs", "trump_tweets")
    phones = {"Twitter for Android": "android", "Twitter for iPhone": "iphone"}
    df = df[df["source"].isin(list(phones)) & df["created_at"].str.startswith("2016")]
    stamps = pd.to_datetime(df["created_at"])
    return pd.DataFrame(
        {
            "created_at": df["created_at"].to_numpy(),
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
    version="2",
)
def trump_tweets() -> Project:
    df = with_ids(_tweets().sort_values("created_at", kind="stable"))
    split = splits.time_split(df, order="created_at", test_rows=TWEET_TEST_ROWS)
    usage = splits.usage(split.test, seed=79, stratify="device")
    data = assemble(
        split,
        usage,
        metric="roc_auc",
        target="device",
        labels=("iphone", "android"),
        split_info=SplitInfo("time", "created_at"),
    )
    return data.project(
        brief=_tweets_brief(),
        baseline=text_baseline(
            data.spec,
            text="text",
            explanation="Word counts and naive Bayes on the text only: the hour and the links"
            " say a lot too.",
        ),
        reference=CodeContender(
            "reference: word and character TF-IDF, hour and counts + logistic regression",
            TWEETS_REFERENCE,
            "Word and character n-grams of the text, the hour one-hot encoded and the log"
            " of the retweet and like counts, in one logistic regression.",
        ),
        field=text_field("text"),
    )


def _tweets_brief() -> Brief:
    return Brief(
        source="R package dslabs, data set `trump_tweets` (Trump Twitter Archive; the"
        " analysis by David Robinson, 2016).",
        about="3055 tweets from @realDonaldTrump in 2016 sent from an Android phone or an"
        " iPhone, with the time sent and how often each was retweeted and liked. train.csv"
        " holds the primaries (January to mid-July), test.csv the general-election campaign"
        " and its aftermath (mid-July to December).",
        target="`device`: `android` (by most accounts, Trump himself) or `iphone` (his"
        " staff). Submit the probability of `android`.",
        metric_why="ROC AUC: how well your scores separate the two authors, at any threshold.",
        columns={
            "created_at": "when the tweet was sent (UTC, ISO 8601)",
            "text": "the tweet",
            "hour": "hour of the day it was sent (UTC)",
            "retweet_count": "times retweeted (when the archive was collected)",
            "favorite_count": "times liked (when the archive was collected)",
        },
        pitfalls=(
            "The default word tokenizer drops punctuation and one-letter tokens, but the"
            " authors differ in exactly those: quote marks, '!', links (`https://t.co/...`),"
            " '#' and '@'. Character n-grams or hand-made flags keep them.",
            "The two authors' shares change over the campaign (the staff tweeted far more in"
            " October): a random k-fold mixes months and flatters the estimate.",
            "Retweet and like counts grow with the account's audience over the year: test"
            " tweets are later, so their counts run higher than train's. Use logs, and check"
            " on a later slice that the counts still help.",
            "`hour` is in UTC: 11:00 UTC is 7 am in New York in summer.",
        ),
        validation="Test is later than train, so validate the same way: sort train.csv by"
        " `created_at`, hold out its last quarter, fit on the earlier tweets and print"
        " `sklearn.metrics.roc_auc_score` of P(android) on the held-out slice"
        " (`TimeSeriesSplit` gives several such cuts).",
        split_why="A model of who wrote a tweet is used on tweets written after it was"
        " trained, and the mix of authors shifts over the campaign, so test is the tweets"
        " from mid-July to December 2016, every one later than train. Public and private"
        " are a stratified random split of that period, so both cover all of it.",
    )

from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

variables = ["temp", "dewp", "humid", "wind_speed", "pressure"]


def summaries(frame):
    # The shape of each day: its level, its range, and the afternoon against the night
    # (a sea breeze cools the coast in the afternoon and turns the wind).
    out = {}
    for v in variables:
        hours = frame[[f"{v}_{h:02d}" for h in range(24)]].to_numpy(dtype=float)
        out[f"{v}_mean"] = np.nanmean(hours, axis=1)
        out[f"{v}_range"] = np.nanmax(hours, axis=1) - np.nanmin(hours, axis=1)
        out[f"{v}_afternoon"] = np.nanmean(hours[:, 12:18], axis=1) - np.nanmean(
            hours[:, 0:6], axis=1
        )
    # wind direction is an angle: 350 and 10 degrees are neighbours, so use sine and cosine
    angle = np.deg2rad(frame[[f"wind_dir_{h:02d}" for h in range(24)]].to_numpy(dtype=float))
    out["wind_south"] = -np.nanmean(np.cos(angle[:, 12:18]), axis=1)
    out["wind_east"] = np.nanmean(np.sin(angle[:, 12:18]), axis=1)
    return pd.DataFrame(out, index=frame.index)


def relative(frame):
    # The three stations share the day's weather: compare each trace with the mean of the
    # same date's traces in the same file, which leaves the station's own signature.
    own = summaries(frame)
    day = own.groupby(frame["date"]).transform("mean")
    return own - day


model = make_pipeline(
    SimpleImputer(strategy="median"), StandardScaler(), LogisticRegression(max_iter=3000)
)
model.fit(relative(train), train["origin"])

submission = pd.DataFrame({"id": test["id"]})
submission["origin"] = model.predict(relative(test))

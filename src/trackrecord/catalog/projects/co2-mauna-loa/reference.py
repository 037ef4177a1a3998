from sklearn.linear_model import LinearRegression


def features(df):
    years = df["t"].to_numpy() / 52.1775  # years since the first record
    columns = {"years": years}
    for k in (1, 2, 3):  # the yearly cycle: three harmonics
        columns[f"sin{k}"] = np.sin(2 * np.pi * k * years)
        columns[f"cos{k}"] = np.cos(2 * np.pi * k * years)
    return pd.DataFrame(columns)


# The growth rate of CO2 changes over decades: only the recent trend says where it goes next
recent = train[train["t"] > train["t"].max() - 15 * 52.1775]
model = LinearRegression().fit(features(recent), recent["co2"])

submission = pd.DataFrame({"id": test["id"]})
submission["co2"] = model.predict(features(test))

from scipy import sparse
from sklearn.decomposition import TruncatedSVD
from sklearn.linear_model import Ridge
from sklearn.preprocessing import OneHotEncoder

# 1. Biases: rating ~ mean + user bias + movie bias, shrunk by a ridge penalty, so a movie
#    rated 5 stars by its one fan does not outrank a classic loved by hundreds.
ids = ["userId", "movieId"]
encoder = OneHotEncoder(handle_unknown="ignore")
biases = Ridge(alpha=10.0, solver="sparse_cg")
biases.fit(encoder.fit_transform(train[ids]), train["rating"])

# 2. Taste: a rank-20 SVD of what the biases leave, as a user x movie matrix.
residual = train["rating"] - biases.predict(encoder.transform(train[ids]))
users = {u: i for i, u in enumerate(sorted(train["userId"].unique()))}
movies = {m: i for i, m in enumerate(sorted(train["movieId"].unique()))}
rows, cols = train["userId"].map(users), train["movieId"].map(movies)
matrix = sparse.csr_matrix((residual, (rows, cols)))
svd = TruncatedSVD(20, random_state=0)
user_factors = svd.fit_transform(matrix)
movie_factors = svd.components_.T

# 3. Score each candidate: biases plus taste (no taste term for a movie train never saw).
u, m = test["userId"].map(users), test["movieId"].map(movies)
known = (u.notna() & m.notna()).to_numpy()
taste = np.zeros(len(test))
ui, mi = u[known].astype(int).to_numpy(), m[known].astype(int).to_numpy()
taste[known] = (user_factors[ui] * movie_factors[mi]).sum(axis=1)

submission = pd.DataFrame({"id": test["id"]})
submission["score"] = biases.predict(encoder.transform(test[ids])) + taste

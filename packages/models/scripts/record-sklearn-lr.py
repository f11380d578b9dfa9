"""Records scikit-learn's logistic regression on Cleveland replicated 10× (3,030 rows: the same
problem, a hundredth of the penalty), preprocessed as the Python pipeline does: the exact optimum
(newton-cholesky, tol 1e-12) and lbfgs with its defaults, for the solver tests.

Run with Debian's python3-sklearn (1.2.1):
  /usr/bin/python3 scripts/record-sklearn-lr.py > src/__fixtures__/sklearn-lr-replicated.json
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

fixtures = pathlib.Path(__file__).resolve().parents[2] / "test-support/fixtures"
columns = ["age", "sex", "cp", "trestbps", "chol", "fbs", "restecg", "thalach", "exang",
           "oldpeak", "slope", "ca", "thal", "num"]
lines = (fixtures / "data/uci-heart-disease/processed.cleveland.data").read_text().split()
table = np.array([[np.nan if cell == "?" else float(cell) for cell in line.split(",")] for line in lines])
table = np.concatenate([table] * 10)
numeric = ["age", "trestbps", "chol", "thalach", "oldpeak"]
categorical = ["sex", "cp", "fbs", "restecg", "exang", "slope", "ca", "thal"]
at = {name: k for k, name in enumerate(columns)}
preprocessor = ColumnTransformer([
    ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]),
     [at[name] for name in numeric]),
    ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                      ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False))]),
     [at[name] for name in categorical]),
])
x = preprocessor.fit_transform(table)
y = (table[:, at["num"]] > 0).astype(int)
# Column indices as names (x3, x1_4.0): renamed to the Python pipeline's (num__chol, cat__cp_4.0).
names = [name.replace("num__x", "num__#").replace("cat__x", "cat__#") for name in
         preprocessor.get_feature_names_out()]
names = [name.split("#")[0] + columns[int(name.split("#")[1].split("_")[0])] +
         name.split("#")[1][len(name.split("#")[1].split("_")[0]):] for name in names]


def fitted(model):
    model.fit(x, y)
    return {"coef": dict(zip(names, model.coef_[0].tolist())), "intercept": float(model.intercept_[0]),
            "n_iter": int(model.n_iter_[0]), "proba_first_10": model.predict_proba(x[:10])[:, 1].tolist()}


print(json.dumps({
    "source": f"scikit-learn {sklearn.__version__}; Cleveland × 10, {len(y)} rows, C=1",
    "exact": fitted(LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=100)),
    "lbfgs": fitted(LogisticRegression(max_iter=1000)),
}))

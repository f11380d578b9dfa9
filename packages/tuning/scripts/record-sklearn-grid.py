"""Records GridSearchCV on Cleveland (303 rows) for the tuning tests: the Python pipeline's
preprocessor + LogisticRegression over C, StratifiedKFold(5, shuffle=True, random_state=42),
scoring roc_auc.

Run with Debian's python3-sklearn (1.2.1):
  /usr/bin/python3 scripts/record-sklearn-grid.py > src/__fixtures__/sklearn-grid-lr.json
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.compose import ColumnTransformer
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import GridSearchCV, StratifiedKFold
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

fixtures = pathlib.Path(__file__).resolve().parents[2] / "test-support/fixtures"
lines = (fixtures / "data/uci-heart-disease/processed.cleveland.data").read_text().split()
table = np.array([[np.nan if cell == "?" else float(cell) for cell in line.split(",")] for line in lines])
numeric, categorical = [0, 3, 4, 7, 9], [1, 2, 5, 6, 8, 10, 11, 12]
preprocessor = ColumnTransformer([
    ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric),
    ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                      ("onehot", OneHotEncoder(handle_unknown="ignore"))]), categorical),
])
x, y = table[:, :13], (table[:, 13] > 0).astype(int)
search = GridSearchCV(
    Pipeline([("preprocessor", preprocessor), ("classifier", LogisticRegression(max_iter=1000))]),
    {"classifier__C": [0.01, 0.1, 1.0, 10.0]},
    cv=StratifiedKFold(n_splits=5, shuffle=True, random_state=42),
    scoring="roc_auc",
).fit(x, y)
results = search.cv_results_
print(json.dumps({
    "source": f"scikit-learn {sklearn.__version__} GridSearchCV, C in [0.01, 0.1, 1, 10], StratifiedKFold(5, shuffle=True, random_state=42), roc_auc",
    "C": [0.01, 0.1, 1.0, 10.0],
    "split_test_scores": [[float(results[f"split{k}_test_score"][i]) for k in range(5)] for i in range(4)],
    "mean_test_score": results["mean_test_score"].tolist(),
    "std_test_score": results["std_test_score"].tolist(),
    "rank_test_score": results["rank_test_score"].tolist(),
    "best_index": int(search.best_index_),
}))

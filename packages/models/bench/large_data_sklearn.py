"""scikit-learn's side of large-data.bench.ts: the same file read with numpy (genfromtxt, '?' as
missing), the Python pipeline's preprocessing, LogisticRegression and RandomForestClassifier
(n_jobs as heart's nJobs). argv: file, trees, n_jobs. Prints one JSON line: each phase's wall
time (ms) and the process's peak RSS (MiB, ru_maxrss) after load and at the end; start-up and
imports excluded from the times, not from the RSS.
"""
import json
import resource
import sys
import time

import numpy as np
from sklearn.compose import ColumnTransformer
from sklearn.ensemble import RandomForestClassifier
from sklearn.impute import SimpleImputer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import Pipeline
from sklearn.preprocessing import OneHotEncoder, StandardScaler

path, trees, jobs = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
result = {}
begun = started = time.perf_counter()


def lap(name):
    global started
    now = time.perf_counter()
    result[f"{name}_ms"] = (now - started) * 1000
    started = now


table = np.genfromtxt(path, delimiter=",", missing_values="?", filling_values=np.nan)
lap("load")
result["load_rss"] = peak()
result["rows"] = len(table)
x, y = table[:, :13], (table[:, 13] > 0).astype(np.uint8)
del table
numeric, categorical = [0, 3, 4, 7, 9], [1, 2, 5, 6, 8, 10, 11, 12]
features = ColumnTransformer([
    ("num", Pipeline([("impute", SimpleImputer(strategy="median")), ("scale", StandardScaler())]), numeric),
    ("cat", Pipeline([("impute", SimpleImputer(strategy="most_frequent")),
                      ("onehot", OneHotEncoder(handle_unknown="ignore", sparse_output=False))]), categorical),
]).fit_transform(x)
lap("preprocess")
LogisticRegression(max_iter=1000).fit(features, y)
lap("lr")
RandomForestClassifier(n_estimators=trees, random_state=42, n_jobs=jobs).fit(features, y)
lap("rf")
result["total_ms"] = (time.perf_counter() - begun) * 1000
result["total_rss"] = peak()
print(json.dumps(result))

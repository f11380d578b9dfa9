"""scikit-learn's side of tuning.bench.ts: GridSearchCV over the same grid on the same folds.

argv: data folder (x_<name>.f64, y_<name>.u8, folds_<name>.json written by the bench), then a
JSON object { "columns": 28, "sets": ["cleveland", "30300"], "grid": {...}, "n_jobs": 2 }.
Prints one JSON line: per set, the search's wall time (ms, loky's worker start-up included, as a
first search in a process pays it) and the best mean CV ROC AUC.
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.model_selection import GridSearchCV

folder, spec = sys.argv[1], json.loads(sys.argv[2])
result = {}
for name in spec["sets"]:
    x = np.fromfile(os.path.join(folder, f"x_{name}.f64"), dtype=np.float64).reshape(-1, spec["columns"])
    y = np.fromfile(os.path.join(folder, f"y_{name}.u8"), dtype=np.uint8)
    with open(os.path.join(folder, f"folds_{name}.json")) as handle:
        folds = [(np.array(fold["trainIndex"]), np.array(fold["testIndex"])) for fold in json.load(handle)]
    search = GridSearchCV(
        RandomForestClassifier(random_state=42, n_jobs=1),
        spec["grid"],
        cv=folds,
        scoring="roc_auc",
        n_jobs=spec["n_jobs"],
        refit=True,
    )
    start = time.perf_counter()
    search.fit(x, y)
    result[f"grid_{name}"] = (time.perf_counter() - start) * 1000
    result[f"best_{name}"] = float(search.best_score_)
    result[f"best_params_{name}"] = {key: value for key, value in search.best_params_.items()}
print(json.dumps(result))

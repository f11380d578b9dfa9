"""scikit-learn's side of models.bench.ts: one pair's figures, interpreter start-up excluded.

argv: data folder (x.f64, y.u8, x_big.f64, y_big.u8 written by the bench), then a JSON object
{ "columns": 28, "repeats": { figure: n }, "calls": { figure: n } }.
Prints one JSON line: per figure, the median ms of `repeats` runs after a warm-up (per call for
the one-row predictions). One core: n_jobs=1, the same hyper-parameters as heart's side.
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression

folder, spec = sys.argv[1], json.loads(sys.argv[2])
repeats, calls, columns = spec["repeats"], spec["calls"], spec["columns"]


def load(name, dtype):
    return np.fromfile(os.path.join(folder, name), dtype=dtype)


x, y = load("x.f64", np.float64).reshape(-1, columns), load("y.u8", np.uint8)
x_big, y_big = load("x_big.f64", np.float64).reshape(-1, columns), load("y_big.u8", np.uint8)


def median_ms(key, fn, per=1):
    fn()
    runs = []
    for _ in range(repeats[key]):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000 / per)
    return float(np.median(runs))


def lr():
    return LogisticRegression(max_iter=1000)


def rf(trees):
    return RandomForestClassifier(n_estimators=trees, random_state=42, n_jobs=1)


result = {
    "lr_fit": median_ms("lr_fit", lambda: lr().fit(x, y)),
    "rf100_fit": median_ms("rf100_fit", lambda: rf(100).fit(x, y)),
    "rf500_fit": median_ms("rf500_fit", lambda: rf(500).fit(x, y)),
    "lr_fit_30300": median_ms("lr_fit_30300", lambda: lr().fit(x_big, y_big)),
    "rf100_fit_30300": median_ms("rf100_fit_30300", lambda: rf(100).fit(x_big, y_big)),
}
lr_model, rf_model = lr().fit(x, y), rf(100).fit(x, y)
one, thousand = x[:1], x[np.arange(1000) % len(x)]
for key, model in (("lr_predict_1", lr_model), ("rf_predict_1", rf_model)):
    n = calls[key]
    result[key] = median_ms(key, lambda: [model.predict_proba(one) for _ in range(n)], n)
result["lr_predict_1000"] = median_ms("lr_predict_1000", lambda: lr_model.predict_proba(thousand))
result["rf_predict_1000"] = median_ms("rf_predict_1000", lambda: rf_model.predict_proba(thousand))
print(json.dumps(result))

"""scikit-learn's side of models.bench.ts: one pair's figures, interpreter start-up excluded.

argv: data folder (x_<size>.f64 / y_<size>.u8 for 242, 30300 and 300000 rows, written by the
bench), then a JSON object { "columns": 28, "repeats": { figure: n }, "calls": { figure: n } }.
Prints one JSON line: per figure, the median ms of `repeats` runs (after a warm-up for the small
figures; the large ones run warm from the smaller sizes, as heart's). LR: lbfgs with one BLAS
thread (threadpoolctl) and with OpenBLAS's default; RF: n_jobs=1 and n_jobs=2. Also the fitted
LR coefficients (lbfgs, and newton-cholesky at tol 1e-12: the exact optimum) per size.
"""
import json
import os
import sys
import time

import numpy as np
from sklearn.ensemble import RandomForestClassifier
from sklearn.linear_model import LogisticRegression
from threadpoolctl import threadpool_limits

folder, spec = sys.argv[1], json.loads(sys.argv[2])
repeats, calls, columns = spec["repeats"], spec["calls"], spec["columns"]
data = {}
for size in ("242", "30300", "300000"):
    x = np.fromfile(os.path.join(folder, f"x_{size}.f64"), dtype=np.float64).reshape(-1, columns)
    data[size] = (x, np.fromfile(os.path.join(folder, f"y_{size}.u8"), dtype=np.uint8))


def median_ms(key, fn, per=1, warm_up=True):
    if warm_up:
        fn()
    runs = []
    for _ in range(repeats[key]):
        start = time.perf_counter()
        fn()
        runs.append((time.perf_counter() - start) * 1000 / per)
    return float(np.median(runs))


def lr():
    return LogisticRegression(max_iter=1000)


def rf(trees, jobs):
    return RandomForestClassifier(n_estimators=trees, random_state=42, n_jobs=jobs)


result = {}
for size, (x, y) in data.items():
    warm = size == "242"
    with threadpool_limits(limits=1):
        result[f"lr_fit_{size}"] = median_ms(f"lr_fit_{size}", lambda: lr().fit(x, y), warm_up=warm)
    result[f"lr_fit_{size}_blas"] = median_ms(f"lr_fit_{size}", lambda: lr().fit(x, y), warm_up=warm)
    for jobs in (1, 2):
        key = f"rf_fit_{size}_j{jobs}"
        result[key] = median_ms(f"rf_fit_{size}", lambda: rf(100, jobs).fit(x, y), warm_up=warm)
x, y = data["242"]
result["rf500_fit"] = median_ms("rf500_fit", lambda: rf(500, 1).fit(x, y))
lr_model, rf_model = lr().fit(x, y), rf(100, 1).fit(x, y)
one, thousand = x[:1], x[np.arange(1000) % len(x)]
for key, model in (("lr_predict_1", lr_model), ("rf_predict_1", rf_model)):
    n = calls[key]
    result[key] = median_ms(key, lambda: [model.predict_proba(one) for _ in range(n)], n)
result["lr_predict_1000"] = median_ms("lr_predict_1000", lambda: lr_model.predict_proba(thousand))
result["rf_predict_1000"] = median_ms("rf_predict_1000", lambda: rf_model.predict_proba(thousand))
coefficients = {}
for size in ("30300", "300000"):
    x, y = data[size]
    lbfgs = lr().fit(x, y)
    exact = LogisticRegression(solver="newton-cholesky", tol=1e-12, max_iter=100).fit(x, y)
    coefficients[size] = {
        "lbfgs": lbfgs.coef_[0].tolist() + lbfgs.intercept_.tolist(),
        "exact": exact.coef_[0].tolist() + exact.intercept_.tolist(),
    }
print(json.dumps({**result, "coefficients": coefficients}))

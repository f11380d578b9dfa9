"""scikit-learn's side of roc-auc.bench.ts: one pair's figures, interpreter start-up excluded.

stdin: n label bytes (uint8) then n float64 scores. argv: n, repeats.
Prints one JSON line: median ms of `repeats` calls after a warm-up, and the values.
"""
import json
import sys
import time

import numpy as np
from sklearn.metrics import average_precision_score, roc_auc_score

n, repeats = int(sys.argv[1]), int(sys.argv[2])
raw = sys.stdin.buffer.read()
labels = np.frombuffer(raw[:n], dtype=np.uint8)
scores = np.frombuffer(raw[n:], dtype=np.float64)


def median_ms(fn):
    value = fn()
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        value = fn()
        runs.append((time.perf_counter() - start) * 1000)
    return float(np.median(runs)), float(value)


roc_ms, auc = median_ms(lambda: roc_auc_score(labels, scores))
ap_ms, ap = median_ms(lambda: average_precision_score(labels, scores))
print(json.dumps({"roc_auc": roc_ms, "average_precision": ap_ms, "auc": auc, "ap": ap}))

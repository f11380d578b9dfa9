"""Records the test indices of scikit-learn's StratifiedKFold(n_splits=5, shuffle=True,
random_state=42) on the Cleveland labels: the folds behind `cv.full_303` in sklearn-baseline.json.

Run with Debian's python3-sklearn (1.2.1):
  /usr/bin/python3 scripts/record-sklearn-folds.py > src/__fixtures__/sklearn-cv-folds.json
"""
import json
import pathlib

import numpy as np
import sklearn
from sklearn.model_selection import StratifiedKFold

fixtures = pathlib.Path(__file__).resolve().parents[2] / "test-support/fixtures"
data = fixtures / "data/uci-heart-disease/processed.cleveland.data"
labels = np.array([int(float(line.rsplit(",", 1)[1]) > 0) for line in data.read_text().splitlines()])
folds = StratifiedKFold(n_splits=5, shuffle=True, random_state=42).split(np.zeros(len(labels)), labels)
print(json.dumps({
    "source": f"scikit-learn {sklearn.__version__} StratifiedKFold(n_splits=5, shuffle=True, random_state=42)",
    "test_index": [test.tolist() for _, test in folds],
}))

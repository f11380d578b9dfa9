"""Records scikit-learn's roc_curve and precision_recall_curve on the fixture metric cases.

Run with Debian's python3-sklearn (1.2.1):
  /usr/bin/python3 scripts/record-sklearn-curves.py > src/__fixtures__/sklearn-curves.json
"""
import json
import pathlib

import sklearn
from sklearn.metrics import precision_recall_curve, roc_curve

fixtures = pathlib.Path(__file__).resolve().parents[2] / "test-support/fixtures"
cases = json.loads((fixtures / "reference/sklearn-metrics.json").read_text())["cases"]
out = {"source": f"scikit-learn {sklearn.__version__}: roc_curve, precision_recall_curve", "cases": {}}
for case in cases:
    fpr, tpr, roc_thresholds = roc_curve(case["y_true"], case["y_score"])
    precision, recall, pr_thresholds = precision_recall_curve(case["y_true"], case["y_score"])
    out["cases"][case["name"]] = {
        "roc": {"fpr": fpr.tolist(), "tpr": tpr.tolist(), "thresholds": roc_thresholds.tolist()},
        "pr": {"precision": precision.tolist(), "recall": recall.tolist(), "thresholds": pr_thresholds.tolist()},
    }
print(json.dumps(out))

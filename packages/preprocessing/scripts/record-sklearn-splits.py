"""Records scikit-learn's split indices for @heart/preprocessing's `method: 'sklearn'` tests.

Regenerate (from the repository root, with Debian's python3-sklearn 1.2.1 / python3-numpy 1.24.2;
use /usr/bin/python3, not a pyenv without scikit-learn):

    /usr/bin/python3 packages/preprocessing/scripts/record-sklearn-splits.py

It writes packages/preprocessing/src/__fixtures__/sklearn-splits.json: raw numpy RandomState
draws (to pinpoint a generator bug), train_test_split (stratified and not, test_size as a share
and as a row count), StratifiedKFold and KFold cases, each with its labels and the exact indices,
plus one 1e6-row case stored as a digest. The script refuses other library versions.
"""

import json
import os
import warnings

import numpy as np
import sklearn
from sklearn.model_selection import KFold, StratifiedKFold, train_test_split

assert sklearn.__version__ == "1.2.1", sklearn.__version__
assert np.__version__ == "1.24.2", np.__version__

OUT = os.path.join(os.path.dirname(__file__), "..", "src", "__fixtures__", "sklearn-splits.json")
MAX_U32 = 2**32 - 1


def ints(values):
    return [int(v) for v in values]


def labels(n, shares, seed, values=None):
    """n labels drawn with the given class shares (its own generator, not the split's)."""
    values = list(range(len(shares))) if values is None else values
    rng = np.random.RandomState(seed)
    return ints(rng.choice(values, size=n, p=shares))


def random_state_cases():
    cases = []
    for seed in [0, 1, 42, 2**31, MAX_U32]:
        for n in [1, 2, 10, 1000]:
            perm = np.random.RandomState(seed).permutation(n)
            cases.append({"name": f"permutation({n}) seed {seed}", "op": "permutation", "seed": seed, "n": n, "expected": ints(perm)})
    for seed in [0, 42, MAX_U32]:
        raw = np.random.RandomState(seed).randint(0, 2**32, size=1300, dtype=np.int64)
        cases.append({"name": f"1300 raw uint32 seed {seed}", "op": "uint32", "seed": seed, "n": 1300, "expected": ints(raw)})
    maxes = [0, 1, 2, 3, 5, 7, 100, 1000, 2**31 - 1, 2**31, MAX_U32 - 1, MAX_U32, 2**32, 2**40 + 3, 2**52 + 1, 2**53 - 1]
    maxes = maxes * 20
    for seed in [0, 42]:
        rs = np.random.RandomState(seed)
        # randint(0, max + 1) is numpy's masked rejection, the same as random_interval(max)
        expected = [int(rs.randint(0, m + 1, dtype=np.int64)) for m in maxes]
        cases.append({"name": f"bounded draws seed {seed}", "op": "bounded", "seed": seed, "maxes": maxes, "expected": expected})
    items = list(range(100, 120))
    for seed, size in [(0, 5), (42, 20), (7, 1)]:
        chosen = np.random.RandomState(seed).choice(items, size=size, replace=False)
        cases.append({"name": f"choice(20, {size}) seed {seed}", "op": "choice", "seed": seed, "items": items, "size": size, "expected": ints(chosen)})
    return cases


def tts(name, y, test_size, seed, stratify=True):
    train, test = train_test_split(np.arange(len(y)), test_size=test_size, random_state=seed, stratify=y if stratify else None)
    return {"name": name, "labels": y, "test_size": test_size, "stratify": stratify, "seed": seed, "train_index": ints(train), "test_index": ints(test)}


def train_test_split_cases():
    return [
        tts("balanced 100, 0.2, seed 0", labels(100, [0.5, 0.5], 1), 0.2, 0),
        tts("10/90 200, 0.25, seed 1", labels(200, [0.9, 0.1], 2), 0.25, 1),
        tts("3% positives 1000, 0.2, seed 42", labels(1000, [0.97, 0.03], 3), 0.2, 42),
        tts("tiny 7, 0.3, seed 2**32-1", [0, 1, 0, 1, 1, 0, 1], 0.3, MAX_U32),
        tts("303, 50 rows, seed 7", labels(303, [0.54, 0.46], 4), 50, 7),
        tts("3 classes 2/5/7 in 151, 0.2, seed 42", labels(151, [0.5, 0.3, 0.2], 5, [7, 2, 5]), 0.2, 42),
        tts("tied remainders 4x5, 6 rows, seed 3", [0, 1, 2, 3] * 5, 6, 3),
        tts("tied remainders 5+5 odd, 0.3, seed 11", [1] * 5 + [0] * 5, 0.3, 11),
        # train: 1.875, 1.875, 1.25 -> both tied classes get +1, still drawn with rng.choice
        tts("whole tie group added 3/3/2, 3 rows, seed 42", [0, 1, 2] * 2 + [0, 1], 3, 42),
        tts("odd 1201, 0.33, seed 123456789", labels(1201, [0.6, 0.4], 6), 0.33, 123456789),
        tts("seed 2**31, 2000 rows, 0.1", labels(2000, [0.7, 0.2, 0.1], 7), 0.1, 2**31),
        tts("labels -1/1, 41, 0.5", labels(41, [0.5, 0.5], 8, [-1, 1]), 0.5, 5),
        tts("one class, 10, 0.2, seed 0", [4] * 10, 0.2, 0),
        tts("extreme 2 of 60, 0.5, seed 9", [0] * 29 + [1] + [0] * 29 + [1], 0.5, 9),
        tts("plain 10, 0.2, seed 0", labels(10, [0.5, 0.5], 9), 0.2, 0, False),
        tts("plain 303, 0.2, seed 42", labels(303, [0.5, 0.5], 10), 0.2, 42, False),
        tts("plain 1001, 100 rows, seed 2**32-1", labels(1001, [0.8, 0.2], 11), 100, MAX_U32, False),
    ]


def folds(splits):
    return [{"train_index": ints(train), "test_index": ints(test)} for train, test in splits]


def skf(name, y, k, shuffle, seed):
    cv = StratifiedKFold(k, shuffle=shuffle, random_state=seed if shuffle else None)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)  # a class smaller than k: sklearn only warns
        result = folds(cv.split(np.zeros(len(y)), y))
    return {"name": name, "labels": y, "folds_count": k, "shuffle": shuffle, "seed": seed, "folds": result}


def stratified_k_fold_cases():
    return [
        skf("303 k=5 seed 42", labels(303, [0.54, 0.46], 12), 5, True, 42),
        skf("200 10/90 k=3 seed 0", labels(200, [0.9, 0.1], 13), 3, True, 0),
        skf("1000 k=10 seed 2**32-1", labels(1000, [0.7, 0.3], 14), 10, True, MAX_U32),
        skf("3 classes 7/2/5 in 150 k=4 seed 1", labels(150, [0.2, 0.5, 0.3], 15, [7, 2, 5]), 4, True, 1),
        skf("no shuffle 10/90 100 k=5", labels(100, [0.1, 0.9], 16), 5, False, None),
        skf("tiny 7 k=2 seed 3", [1, 0, 0, 1, 1, 0, 1], 2, True, 3),
        skf("class smaller than k, 23 k=5 seed 8", [0] * 20 + [1] * 3, 5, True, 8),
        skf("odd 1201 k=7 seed 99", labels(1201, [0.5, 0.5], 17), 7, True, 99),
    ]


def kf(name, n, k, shuffle, seed):
    cv = KFold(k, shuffle=shuffle, random_state=seed if shuffle else None)
    return {"name": name, "n": n, "folds_count": k, "shuffle": shuffle, "seed": seed, "folds": folds(cv.split(np.zeros(n)))}


def k_fold_cases():
    return [
        kf("10 k=3 seed 0", 10, 3, True, 0),
        kf("1003 k=7 seed 42", 1003, 7, True, 42),
        kf("no shuffle 11 k=4", 11, 4, False, None),
        kf("5 k=5 seed 2**32-1", 5, 5, True, MAX_U32),
    ]


def digest(indices):
    """Length, ends and a position-weighted checksum modulo 2**31-1 (exact in float64 in JS)."""
    total = 0
    for position, index in enumerate(ints(indices)):
        total = (total + (position + 1) * index) % (2**31 - 1)
    return {"length": len(indices), "head": ints(indices[:10]), "tail": ints(indices[-10:]), "checksum": total}


def large_cases():
    n = 1_000_000
    y = [(i * i + 3 * i) % 11 % 3 for i in range(n)]
    train, test = train_test_split(np.arange(n), test_size=0.2, random_state=42, stratify=y)
    return [{"name": "1e6 rows, 3 classes, 0.2, seed 42", "n": n, "labels_formula": "(i*i + 3*i) % 11 % 3", "test_size": 0.2, "seed": 42, "train": digest(train), "test": digest(test)}]


def main():
    fixture = {
        "source": "scripts/record-sklearn-splits.py",
        "sklearn": sklearn.__version__,
        "numpy": np.__version__,
        "random_state": random_state_cases(),
        "train_test_split": train_test_split_cases(),
        "stratified_k_fold": stratified_k_fold_cases(),
        "k_fold": k_fold_cases(),
        "large": large_cases(),
    }
    with open(OUT, "w") as out:
        json.dump(fixture, out, separators=(",", ":"))
        out.write("\n")
    counts = {key: len(value) for key, value in fixture.items() if isinstance(value, list)}
    print(OUT, counts)


if __name__ == "__main__":
    main()

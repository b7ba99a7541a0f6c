#!/usr/bin/env python3
"""Peer side of bench/gbdt-training.mjs: trains LightGBM (and optionally scikit-learn's
HistGradientBoostingClassifier) on the exact arrays the Node side wrote, with the same
parameters and thread count, and prints one JSON line per engine.

Usage: python gbdt_training.py DATA_DIR ROWS TEST_ROWS FEATURES ROUNDS LEAVES THREADS [hgb]
Files in DATA_DIR: x-train.f32 / x-test.f32 (column-major float32, NaN = missing), y-train.u8, y-test.u8.
"""
import json
import os
import resource
import sys
import time

import numpy as np
from sklearn.metrics import roc_auc_score

data_dir, rows, test_rows, features, rounds, leaves, threads = sys.argv[1], *map(int, sys.argv[2:8])
with_hgb = len(sys.argv) > 8 and sys.argv[8] == "hgb"


def load(name, count):
    x = np.fromfile(os.path.join(data_dir, f"x-{name}.f32"), dtype=np.float32).reshape(features, count).T
    y = np.fromfile(os.path.join(data_dir, f"y-{name}.u8"), dtype=np.uint8)
    return np.ascontiguousarray(x), y


x_train, y_train = load("train", rows)
x_test, y_test = load("test", test_rows)
peak = lambda: resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def lightgbm():
    import lightgbm as lgb

    params = dict(objective="binary", num_leaves=leaves, learning_rate=0.1, max_bin=255, min_data_in_leaf=20,
                  min_sum_hessian_in_leaf=1e-3, lambda_l2=0.0, num_threads=threads, verbose=-1, seed=1,
                  deterministic=True, force_col_wise=True)
    started = time.perf_counter()
    booster = lgb.train(params, lgb.Dataset(x_train, label=y_train), num_boost_round=rounds)
    trained = time.perf_counter() - started
    auc = roc_auc_score(y_test, booster.predict(x_test))
    started = time.perf_counter()
    booster.predict(x_train)
    scored = time.perf_counter() - started
    return dict(engine=f"LightGBM {lgb.__version__}", train_s=trained, auc=auc, score_s=scored, leaves=leaves)


def hist_gradient_boosting():
    import sklearn
    from sklearn.ensemble import HistGradientBoostingClassifier

    model = HistGradientBoostingClassifier(max_iter=rounds, max_leaf_nodes=leaves, learning_rate=0.1, max_bins=255,
                                           min_samples_leaf=20, l2_regularization=0.0, early_stopping=False, random_state=1)
    started = time.perf_counter()
    model.fit(x_train, y_train)
    trained = time.perf_counter() - started
    auc = roc_auc_score(y_test, model.predict_proba(x_test)[:, 1])
    started = time.perf_counter()
    model.predict_proba(x_train)
    scored = time.perf_counter() - started
    return dict(engine=f"scikit-learn HGB {sklearn.__version__}", train_s=trained, auc=auc, score_s=scored, leaves=leaves)


for run in [lightgbm] + ([hist_gradient_boosting] if with_hgb else []):
    result = run()
    result["peak_rss_mib"] = peak()
    print(json.dumps(result), flush=True)

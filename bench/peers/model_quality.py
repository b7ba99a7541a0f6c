#!/usr/bin/env python3
"""Peer side of bench/model-quality.mjs: cross-validates LightGBM (default parameters),
scikit-learn's HistGradientBoostingClassifier (defaults) and scikit-learn's LogisticRegression
(C=1, on mean-imputed + missing-indicator, standardised numeric columns and one-hot categories —
the same design as Kindling's baseline) on the folds the Node side drew, and prints one JSON
document: per engine, the out-of-fold predictions and scikit-learn's AUC of each fold.

Usage: python model_quality.py DATA_JSON   (features, columns with null = missing, labels, folds)
"""
import json
import sys
import time

import numpy as np
from sklearn.metrics import roc_auc_score

with open(sys.argv[1]) as handle:
    data = json.load(handle)

x = np.array([[np.nan if value is None else value for value in column] for column in data["columns"]], dtype=np.float64).T
y = np.array(data["labels"], dtype=np.int64)
folds = np.array(data["folds"], dtype=np.int64)
categorical = np.array([feature["kind"] == "categorical" for feature in data["features"]])
fold_count = int(folds.max()) + 1


def lightgbm_default():
    import lightgbm as lgb

    def fit(x_train, y_train):
        model = lgb.LGBMClassifier(verbose=-1, n_jobs=1, random_state=1)
        model.fit(x_train, y_train, categorical_feature=[int(index) for index in np.flatnonzero(categorical)] or "auto")
        return lambda x_valid: model.predict_proba(x_valid)[:, 1]

    return fit


def hist_gradient_boosting():
    from sklearn.ensemble import HistGradientBoostingClassifier

    def fit(x_train, y_train):
        model = HistGradientBoostingClassifier(categorical_features=categorical if categorical.any() else None, random_state=1)
        model.fit(x_train, y_train)
        return lambda x_valid: model.predict_proba(x_valid)[:, 1]

    return fit


def logistic_regression():
    from sklearn.compose import ColumnTransformer
    from sklearn.impute import SimpleImputer
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import OneHotEncoder, StandardScaler

    def fit(x_train, y_train):
        parts = [("numeric", make_pipeline(SimpleImputer(strategy="mean", add_indicator=True, keep_empty_features=False), StandardScaler()), np.flatnonzero(~categorical))]
        if categorical.any():
            parts.append(("categorical", make_pipeline(SimpleImputer(strategy="constant", fill_value=-1), OneHotEncoder(handle_unknown="ignore")), np.flatnonzero(categorical)))
        model = make_pipeline(ColumnTransformer(parts), LogisticRegression(C=1.0, max_iter=5000))
        model.fit(x_train, y_train)
        return lambda x_valid: model.predict_proba(x_valid)[:, 1]

    return fit


results = []
for name, engine in (("lightgbm default", lightgbm_default()), ("sklearn hgb", hist_gradient_boosting()), ("sklearn logistic", logistic_regression())):
    started = time.perf_counter()
    predictions = np.zeros(len(y))
    aucs = []
    for fold in range(fold_count):
        train, valid = folds != fold, folds == fold
        predictions[valid] = engine(x[train], y[train])(x[valid])
        aucs.append(float(roc_auc_score(y[valid], predictions[valid])))
    results.append({"name": name, "predictions": predictions.tolist(), "sklearnAucs": aucs, "seconds": time.perf_counter() - started})

json.dump(results, sys.stdout)

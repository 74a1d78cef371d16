"""How good a model is and where it goes wrong: accuracy, confusion matrix, mistakes."""

import numpy as np


def _labels(y_true, y_pred):
    y_true, y_pred = np.asarray(y_true).astype(np.int64), np.asarray(y_pred).astype(np.int64)
    if y_true.shape != y_pred.shape or y_true.ndim != 1:
        raise ValueError(f"Expected two label vectors of the same length, got shapes "
                         f"{y_true.shape} and {y_pred.shape}.")
    return y_true, y_pred


def accuracy(y_true, y_pred):
    """Share of correct predictions, a float in [0, 1] (0.0 for no labels)."""
    y_true, y_pred = _labels(y_true, y_pred)
    return float(np.mean(y_true == y_pred)) if len(y_true) else 0.0


def confusion_matrix(y_true, y_pred, num_classes=10):
    """Count how often each true class was predicted as each class.

    Args:
        y_true, y_pred: (N,) integer labels in [0, num_classes).
        num_classes: number of classes C.

    Returns:
        (C, C) int64 array; row = true class, column = predicted class.
    """
    y_true, y_pred = _labels(y_true, y_pred)
    if len(y_true) and (min(y_true.min(), y_pred.min()) < 0
                        or max(y_true.max(), y_pred.max()) >= num_classes):
        raise ValueError(f"Labels must lie in 0..{num_classes - 1}.")
    return np.bincount(y_true * num_classes + y_pred,
                       minlength=num_classes * num_classes).reshape(num_classes, num_classes)


def misclassified(y_true, y_pred, true_label=None, predicted_label=None):
    """Indices of wrong predictions, optionally only one cell of the confusion matrix.

    Args:
        y_true, y_pred: (N,) integer labels.
        true_label, predicted_label: keep only this true and/or predicted class. When both
            are given and equal, the cell is the diagonal, so its correct predictions.

    Returns:
        (K,) int64 indices into the labels, ascending.
    """
    y_true, y_pred = _labels(y_true, y_pred)
    keep = y_true != y_pred
    if true_label is not None and true_label == predicted_label:
        keep = y_true == y_pred
    if true_label is not None:
        keep &= y_true == true_label
    if predicted_label is not None:
        keep &= y_pred == predicted_label
    return np.flatnonzero(keep)


def precision_recall(matrix):
    """Per-class precision and recall from a confusion matrix.

    Args:
        matrix: (C, C) counts, rows true, columns predicted.

    Returns:
        (precision, recall), each (C,) float64; 0 where a class was never predicted/present.
    """
    matrix = np.asarray(matrix, dtype=np.float64)
    correct = np.diag(matrix)
    with np.errstate(invalid="ignore", divide="ignore"):
        precision = np.nan_to_num(correct / matrix.sum(axis=0))
        recall = np.nan_to_num(correct / matrix.sum(axis=1))
    return precision, recall


def most_confused(matrix, top=5):
    """The off-diagonal cells with the most mistakes.

    Returns:
        List of (true class, predicted class, count), largest count first, counts > 0.
    """
    matrix = np.asarray(matrix)
    pairs = [(int(true), int(pred), int(matrix[true, pred]))
             for true in range(len(matrix)) for pred in range(len(matrix))
             if true != pred and matrix[true, pred] > 0]
    return sorted(pairs, key=lambda pair: -pair[2])[:top]

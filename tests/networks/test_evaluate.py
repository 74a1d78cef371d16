import numpy as np
import pytest

from mnist_core import evaluate

Y_TRUE = np.array([0, 0, 1, 1, 2, 2, 2])
Y_PRED = np.array([0, 1, 1, 1, 2, 0, 0])


def test_confusion_matrix_counts_rows_true_columns_predicted():
    matrix = evaluate.confusion_matrix(Y_TRUE, Y_PRED, num_classes=3)
    np.testing.assert_array_equal(matrix, [[1, 1, 0], [0, 2, 0], [2, 0, 1]])
    assert matrix.sum() == len(Y_TRUE)


def test_confusion_matrix_agrees_with_a_plain_count():
    rng = np.random.default_rng(0)
    y_true, y_pred = rng.integers(0, 10, 500), rng.integers(0, 10, 500)
    expected = np.zeros((10, 10), int)
    for true, pred in zip(y_true, y_pred):
        expected[true, pred] += 1
    np.testing.assert_array_equal(evaluate.confusion_matrix(y_true, y_pred), expected)


def test_misclassified_filters_by_cell():
    np.testing.assert_array_equal(evaluate.misclassified(Y_TRUE, Y_PRED), [1, 5, 6])
    np.testing.assert_array_equal(evaluate.misclassified(Y_TRUE, Y_PRED, 2, 0), [5, 6])
    np.testing.assert_array_equal(evaluate.misclassified(Y_TRUE, Y_PRED, predicted_label=1), [1])
    np.testing.assert_array_equal(evaluate.misclassified(Y_TRUE, Y_PRED, 1, 1), [2, 3])


def test_precision_recall_and_most_confused():
    matrix = evaluate.confusion_matrix(Y_TRUE, Y_PRED, num_classes=3)
    precision, recall = evaluate.precision_recall(matrix)
    np.testing.assert_allclose(precision, [1 / 3, 2 / 3, 1.0])
    np.testing.assert_allclose(recall, [0.5, 1.0, 1 / 3])
    assert evaluate.most_confused(matrix) == [(2, 0, 2), (0, 1, 1)]
    assert evaluate.accuracy(Y_TRUE, Y_PRED) == pytest.approx(4 / 7)


def test_bad_labels_are_clear_errors():
    with pytest.raises(ValueError, match="same length"):
        evaluate.confusion_matrix([1, 2], [1])
    with pytest.raises(ValueError, match="0..9"):
        evaluate.confusion_matrix([1, 12], [1, 1])

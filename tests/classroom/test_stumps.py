"""Stump the model: stumps land in the collection under the meant digit; the leaderboard counts them."""

import concurrent.futures

import numpy as np
import pytest

from mnist_core.classroom import collection, stumps
from mnist_core.datasets import stored as datasets
from tests.classmates import TEACHER, pupil


def drawing(seed):
    """A (28, 28) float32 'drawing' in [0, 1] that differs with the seed."""
    return (np.random.default_rng(seed).random((28, 28)) > 0.8).astype(np.float32)


def answers(read_as, meant):
    """A model's probabilities that read `read_as`, with the digit meant its second choice."""
    probabilities = np.full(10, 0.01)
    probabilities[meant], probabilities[read_as] = 0.15, 0.77
    return probabilities


def test_a_stump_is_saved_under_the_digit_the_student_meant(lab_home):
    file_name = stumps.record("our-class", meant=7, probabilities=answers(1, 7),
                              image=drawing(0), by=pupil("Ada"))
    assert (lab_home / "datasets" / "our-class" / "7" / file_name).is_file()
    assert collection.counts("our-class")[0][7] == 1
    assert stumps.leaderboard("our-class") == [("Ada", 1)]


def test_a_digit_read_right_is_no_stump_and_nothing_is_saved(lab_home):
    with pytest.raises(ValueError, match="read your 4 right"):
        stumps.record("our-class", meant=4, probabilities=answers(4, 4), image=drawing(0),
                      by=pupil("Ada"))
    with pytest.raises(ValueError, match="digit from 0 to 9"):
        stumps.record("our-class", meant=10, probabilities=answers(3, 4), image=drawing(0),
                      by=pupil("Ada"))
    assert collection.counts("our-class")[0] == [0] * 10
    assert stumps.leaderboard("our-class") == []


def test_a_drawing_the_model_sees_nothing_of_the_meant_digit_in_does_not_count(lab_home):
    line_read_as_one = np.array([0.01, 0.9, 0.02, 0.01, 0.02, 0.01, 0.01, 0.015, 0.0, 0.005])
    with pytest.raises(ValueError, match="sees no 8 in it at all .* are 1, 2, 4"):
        stumps.record("our-class", meant=8, probabilities=line_read_as_one, image=drawing(0),
                      by=pupil("Ada"))
    assert stumps.record("our-class", meant=2, probabilities=line_read_as_one,
                         image=drawing(0), by=pupil("Ada")) == "Ada-1.png"
    assert stumps.leaderboard("our-class") == [("Ada", 1)]


def test_leaderboard_ranks_students_and_forgets_removed_stumps(lab_home):
    for seed, nickname in enumerate(["Bo", "Ada", "Bo", "Cy", "Bo", "Ada"]):
        stumps.record("our-class", meant=seed % 10,
                      probabilities=answers((seed + 1) % 10, seed % 10),
                      image=drawing(seed), by=pupil(nickname))
    assert stumps.leaderboard("our-class") == [("Bo", 3), ("Ada", 2), ("Cy", 1)]
    collection.remove("our-class", 0, "Bo-1.png", TEACHER)  # a silly one
    assert stumps.leaderboard("our-class") == [("Ada", 2), ("Bo", 2), ("Cy", 1)]


def test_the_leaderboard_counts_pupils_not_nicknames(lab_home):
    ada, bob = pupil("Ada"), pupil("Bob")
    stumps.record("our-class", meant=1, probabilities=answers(7, 1), image=drawing(1), by=ada)
    bob_as_ada = type(bob)(bob.id, "Ada")  # Bob renames himself after Ada
    for meant in (2, 3):
        stumps.record("our-class", meant=meant, probabilities=answers(7, meant),
                      image=drawing(meant), by=bob_as_ada)
    assert stumps.leaderboard("our-class") == [("Ada", 2), ("Ada", 1)]


def test_thirty_students_stumping_at_once_are_all_counted(lab_home):
    def student(number):
        return [stumps.record("our-class", meant=attempt,
                              probabilities=answers((attempt + 3) % 10, attempt),
                              image=drawing(number * 5 + attempt),
                              by=pupil(f"s{number % 10}"))
                for attempt in range(5)]

    with concurrent.futures.ThreadPoolExecutor(30) as pool:
        assert sum(len(names) for names in pool.map(student, range(30))) == 150
    assert dict(stumps.leaderboard("our-class")) == {f"s{number}": 15 for number in range(10)}


def test_stumps_make_a_data_set_the_lab_can_load(lab_home):
    for seed in range(20):  # two of each digit
        stumps.record("our-class", meant=seed % 10,
                      probabilities=answers((seed + 5) % 10, seed % 10), image=drawing(seed),
                      by=pupil())
    dataset = datasets.load("our-class")
    assert len(dataset.y_train) + len(dataset.y_test) == 20

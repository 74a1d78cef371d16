import pytest

from mnist_core.classroom import collection, quota
from mnist_core.people import class_log
from tests.classmates import TEACHER, pupil


@pytest.fixture
def lesson_limits(monkeypatch):
    """The limits a class gets: 2 s between saves, `PER_LESSON` drawings each."""
    monkeypatch.setattr(quota, "_state", {"per_lesson": quota.PER_LESSON,
                                          "seconds_between": quota.SECONDS_BETWEEN})


def test_a_pupil_saves_one_drawing_every_two_seconds(lesson_limits):
    ada, bob = pupil("ada"), pupil("bob")
    quota.take(ada, now=100.0)
    with pytest.raises(ValueError, match="Not so fast: wait 2 s"):
        quota.take(ada, now=100.5)
    quota.take(bob, now=100.5)  # a classmate is not held up
    quota.take(ada, now=102.0)
    for moment in (102.1, 102.2, 102.3):
        quota.take(TEACHER, now=moment)


def test_the_teacher_sets_the_drawings_per_lesson(lesson_limits):
    ada = pupil("ada")
    with pytest.raises(PermissionError):
        quota.set_per_lesson(1, ada)
    for bad in (0, 2.5, quota.MOST_PER_LESSON + 1, "3"):
        with pytest.raises(ValueError, match="whole number"):
            quota.set_per_lesson(bad, TEACHER)
    quota.set_per_lesson(3, TEACHER)
    assert quota.per_lesson() == 3
    assert class_log.entries()[0]["action"] == "set the drawings per pupil to"
    for second in range(3):
        quota.take(ada, now=10.0 * second)
    with pytest.raises(ValueError, match="You saved 3 drawings this lesson"):
        quota.take(ada, now=100.0)


def test_a_flood_of_saves_into_the_collection_keeps_only_the_first(lesson_limits, mnist_test_set):
    images, labels = mnist_test_set
    ada = pupil("ada")
    collection.save_drawing("our-class", int(labels[0]), images[0] / 255.0, ada)
    for index in range(1, 20):
        with pytest.raises(ValueError, match="Not so fast"):
            collection.save_drawing("our-class", int(labels[index]), images[index] / 255.0, ada)
    assert sum(collection.counts("our-class")[0]) == 1

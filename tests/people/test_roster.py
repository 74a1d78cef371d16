"""The class roster: pupil ids, nicknames of any script, the teacher's key and the lock."""

import pytest

from mnist_core.people import class_log, roster
from tests.classmates import TEACHER, pupil


def test_pupil_ids_are_random_and_only_well_formed_ones_are_admitted():
    ids = {roster.new_pupil_id() for _ in range(1000)}
    assert len(ids) == 1000 and all(roster.is_pupil_id(pupil_id) for pupil_id in ids)
    for bad in (None, "", "teacher", "../" * 11, "A" * 32, "a" * 33):
        assert not roster.admit(bad)
    assert roster.pupil_count() == 0


def test_a_nickname_belongs_to_the_pupil_id_and_is_kept_as_typed():
    ada = roster.new_pupil_id()
    assert roster.admit(ada) and roster.person(ada).nickname == ""
    assert roster.set_nickname(ada, "  小明\n\t**bold** \u0007") == "小明 **bold**"
    assert roster.person(ada).nickname == "小明 **bold**"
    assert roster.set_nickname(ada, "Zoe\u0301" + "x" * 40) == "Zoé" + "x" * 27  # NFC, 30 chars
    assert not roster.person(ada).is_teacher


def test_the_key_makes_a_browser_the_teachers_and_wrong_keys_are_rate_limited():
    ada, teacher = roster.new_pupil_id(), roster.new_pupil_id()
    roster.admit(ada), roster.admit(teacher)
    for _ in range(roster.WRONG_KEYS_PER_MINUTE):
        assert not roster.use_key(ada, "right-ke", "10.0.0.5")
    with pytest.raises(PermissionError, match="Too many wrong teacher keys"):
        roster.use_key(ada, "right-key", "10.0.0.5")  # even the right one, from that address
    assert not roster.person(ada).is_teacher
    assert roster.use_key(teacher, "right-key", "127.0.0.1")
    assert roster.person(teacher).is_teacher and roster.person(teacher).who() == "teacher"
    actions = [entry["action"] for entry in class_log.entries()]
    assert actions == ["teacher key"] + ["wrong teacher key"] * roster.WRONG_KEYS_PER_MINUTE
    assert "right-key" not in class_log.path().read_text()


def test_a_locked_class_lets_in_only_the_pupils_it_has_met():
    ada = roster.new_pupil_id()
    roster.admit(ada)
    with pytest.raises(PermissionError, match="Only the teacher may lock"):
        roster.set_locked(True, pupil("Ada"))
    roster.set_locked(True, TEACHER)
    assert roster.is_locked() and roster.admit(ada)
    assert not roster.admit(roster.new_pupil_id())  # a private window, a forged cookie
    roster.set_locked(False, TEACHER)
    assert roster.admit(roster.new_pupil_id()) and roster.pupil_count() == 2


def test_a_configured_key_wins_over_a_fresh_one(monkeypatch):
    monkeypatch.setenv("MNIST_LAB_TEACHER_KEY", "from-the-environment")
    assert roster.configure_key() == "from-the-environment"
    assert roster.configure_key("from-secrets") == "from-secrets" == roster.teacher_key()
    monkeypatch.delenv("MNIST_LAB_TEACHER_KEY")
    first, second = roster.configure_key(), roster.configure_key()
    assert first != second and len(first) >= 20

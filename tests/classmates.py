"""Pupils and a teacher for tests: `Person`s whose ids follow from their nicknames."""

import hashlib

from mnist_core.people.person import Person


def pupil(nickname=""):
    """The pupil who typed `nickname` (the same nickname: the same browser, in these tests)."""
    return Person(hashlib.sha256(nickname.encode()).hexdigest()[:32], nickname)


TEACHER = Person("7e" * 16, "Ms Lin", is_teacher=True)

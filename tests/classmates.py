"""Pupils and a teacher for tests: `Person`s whose ids follow from their nicknames."""

import hashlib

from mnist_core.people import roster
from mnist_core.people.person import Person


def pupil(nickname=""):
    """The pupil who typed `nickname` (the same nickname: the same browser, in these tests)."""
    return Person(hashlib.sha256(nickname.encode()).hexdigest()[:32], nickname)


TEACHER = Person("7e" * 16, "Ms Lin", is_teacher=True)


def as_pupil(nickname):
    """AppTest session state of the browser of the pupil who typed `nickname`."""
    person = pupil(nickname)
    roster.admit(person.id)
    roster.set_nickname(person.id, nickname)
    return {"pupil_id": person.id}


def as_teacher():
    """AppTest session state of the teacher's browser (the tests' key is "right-key")."""
    roster.admit(TEACHER.id)
    roster.use_key(TEACHER.id, "right-key", "127.0.0.1")
    return {"pupil_id": TEACHER.id}

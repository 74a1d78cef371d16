"""The class on this server: the pupils it has met, who the teacher is, the key, the lock.

One browser is one pupil: the server gives each new browser a random pupil id in a cookie
(`server/entrance.py`), and every page asks `person(pupil_id)` who is acting. Kept in this process
only: a restarted server makes a new teacher's key, and the teacher opens it again.
"""

import collections
import hmac
import os
import re
import secrets
import threading
import time
import unicodedata

from mnist_core.i18n import gettext as _
from mnist_core.people import class_log
from mnist_core.people.person import Person

PUPIL_ID_PATTERN = re.compile(r"[0-9a-f]{32}")
COOKIE = "mnist_lab_pupil"  # the cookie that carries a browser's pupil id
NICKNAME_LENGTH = 30
# Wrong keys allowed from one address per minute: a key of 16 random bytes cannot be guessed
# anyway, but a pupil trying keys on the projector's laptop should be told to stop.
WRONG_KEYS_PER_MINUTE = 5

_lock = threading.Lock()
_nicknames = {}  # pupil id -> nickname, for every pupil this server has met
_teachers = set()
_wrong_keys = collections.defaultdict(collections.deque)  # address -> times of wrong keys
_state = {"key": None, "locked": False}


def new_pupil_id():
    """A fresh pupil id: 32 hex digits, unguessable (`secrets`)."""
    return secrets.token_hex(16)


def is_pupil_id(text):
    """Whether `text` has the form of a pupil id (it may still be unknown to this server)."""
    return isinstance(text, str) and PUPIL_ID_PATTERN.fullmatch(text) is not None


def admit(pupil_id):
    """Let a browser in: remember its pupil id, unless the class is locked and it is new.

    Returns:
        False if `pupil_id` is not a pupil id, or is new while the class is locked.
    """
    if not is_pupil_id(pupil_id):
        return False
    with _lock:
        if pupil_id not in _nicknames:
            if _state["locked"]:
                return False
            _nicknames[pupil_id] = ""
    return True


def person(pupil_id):
    """The `Person` a pupil id stands for (not admitted yet: a pupil with no nickname)."""
    with _lock:
        return Person(pupil_id, _nicknames.get(pupil_id, ""), pupil_id in _teachers)


def clean_nickname(text):
    """A nickname as kept: printable text of any script, one line, at most 30 characters.

    Control characters and line breaks are dropped and the text is NFC-normalised, so two
    nicknames that look the same are the same.
    """
    text = unicodedata.normalize("NFC", text or "")
    text = "".join(" " if char.isspace() else char for char in text
                   if char.isspace() or unicodedata.category(char)[0] != "C")
    return " ".join(text.split())[:NICKNAME_LENGTH]


def set_nickname(pupil_id, text):
    """Attach a nickname to a pupil id, for every page and tab of that browser; returns it."""
    nickname = clean_nickname(text)
    with _lock:
        if pupil_id in _nicknames:
            _nicknames[pupil_id] = nickname
    return nickname


def configure_key(key=None):
    """Set the teacher's key (from secrets or `$MNIST_LAB_TEACHER_KEY`), or make a fresh one.

    Returns:
        The key, to print in the server's terminal; never shown on a page.
    """
    key = key or os.environ.get("MNIST_LAB_TEACHER_KEY") or secrets.token_urlsafe(16)
    with _lock:
        _state["key"] = str(key)
    return _state["key"]


def teacher_key():
    """The teacher's key (made on first use if `configure_key` was not called)."""
    return _state["key"] or configure_key()


def use_key(pupil_id, candidate, address):
    """Make this browser the teacher's if `candidate` is the teacher's key.

    Args:
        pupil_id: the browser's pupil id (admitted).
        candidate: the key as typed in the address bar.
        address: where the request came from (e.g. "192.168.1.23"), for the rate limit.

    Returns:
        True if the key was right.

    Raises:
        PermissionError: too many wrong keys from `address` in the last minute.
    """
    now, key = time.monotonic(), teacher_key()
    with _lock:
        wrong = _wrong_keys[address]
        while wrong and wrong[0] < now - 60:
            wrong.popleft()
        if len(wrong) >= WRONG_KEYS_PER_MINUTE:
            raise PermissionError(_("Too many wrong teacher keys: wait a minute."))
        right = hmac.compare_digest(str(candidate).encode(), key.encode())
        if right:
            _teachers.add(pupil_id)
        else:
            wrong.append(now)
    class_log.record(person(pupil_id), "teacher key" if right else "wrong teacher key",
                     address)
    return right


def set_locked(locked, by):
    """Lock the class (no new browsers) or open it again; only the teacher may."""
    by.require_teacher(_("Only the teacher may lock or open the class."))
    with _lock:
        _state["locked"] = bool(locked)
    class_log.record(by, "locked the class" if locked else "opened the class", "")


def is_locked():
    """Whether new browsers are turned away."""
    return _state["locked"]


def pupil_count():
    """How many browsers this server has let in."""
    with _lock:
        return len(_nicknames)

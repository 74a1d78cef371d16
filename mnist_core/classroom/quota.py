"""How many drawings a pupil may save: one every few seconds, and a number per lesson.

A flood of quick saves (a line under whatever digit is asked, 50 in half a minute) would fill
the collection the class teaches the model with. The teacher sets the number per lesson on the
Teacher page; a lesson is this run of the server. The teacher's own saves are never limited.
Kept in memory: what matters is this lesson, and a restart is a new one.
"""

import collections
import threading
import time

from mnist_core.i18n import gettext as _
from mnist_core.i18n import ngettext
from mnist_core.people import class_log

SECONDS_BETWEEN = 2.0
PER_LESSON = 100  # about 3 of every digit a minute for a 30-minute activity
MOST_PER_LESSON = 10_000

_lock = threading.Lock()
_saved = collections.Counter()  # pupil id -> drawings saved this lesson
_last_saved = {}  # pupil id -> time.monotonic() of the last save
_state = {"per_lesson": PER_LESSON, "seconds_between": SECONDS_BETWEEN}


def take(by, now=None):
    """Count one saved drawing for `by` (a `Person`), or refuse it while over the limits.

    Args:
        by: who saves; the teacher is never refused.
        now: the time in `time.monotonic()` seconds (default: now).

    Raises:
        ValueError: a friendly message saying how long to wait, or that the lesson's drawings
            are used up.
    """
    now = time.monotonic() if now is None else now
    with _lock:
        if not by.is_teacher:
            wait = _last_saved.get(by.id, -float("inf")) + _state["seconds_between"] - now
            if wait > 0:
                raise ValueError(_("Not so fast: wait {seconds:.0f} s, then save your next "
                                   "drawing.").format(seconds=max(wait, 1)))
            if _saved[by.id] >= _state["per_lesson"]:
                raise ValueError(ngettext(
                    "You saved {count} drawing this lesson, as many as the teacher allows. "
                    "Thank you!", "You saved {count} drawings this lesson, as many as the "
                    "teacher allows. Thank you!", _saved[by.id]).format(count=_saved[by.id]))
        _saved[by.id] += 1
        _last_saved[by.id] = now


def per_lesson():
    """How many drawings each pupil may save this lesson."""
    return _state["per_lesson"]


def set_per_lesson(count, by):
    """Let each pupil save `count` drawings this lesson (the teacher only); logged.

    Raises:
        PermissionError: `by` is not the teacher.
        ValueError: `count` is not a whole number from 1 to `MOST_PER_LESSON`.
    """
    by.require_teacher(_("Only the teacher sets how many drawings a pupil may save."))
    if not isinstance(count, int) or not 1 <= count <= MOST_PER_LESSON:
        raise ValueError(_("The number of drawings per pupil must be a whole number from 1 to "
                           "{most:,}.").format(most=MOST_PER_LESSON))
    with _lock:
        _state["per_lesson"] = count
    class_log.record(by, "set the drawings per pupil to", str(count))

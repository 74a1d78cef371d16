"""Stump the model: digits a person reads easily but the model gets wrong, and who found most.

Every stump is saved into the class collection under the digit the student meant, so that
teaching the model the class's handwriting (`teach`) learns from exactly the hard cases. Each
is also appended to `<collection>/stumps.log` (when, pupil id, nickname, saved drawing, what
the model read), which the leaderboard counts per pupil: a pupil who renames himself after a
classmate adds to his own count, not to hers.
"""

import collections
import datetime

import numpy as np

from mnist_core.classroom import collection
from mnist_core.i18n import gettext as _

LOG_NAME = "stumps.log"
# The digit meant must be among the model's likeliest answers for a drawing to count.
PLAUSIBLE_RANK = 3


def record(name, meant, probabilities, image, by):
    """Save a drawing that stumped the model into the collection and log it.

    A stump must still be a plausible drawing of the digit meant: the model's answer is wrong,
    but the digit meant is among its `PLAUSIBLE_RANK` likeliest answers. A vertical line
    "meant" as an 8, or any digit said to be another, is not; it is refused and not saved.

    Args:
        name: the collection, e.g. "our-class".
        meant: the digit the student meant, 0 to 9 (the saved label).
        probabilities: (10,) the model's probabilities for the drawing.
        image: (28, 28) float array in [0, 1], white ink on black.
        by: the `Person` who drew it.

    Returns:
        The saved file's name, e.g. "ada-3.png".

    Raises:
        ValueError: the model read it right (not a stump), it is no plausible drawing of the
            digit meant, the pupil saves too fast (see `collection.save_drawing`), or a bad
            digit or image.
    """
    probabilities = np.asarray(probabilities, np.float64)
    if probabilities.shape != (10,) or meant not in range(10):
        raise ValueError(f"Expected 10 probabilities and a digit from 0 to 9, got shape "
                         f"{probabilities.shape} and {meant!r}.")
    likeliest = [int(digit) for digit in np.argsort(-probabilities, kind="stable")]
    read_as = likeliest[0]
    if read_as == meant:
        raise ValueError(_("Not a stump: the model read your {digit} right.").format(digit=meant))
    if meant not in likeliest[:PLAUSIBLE_RANK]:
        raise ValueError(_(
            "That does not count: the model sees no {meant} in it at all (its likeliest answers "
            "are {answers}). A stump is a {meant} that anyone in the room would read at once."
        ).format(meant=meant, answers=", ".join(map(str, likeliest[:PLAUSIBLE_RANK]))))
    file_name = collection.save_drawing(name, meant, image, by)
    when = datetime.datetime.now().isoformat(timespec="seconds")
    # One short write in append mode: lines from students stumping at once never interleave.
    with open(collection.folder(name) / LOG_NAME, "a", encoding="utf-8") as log:
        log.write(f"{when}\t{by.id}\t{collection.shown_nickname(by.nickname)}\t"
                  f"{meant}/{file_name}\t{read_as}\n")
    return file_name


def leaderboard(name):
    """Stumps per pupil, most first; a stump the teacher removed no longer counts.

    Returns:
        List of (nickname, stumps) pairs, one per pupil (under their latest nickname), most
        stumps first, then by nickname.
    """
    log_path = collection.folder(name) / LOG_NAME
    if not log_path.is_file():
        return []
    per_pupil, nicknames = collections.Counter(), {}
    for line in log_path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) == 5 and (collection.folder(name) / fields[3]).is_file():
            per_pupil[fields[1]] += 1
            nicknames[fields[1]] = fields[2]
    return sorted(((nicknames[pupil], count) for pupil, count in per_pupil.items()),
                  key=lambda pair: (-pair[1], pair[0]))

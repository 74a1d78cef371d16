"""Stump the model: digits a person reads easily but the model gets wrong, and who found most.

Every stump is saved into the class collection under the digit the student meant, so that
teaching the model the class's handwriting (`teach`) learns from exactly the hard cases. Each
is also appended to `<collection>/stumps.log` (when, pupil id, nickname, saved drawing, what
the model read), which the leaderboard counts per pupil: a pupil who renames himself after a
classmate adds to his own count, not to hers.
"""

import collections
import datetime

from mnist_core.classroom import collection
from mnist_core.i18n import gettext as _

LOG_NAME = "stumps.log"


def record(name, meant, read_as, image, by):
    """Save a drawing that stumped the model into the collection and log it.

    Args:
        name: the collection, e.g. "our-class".
        meant: the digit the student meant, 0 to 9 (the saved label).
        read_as: the digit the model read, 0 to 9; must differ from `meant`.
        image: (28, 28) float array in [0, 1], white ink on black.
        by: the `Person` who drew it.

    Returns:
        The saved file's name, e.g. "ada-3.png".

    Raises:
        ValueError: the model read it right (not a stump), or a bad digit or image.
    """
    if read_as not in range(10):
        raise ValueError(f"The model's answer must be a digit from 0 to 9, got {read_as!r}.")
    if read_as == meant:
        raise ValueError(_("Not a stump: the model read your {digit} right.").format(digit=meant))
    file_name = collection.save_drawing(name, meant, image, by)
    when = datetime.datetime.now().isoformat(timespec="seconds")
    # One short write in append mode: lines from students stumping at once never interleave.
    with open(collection.folder(name) / LOG_NAME, "a", encoding="utf-8") as log:
        log.write(f"{when}\t{by.id}\t{collection.clean_nickname(by.nickname)}\t"
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

"""Stump the model: digits a person reads easily but the model gets wrong, and who found most.

Every stump is saved into the class collection under the digit the student meant, so that
teaching the model the class's handwriting (`teach`) learns from exactly the hard cases. Each
is also appended to `<collection>/stumps.log` (when, nickname, saved drawing, what the model
read), which the leaderboard counts.
"""

import collections
import datetime

from mnist_core.classroom import collection
from mnist_core.i18n import gettext as _

LOG_NAME = "stumps.log"


def record(name, meant, read_as, image, nickname=""):
    """Save a drawing that stumped the model into the collection and log it.

    Args:
        name: the collection, e.g. "our-class".
        meant: the digit the student meant, 0 to 9 (the saved label).
        read_as: the digit the model read, 0 to 9; must differ from `meant`.
        image: (28, 28) float array in [0, 1], white ink on black.
        nickname: who drew it, any text.

    Returns:
        The saved file's name, e.g. "ada-3.png".

    Raises:
        ValueError: the model read it right (not a stump), or a bad digit or image.
    """
    if read_as not in range(10):
        raise ValueError(f"The model's answer must be a digit from 0 to 9, got {read_as!r}.")
    if read_as == meant:
        raise ValueError(_("Not a stump: the model read your {digit} right.").format(digit=meant))
    file_name = collection.save_drawing(name, meant, image, nickname)
    when = datetime.datetime.now().isoformat(timespec="seconds")
    # One short write in append mode: lines from students stumping at once never interleave.
    with open(collection.folder(name) / LOG_NAME, "a", encoding="utf-8") as log:
        log.write(f"{when}\t{collection.clean_nickname(nickname)}\t{meant}/{file_name}\t"
                  f"{read_as}\n")
    return file_name


def leaderboard(name):
    """Stumps per nickname, most first; a stump the teacher removed no longer counts.

    Returns:
        List of (nickname, stumps) pairs, most stumps first, then by nickname.
    """
    log_path = collection.folder(name) / LOG_NAME
    if not log_path.is_file():
        return []
    per_nickname = collections.Counter()
    for line in log_path.read_text(encoding="utf-8").splitlines():
        fields = line.split("\t")
        if len(fields) == 4 and (collection.folder(name) / fields[2]).is_file():
            per_nickname[fields[1]] += 1
    return sorted(per_nickname.items(), key=lambda pair: (-pair[1], pair[0]))

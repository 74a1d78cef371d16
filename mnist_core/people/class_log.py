"""The class log: who stopped, removed, uploaded or changed what, and when.

One line per action, in the server's terminal (logger "mnist_lab.class") and appended to
`$MNIST_LAB_HOME/class.log` as tab-separated fields: time, pupil id, who, action, what. Who did
it always comes from the `Person` (the browser's id), never from a name typed for the action.
"""

import datetime
import logging

from mnist_core import lab_home

LOG_NAME = "class.log"
FIELDS = ("when", "pupil", "who", "action", "what")

logger = logging.getLogger("mnist_lab.class")
if not logger.handlers:
    # Streamlit configures only its own loggers: without a handler these lines would not show.
    _handler = logging.StreamHandler()
    _handler.setFormatter(logging.Formatter("%(asctime)s class: %(message)s", "%H:%M:%S"))
    logger.addHandler(_handler)
    logger.setLevel(logging.INFO)
    logger.propagate = False


def path():
    """Where the log is kept: `$MNIST_LAB_HOME/class.log`."""
    return lab_home.home() / LOG_NAME


def _field(text):
    """One field of a line: tabs and line breaks (a typed name may hold them) become spaces."""
    return " ".join(str(text).split())


def record(person, action, what):
    """Log one action of `person` (a `Person`), e.g. ("stopped", "cnn on mnist of ada").

    Returns:
        The line written, without its line break.
    """
    when = datetime.datetime.now().isoformat(timespec="seconds")
    line = "\t".join(_field(field) for field in (when, person.id, person.who(), action, what))
    logger.info("%s (%s): %s %s", _field(person.who()), person.id[:8], action, _field(what))
    path().parent.mkdir(parents=True, exist_ok=True)
    # One short write in append mode: lines from concurrent actions never interleave.
    with open(path(), "a", encoding="utf-8") as log:
        log.write(line + "\n")
    return line


def entries(limit=500):
    """The newest `limit` lines, newest first, as dicts with the keys of `FIELDS`."""
    if not path().is_file():
        return []
    lines = path().read_text(encoding="utf-8").splitlines()[-limit:]
    return [dict(zip(FIELDS, line.split("\t"))) for line in reversed(lines)
            if line.count("\t") == len(FIELDS) - 1]

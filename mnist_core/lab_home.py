"""The lab's folder, `$MNIST_LAB_HOME`: where it is, what may be named in it, how to write there.

Saved models, stored data sets, class collections and remembered download failures all live
under it; every process of the lab (the server, training workers, the command line) agrees on
it through this module.
"""

import os
import pathlib
import re
import tempfile

NAME_PATTERN = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,99}")


def home():
    """The lab's folder: `$MNIST_LAB_HOME`, or `~/.mnist_lab` when that is not set."""
    return pathlib.Path(os.environ.get("MNIST_LAB_HOME") or pathlib.Path.home() / ".mnist_lab")


def atomic_write(path, write):
    """Call `write(temporary path)`, then put that file in place under `path` in one step.

    Written beside the target then renamed, so a crash never leaves half a file under the name;
    the temporary file is removed if `write` fails.
    """
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.stem}.",
                                         suffix=path.suffix)
    os.close(handle)
    try:
        write(temporary)
        os.replace(temporary, path)
    finally:
        if os.path.exists(temporary):
            os.remove(temporary)


def clean_name(text, fallback):
    """A valid store name made from any text (`fallback` when nothing of it is left).

    Characters a name may not hold become dashes, and it is cut to leave room for a `-<n>`.
    """
    return re.sub(r"[^A-Za-z0-9._-]+", "-", text)[:90].strip("-._") or fallback

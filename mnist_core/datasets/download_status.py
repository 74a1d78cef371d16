"""Where a data set's download stands, with its last failure remembered on disk for an hour.

The failure is kept in a small JSON file in the lab's home (`lab_home.home()`), shared by every
process, so that no start of the lab waits on the same dead network again.
"""

import dataclasses
import json
import pathlib
import time

from mnist_core import lab_home
from mnist_core.i18n import gettext as _

RETRY_AFTER_SECONDS = 3600


@dataclasses.dataclass(frozen=True)
class Status:
    """Where the download of one data set stands.

    `state` is "offline by choice" (`MNIST_LAB_OFFLINE` is set), "not started", "downloading",
    "failed" or "ready"; `progress` is the fraction of bytes received (0-1); `error` says how
    the last attempt failed and `failed_at` when (seconds since the epoch).
    """

    state: str
    progress: float = 0.0
    error: str = ""
    failed_at: float = 0.0

    def summary(self):
        """One clause for a reader, in their language: what happens to the download and why."""
        if self.state == "failed":
            retry_at = time.strftime("%H:%M", time.localtime(self.failed_at + RETRY_AFTER_SECONDS))
            return _("the download failed ({error}); the lab tries again after {time}").format(
                error=self.error, time=retry_at)
        if self.state == "downloading":
            return _("the download is still running in the background")
        if self.state == "offline by choice":
            return _("the lab is offline by choice (MNIST_LAB_OFFLINE is set)")
        if self.state == "not started":
            return _("the download has not started")
        return _("it is ready")


def remembered_failures():
    """Failures younger than `RETRY_AFTER_SECONDS`.

    Returns:
        data set name -> {"error": why it failed, "failed_at": seconds since the epoch}.
    """
    try:
        failures = json.loads(_path().read_text())
    except (OSError, ValueError):
        return {}
    return {name: failure for name, failure in failures.items()
            if time.time() - failure["failed_at"] < RETRY_AFTER_SECONDS}


def remember_failure(name, error):
    """Remember that the download of data set `name` failed now, and why (`error`)."""
    _write(dict(remembered_failures(), **{name: {"error": error, "failed_at": time.time()}}))


def forget_failure(name):
    """Forget a remembered failure of data set `name`, if there is one."""
    failures = remembered_failures()
    if failures.pop(name, None):
        _write(failures)


def _path():
    """The JSON file that holds the failures."""
    return lab_home.home() / "download_failures.json"


def _write(failures):
    """Replace the file with `failures` in one step (a reader never sees half of it)."""
    path = _path()
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(failures, indent=2) + "\n"
    lab_home.atomic_write(path, lambda temporary: pathlib.Path(temporary).write_text(text))

"""The class-wide registry of training jobs that wait for a trainer or train, oldest first.

Jobs live here, not in a page's session: a reload or a second tab is a new session, and every
session must still see and stop them.
"""

import threading

from mnist_core.i18n import gettext as _

_lock = threading.Lock()
_jobs = {}  # job id -> every job that waits or trains, oldest first


def active():
    """Every job of the class that waits for a trainer or trains, oldest first."""
    with _lock:
        return list(_jobs.values())


def owned_by(owner):
    """The job `owner` (a browser session's id) has waiting or training, or None."""
    with _lock:
        return _owned_by(owner)


def _owned_by(owner):
    """`owned_by` for a caller that holds the lock."""
    return next((job for job in _jobs.values() if owner is not None and job.owner == owner),
                None)


def add(job):
    """Register a job that is about to wait for a trainer.

    Args:
        job: a `jobs.TrainingJob` whose `id` and `owner` are set.

    Raises:
        ValueError: its owner already has a job waiting or training.
    """
    with _lock:
        if _owned_by(job.owner) is not None:
            raise ValueError(_("You already have a model training or waiting for a trainer: "
                               "stop it or let it finish first. Each browser trains one "
                               "model at a time, so that the class shares the trainers."))
        _jobs[job.id] = job


def remove(job):
    """Forget a job that has ended (nothing happens if it is not registered)."""
    with _lock:
        _jobs.pop(job.id, None)


def first_waiting():
    """The oldest job still waiting for a trainer, or None: the next to take a free one."""
    with _lock:
        return next((job for job in _jobs.values() if job.waiting), None)

"""Training jobs that outlive a page: one model each, or a queue of them, sharing the trainers.

Why a separate process: Streamlit calls `keras.backend.clear_session()` after every script run,
which resets Keras' global state under any thread that is training, and a training thread
would share the interpreter with the web server. A worker process (see `job_process`) has its
own Keras and uses the CPU cores without slowing the pages. Every session of the class sees
the same jobs (see `job_registry`). The queue lives in `job_queue`.
"""

import os
import pathlib
import shutil
import tempfile
import threading
import time
import uuid

import numpy as np

from mnist_core import job_process, job_registry
from mnist_core.job_queue import TrainingQueue
from mnist_core.job_progress import FINAL_STATES, Progress
from mnist_core.job_registry import active, owned_by

__all__ = ["FINAL_STATES", "MAX_RUNNING", "MAX_TRAINING_SECONDS", "TrainingJob",
           "TrainingQueue", "active", "owned_by"]


def _setting(variable, default):
    """The whole number (at least 1) environment `variable` holds, or `default`."""
    value = os.environ.get(variable, "").strip()
    return max(1, int(value)) if value.isdigit() else default


# A whole class shares one server: every browser session can start training, and each worker
# already uses every CPU core (and about a gigabyte), so more at once only slows them all.
# Jobs beyond this many wait for a free trainer ($MNIST_LAB_MAX_TRAINING sets how many).
MAX_RUNNING = _setting("MNIST_LAB_MAX_TRAINING", 2)
_trainers = threading.Semaphore(MAX_RUNNING)
# An abandoned or runaway job must not hold one of those trainers for the rest of the lesson.
MAX_TRAINING_SECONDS = 60 * _setting("MNIST_LAB_MAX_TRAINING_MINUTES", 30)


class TrainingJob:
    """Train a zoo model on a data set in a worker process; poll it with `snapshot()`."""

    def __init__(self, model_name, dataset, epochs, batch_size, validation_split=0.2,
                 on_finish=None, owner=None, nickname="", teach=None):
        """Register the job and train at once, or as soon as a trainer is free.

        Args:
            model_name: one of `models.available()`.
            dataset: a `data.Dataset` (handed to the worker, so it is not loaded twice).
            epochs, batch_size, validation_split: as for `train.fit`.
            on_finish: called with no arguments, from a background thread, once the job has
                ended and cleaned up.
            owner: id of the browser session starting it, which may have one job at a time.
            nickname: shown to the class next to the job.
            teach: to fine-tune a trained model on `dataset` (MNIST) plus a class collection
                instead (see `teach.teach_and_save`): (model key text, collection name,
                drawings (K, 28, 28) uint8, labels (K,)); `validation_split` is then unused.

        Raises:
            ValueError: `owner` already has a job waiting or training.
        """
        self.model_name, self.epochs, self.owner = model_name, epochs, owner
        self.dataset_name, self.nickname = dataset.name, nickname.strip()
        self.id, self._on_finish = uuid.uuid4().hex, on_finish
        self._progress, self._ended = Progress(epochs), threading.Event()
        job_registry.add(self)
        self.folder = pathlib.Path(tempfile.mkdtemp(prefix="mnist-lab-job-"))
        worker_arguments = [model_name, str(epochs), str(batch_size), str(validation_split)]
        if teach is not None:
            worker_arguments += teach[:2]
        threading.Thread(target=self._run, args=(dataset, worker_arguments, teach),
                         daemon=True).start()

    def _run(self, dataset, worker_arguments, teach):
        """Hand the data to the worker, train once a trainer is free, then clean up."""
        try:
            _save_dataset(dataset, self.folder / "data.npz")
            if teach is not None:
                np.savez(self.folder / "ours.npz", images=teach[2], labels=teach[3])
            self._wait_and_train(worker_arguments)
        except Exception as error:  # noqa: BLE001 - e.g. a full disk: shown, not lost
            self._progress.record({"type": "failed", "error": f"{type(error).__name__}: {error}"})
        finally:
            self._progress.record({"type": "stopped", "result": None})  # if it never started
            shutil.rmtree(self.folder, ignore_errors=True)
            job_registry.remove(self)
            self._ended.set()
            if self._on_finish is not None:
                self._on_finish()

    def _wait_and_train(self, worker_arguments):
        """Train once this job is first in line and a trainer is free, unless stopped first."""
        # Jobs take free trainers in the order they were started (a semaphore alone lets any
        # waiting thread win); a job stopped while it waits never starts a worker.
        trainers = _trainers
        while not (job_registry.first_waiting() is self and trainers.acquire(timeout=0.2)):
            if self._progress.stop_asked:
                return
            time.sleep(0.1)
        try:
            if not self._progress.stop_asked:
                self._progress.record({"type": "starting"})
                exit_code, terminated, last_lines = job_process.run(
                    self.folder, worker_arguments, self._progress.record, self._exit_deadline)
                self._progress.record_exit(exit_code, terminated, last_lines)
        finally:
            trainers.release()

    def _exit_deadline(self, seconds_trained):
        """Stop a job at the time limit; when its worker must have exited by, or None."""
        if seconds_trained > MAX_TRAINING_SECONDS and not self._progress.stop_asked:
            self._progress.time_limit_reached = True
            self.stop()
        return self._progress.exit_deadline()

    @property
    def waiting(self):
        """True while the job waits for a free trainer."""
        return self._progress.state == "waiting"

    def stop(self):
        """Ask the job to stop: the worker keeps its finished epochs, or is ended if frozen."""
        self._progress.ask_stop()
        try:
            (self.folder / "stop").touch()
        except FileNotFoundError:
            pass  # the job has ended and its folder is gone

    @property
    def finished(self):
        """True once the job has ended, its worker is gone and its trainer is free."""
        return self._ended.is_set()

    def snapshot(self):
        """The job's progress for display (see `job_snapshot.Snapshot`)."""
        return self._progress.snapshot(model_name=self.model_name,
                                       dataset_name=self.dataset_name,
                                       nickname=self.nickname, trainers=MAX_RUNNING)


def _save_dataset(dataset, path):
    """Write a `data.Dataset` to an .npz file for the worker to read."""
    np.savez(path, x_train=dataset.x_train, y_train=dataset.y_train, x_test=dataset.x_test,
             y_test=dataset.y_test, class_names=np.array(dataset.class_names),
             source=np.array(dataset.source), name=np.array(dataset.name))

"""Training jobs that outlive a page, in one registry for the whole class.

Why a separate process: Streamlit calls `keras.backend.clear_session()` after every script run,
which resets Keras' global state under any thread that is training, and a training thread
would share the interpreter with the web server. A worker process has its own Keras and uses the
CPU cores without slowing the pages. It is started as `python -m mnist_core.job_worker` rather
than through multiprocessing, whose "spawn" start re-runs the parent's `__main__` (under
Streamlit: the app script) in the child. Jobs live in this module, not in a page's session: a
reload or a second tab is a new session, and every session must still see and stop them.
"""

import os
import pathlib
import shutil
import subprocess
import sys
import tempfile
import threading
import time
import uuid

import numpy as np

from mnist_core import job_worker
from mnist_core.job_snapshot import Snapshot

FINAL_STATES = ("done", "stopped", "failed")
# A whole class shares one server: every browser session can start training, and each worker
# already uses every CPU core (and about a gigabyte), so more at once only slows them all.
# Jobs beyond this many wait for a free trainer ($MNIST_LAB_MAX_TRAINING sets how many).
_setting = os.environ.get("MNIST_LAB_MAX_TRAINING", "").strip()
MAX_RUNNING = max(1, int(_setting)) if _setting.isdigit() else 2
_trainers = threading.Semaphore(MAX_RUNNING)
# An abandoned or runaway job must not hold one of those trainers for the rest of the lesson.
_minutes = os.environ.get("MNIST_LAB_MAX_TRAINING_MINUTES", "").strip()
MAX_TRAINING_SECONDS = 60 * (max(1, int(_minutes)) if _minutes.isdigit() else 30)
# A worker sees a stop within a second, unless it is still loading TensorFlow or is frozen.
STOP_SECONDS = 5
SAVE_SECONDS = 120  # after it saw the stop: testing and saving a big model on a busy laptop
EXIT_SECONDS = 10  # after its last report
KILL_SECONDS = 3  # after SIGTERM, before SIGKILL (a frozen process ignores SIGTERM)

# The worker's module (tests swap in one that misbehaves).
WORKER_MODULE = "mnist_core.job_worker"

_registry_lock = threading.Lock()
_registry = {}  # job id -> every job that waits or trains, oldest first


def active():
    """Every job of the class that waits for a trainer or trains, oldest first."""
    with _registry_lock:
        return list(_registry.values())


def owned_by(owner):
    """The job `owner` (a browser session's id) has waiting or training, or None."""
    with _registry_lock:
        return _job_of(owner)


def _job_of(owner):
    """`owned_by` for a caller that holds the registry lock."""
    return next((job for job in _registry.values()
                 if owner is not None and job.owner == owner), None)


class TrainingJob:
    """Train a zoo model on a data set in a worker process; poll it with `snapshot()`."""

    def __init__(self, model_name, dataset, epochs, batch_size, validation_split=0.2,
                 on_finish=None, owner=None, nickname=""):
        """Register the job and train at once, or as soon as a trainer is free.

        Args:
            model_name: one of `models.available()`.
            dataset: a `data.Dataset` (handed to the worker, so it is not loaded twice).
            epochs, batch_size, validation_split: as for `train.fit`.
            on_finish: called with no arguments, from a background thread, once the job has
                ended and cleaned up.
            owner: id of the browser session starting it, which may have one job at a time.
            nickname: shown to the class next to the job.

        Raises:
            ValueError: `owner` already has a job waiting or training.
        """
        self.model_name, self.epochs, self.owner = model_name, epochs, owner
        self.dataset_name, self.nickname = dataset.name, nickname.strip()
        self.id, self._on_finish = uuid.uuid4().hex, on_finish
        self._lock, self._ended = threading.Lock(), threading.Event()
        self._state, self._history, self._batch = "waiting", [], (0, 1)
        self._result = self._error = self._training_started = None
        self._stop_asked = self._stop_seen = self._final_at = None
        self._time_limit_reached = False
        self._started = time.monotonic()
        with _registry_lock:
            if _job_of(owner) is not None:
                raise ValueError("You already have a model training or waiting for a trainer: "
                                 "stop it or let it finish first. Each browser trains one "
                                 "model at a time, so that the class shares the trainers.")
            _registry[self.id] = self
        self.folder = pathlib.Path(tempfile.mkdtemp(prefix="mnist-lab-job-"))
        arguments = [model_name, str(epochs), str(batch_size), str(validation_split)]
        threading.Thread(target=self._run, args=(dataset, arguments), daemon=True).start()

    def _run(self, dataset, arguments):
        try:
            _save_dataset(dataset, self.folder / "data.npz")
            self._wait_and_train(arguments)
        except Exception as error:  # noqa: BLE001 - e.g. a full disk: shown, not lost
            self._record({"kind": "failed", "error": f"{type(error).__name__}: {error}"})
        finally:
            self._record({"kind": "stopped", "result": None})  # if it never started
            shutil.rmtree(self.folder, ignore_errors=True)
            with _registry_lock:
                _registry.pop(self.id, None)
            self._ended.set()
            if self._on_finish is not None:
                self._on_finish()

    def _wait_and_train(self, arguments):
        # Jobs take free trainers in the order they were started (a semaphore alone lets any
        # waiting thread win); a job stopped while it waits never starts a worker.
        trainers = _trainers
        while not (self._first_in_line() and trainers.acquire(timeout=0.2)):
            if self._stop_asked is not None:
                return
            time.sleep(0.1)
        try:
            if self._stop_asked is None:
                self._train(arguments)
        finally:
            trainers.release()

    def _first_in_line(self):
        with _registry_lock:
            return next(job for job in _registry.values() if job._state == "waiting") is self

    def _train(self, arguments):
        self._record({"kind": "starting"})
        with open(self.folder / "worker.log", "w+") as log:
            process = subprocess.Popen(
                [sys.executable, "-m", WORKER_MODULE, str(self.folder), *arguments],
                stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=log, text=True,
                errors="replace", cwd=pathlib.Path(__file__).resolve().parent.parent)
            reader = threading.Thread(target=self._read, args=(process.stdout,), daemon=True)
            reader.start()
            ended_by_us = self._wait_for_exit(process)
            reader.join(timeout=EXIT_SECONDS)
            log.seek(0)
            last_lines = " ".join(log.read().strip().splitlines()[-3:])
        self._record(self._unexpected_end(process.returncode, ended_by_us, last_lines))

    def _read(self, stdout):
        for line in stdout:
            event = job_worker.parse_event(line)
            if event is not None:
                self._record(event)

    def _wait_for_exit(self, process):
        """Wait for the worker to exit; end it if it outstays its deadline.

        Returns:
            True if it had to be terminated.
        """
        started, terminated_at = time.monotonic(), None
        while True:
            try:
                process.wait(timeout=0.2)
                return terminated_at is not None
            except subprocess.TimeoutExpired:
                now = time.monotonic()
            if now - started > MAX_TRAINING_SECONDS and self._stop_asked is None:
                self._time_limit_reached = True
                self.stop()
            deadline = self._exit_deadline()
            if terminated_at is None and deadline is not None and now > deadline:
                process.terminate()
                terminated_at = now
            elif terminated_at is not None and now > terminated_at + KILL_SECONDS:
                process.kill()

    def _exit_deadline(self):
        """When the worker should have exited by, or None while it may train on."""
        with self._lock:
            if self._final_at is not None:
                return self._final_at + EXIT_SECONDS
            if self._stop_seen is not None:
                return self._stop_seen + SAVE_SECONDS
            return None if self._stop_asked is None else self._stop_asked + STOP_SECONDS

    def _unexpected_end(self, exit_code, ended_by_us, last_lines):
        """The event that ends a job whose worker exited without reporting an outcome."""
        if not ended_by_us:
            return {"kind": "failed", "error": "The training process ended unexpectedly "
                                               f"(exit code {exit_code}): {last_lines}"}
        if not self._history:
            return {"kind": "stopped", "result": None}
        return {"kind": "failed", "error": f"The trainer did not answer within {STOP_SECONDS} "
                                           "s of the stop and was ended: its finished epochs "
                                           "could not be saved."}

    def _record(self, event):
        with self._lock:
            kind, now = event["kind"], time.monotonic()
            if self._state in FINAL_STATES:
                return
            if kind == "running":
                self._state, self._training_started = "running", now
            elif kind == "batch":
                self._batch = (event["done"], event["total"])
            elif kind == "epoch":
                self._history.append(event["metrics"])
                self._batch = (0, self._batch[1])
            elif kind == "stopping":
                self._stop_seen = now
            else:
                self._state, self._error, self._result = kind, event.get("error"), event.get(
                    "result")
                self._final_at = now if kind in FINAL_STATES else None

    def stop(self):
        """Ask the job to stop: the worker keeps its finished epochs, or is ended if frozen."""
        with self._lock:
            self._stop_asked = self._stop_asked or time.monotonic()
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
        with self._lock:
            state, history, batch = self._state, tuple(self._history), self._batch
            stopping = self._stop_asked is not None and state in ("starting", "running")
            training_started = self._training_started
            result, error = self._result, self._error
        # Testing follows the last epoch, or a stop once at least one epoch is kept.
        testing = state == "running" and (
            len(history) == self.epochs or (stopping and len(history) > 0))
        now = time.monotonic()
        progress = (len(history) + batch[0] / batch[1]) / self.epochs
        eta = None
        if training_started is not None and 0 < progress < 1:
            eta = (now - training_started) * (1 - progress) / progress
        return Snapshot(self.model_name, self.dataset_name, self.nickname, state, self.epochs,
                        history, batch, stopping, testing, self._time_limit_reached,
                        now - self._started, eta, result, error, MAX_RUNNING)


def _save_dataset(dataset, path):
    np.savez(path, x_train=dataset.x_train, y_train=dataset.y_train, x_test=dataset.x_test,
             y_test=dataset.y_test, class_names=np.array(dataset.class_names),
             source=np.array(dataset.source), name=np.array(dataset.name))


class TrainingQueue:
    """Several zoo models trained one after another on the same data, in the background.

    The next job starts as soon as the one before it finishes, whether or not a page is
    looking, so a comparison carries on while the class visits other pages.
    """

    def __init__(self, plan, dataset, validation_split=0.2, owner=None, nickname=""):
        """Start the first job at once.

        Args:
            plan: list of (model name, epochs, batch size), in training order.
            dataset, validation_split, owner, nickname: as for `TrainingJob`.

        Raises:
            ValueError: `owner` already has a job waiting or training.
        """
        self.plan, self.jobs, self.cancelled = list(plan), [], False
        self.dataset, self._validation_split = dataset, validation_split
        self._owner, self._nickname = owner, nickname
        self._lock = threading.Lock()
        self._start_next()

    def _start_next(self):
        with self._lock:
            if self.cancelled or len(self.jobs) == len(self.plan):
                return
            model_name, epochs, batch_size = self.plan[len(self.jobs)]
            try:
                self.jobs.append(TrainingJob(
                    model_name, self.dataset, epochs, batch_size, self._validation_split,
                    on_finish=self._start_next, owner=self._owner, nickname=self._nickname))
            except ValueError:
                if not self.jobs:
                    raise  # the page says why nothing started
                self.cancelled = True  # its owner started another job meanwhile

    def stop(self):
        """Stop the job in training (it keeps its finished epochs) and cancel the rest."""
        with self._lock:
            self.cancelled = True
            for job in self.jobs:
                job.stop()

    @property
    def finished(self):
        """True once every job has ended or the queue was stopped and its job ended."""
        with self._lock:
            jobs_left = not self.cancelled and len(self.jobs) < len(self.plan)
            return not jobs_left and all(job.finished for job in self.jobs)

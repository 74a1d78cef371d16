"""The class's training jobs: one model each, a queue of them, and the list every session sees.

Why a separate process: Streamlit calls `keras.backend.clear_session()` after every script run,
which resets Keras' global state under any thread that is training, and a training thread
would share the interpreter with the web server. A worker process (see `process`) has its
own Keras and uses the CPU cores without slowing the pages.

Jobs are listed here, not in a page's session: a reload or a second tab is a new session, and
every session must still see them, and their followers (pupil ids) find them (`active`,
`owned_by`).

The same run is trained once: `start` joins a pupil to the job of equal settings already
waiting or training instead of queuing a copy (a 30-pupil class pressing Start together would
otherwise train the same model 30 times, ~2 minutes of both cores each). A follower's Stop
leaves the job; it stops for everyone when its last follower leaves or the teacher stops it.
`forecasts` tells each job when it should start and end, from this machine's measured speed.
"""

import collections
import hashlib
import os
import pathlib
import shutil
import statistics
import tempfile
import threading
import time
import uuid

import numpy as np

from mnist_core.i18n import gettext as _
from mnist_core.networks import store
from mnist_core.people import class_log
from mnist_core.training import forecast, process
from mnist_core.training.progress import FINAL_STATES, Progress

_lock = threading.Lock()
_jobs = {}  # job id -> every job that waits or trains, oldest first


def active():
    """Every job of the class that waits for a trainer or trains, oldest first."""
    with _lock:
        return list(_jobs.values())


def owned_by(owner):
    """The job `owner` (a pupil id: one browser, any tab) follows, waiting or training, or None."""
    with _lock:
        return _owned_by(owner)


def _owned_by(owner):
    """`owned_by` for a caller that holds the lock."""
    return next((job for job in _jobs.values() if owner is not None and owner in job._followers),
                None)


def start(model_name, dataset, epochs, batch_size, validation_split=0.2, on_finish=None,
          owner=None, nickname="", teach=None):
    """Join the class's job of equal settings that waits or trains, or start a new one.

    Args:
        model_name, dataset, epochs, batch_size, validation_split, on_finish, owner,
            nickname, teach: as for `TrainingJob`.

    Returns:
        The `TrainingJob` that `owner` now follows (one that others may follow too).

    Raises:
        ValueError: `owner` already follows a job.
    """
    settings = run_settings(model_name, dataset, epochs, batch_size, validation_split, teach)
    with _starting:  # two pupils pressing Start together must not both find no job to join
        with _lock:
            if _owned_by(owner) is not None:
                raise ValueError(already_training())
            same = next((job for job in _jobs.values()
                         if job.settings == settings and job._joinable()), None)
            if same is not None and owner is not None:
                same._followers.append(owner)
                if on_finish is not None:
                    same._on_finish.append(on_finish)
                return same
        return TrainingJob(model_name, dataset, epochs, batch_size, validation_split,
                           on_finish=on_finish, owner=owner, nickname=nickname, teach=teach)


def run_settings(model_name, dataset, epochs, batch_size, validation_split=0.2, teach=None):
    """What makes two runs the same run: equal settings train the same model (seeded).

    Args:
        as for `TrainingJob`.

    Returns:
        A hashable tuple: model, data set (name, source and size, so a new version differs),
        epochs, batch size, validation split; for teaching, the base model, the collection
        and a digest of its drawings and labels (its state).
    """
    taught = None
    if teach is not None:
        digest = hashlib.sha256(np.ascontiguousarray(teach[2]).tobytes())
        digest.update(np.asarray(teach[3]).astype(np.int64).tobytes())
        taught = (teach[0], teach[1], digest.hexdigest())
    return (model_name, dataset.name, dataset.source, len(dataset.x_train), int(epochs),
            int(batch_size), None if teach else round(float(validation_split), 6), taught)


def already_training():
    """The refusal a pupil gets for a second job, in their language."""
    return _("You already have a model training or waiting for a trainer: stop it or let it "
             "finish first. Each browser trains one model at a time, so that the class shares "
             "the trainers.")


def _register(job):
    """Register a job that is about to wait for a trainer.

    Args:
        job: a `TrainingJob` whose `id` and `owner` are set.

    Raises:
        ValueError: its owner already has a job waiting or training.
    """
    with _lock:
        if _owned_by(job.owner) is not None:
            raise ValueError(already_training())
        _jobs[job.id] = job


def _forget(job):
    """Forget a job that has ended (nothing happens if it is not registered)."""
    with _lock:
        _jobs.pop(job.id, None)


def _first_waiting():
    """The oldest job still waiting for a trainer, or None: the next to take a free one."""
    with _lock:
        return _first_in_line()


def _first_in_line():
    """`_first_waiting()`, for a caller holding `_lock`."""
    return next((job for job in _jobs.values() if job.waiting and not job.has_trainer), None)


def _take_trainer(job, busy):
    """Whether `job`, first in line, took a free trainer (it gives it back with
    `_give_back_trainer`). Jobs take them in the order they were started, on this server as
    on a Ray cluster, whose own queue would let any waiting run go first.

    Args:
        job: a waiting `TrainingJob`.
        busy: `_busy`, as the job found it when it began to wait.
    """
    free = trainers()
    with _lock:
        if _first_in_line() is not job or busy["trainers"] >= free:
            return False
        busy["trainers"] += 1
        job.has_trainer = True
        return True


def _give_back_trainer(busy):
    """Free the trainer a job took from `busy` with `_take_trainer`."""
    with _lock:
        busy["trainers"] -= 1


def _setting(variable, default, kind=int):
    """The positive number environment `variable` holds (of type `kind`), or `default`."""
    try:
        value = kind(os.environ.get(variable, "").strip())
    except ValueError:
        return default
    return value if value > 0 else default


# A whole class shares one server: every browser session can start training, and each worker
# already uses every CPU core (and about a gigabyte), so more at once only slows them all.
# Jobs beyond this many wait for a free trainer ($MNIST_LAB_MAX_TRAINING sets how many).
MAX_RUNNING = _setting("MNIST_LAB_MAX_TRAINING", 2)
_busy = {"trainers": 0}  # jobs holding a trainer (see `_take_trainer`)
# What trains a job once a trainer is free: this server's worker processes (`process`), or,
# in the Ray cluster's registry, the cluster (`cluster_run`, set by `train_on`).
_engine = {"module": process}
_starting = threading.Lock()  # held by `start` from its search for an equal job to its register
# An abandoned or runaway job must not hold one of those trainers for the rest of the lesson.
MAX_TRAINING_SECONDS = 60 * _setting("MNIST_LAB_MAX_TRAINING_MINUTES", 30, kind=float)


def cluster_address():
    """The Ray cluster's address that `$MNIST_LAB_RAY_ADDRESS` names (e.g. "auto",
    "head:6379"), or None: this server trains the class's jobs itself."""
    return os.environ.get("MNIST_LAB_RAY_ADDRESS", "").strip() or None


def train_on(engine):
    """Train every job from now on with `engine`, a module with `run` and `trainers` as
    `cluster_run`'s: as many jobs as it has trainers are handed to it at once."""
    _engine["module"] = engine


def trainers():
    """How many jobs the class trains at once (the rest wait)."""
    engine = _engine["module"]
    return MAX_RUNNING if engine is process else engine.trainers()


def stop_refusal():
    """The refusal a pupil gets when stopping a classmate's run, in their language."""
    return _("Only the pupil who started this run, or the teacher, may stop it.")


class TrainingJob:
    """Train a zoo model on a data set in a worker process; poll it with `snapshot()`.

    Pages start one through `start`, which joins an equal job instead when there is one.
    """

    def __init__(self, model_name, dataset, epochs, batch_size, validation_split=0.2,
                 on_finish=None, owner=None, nickname="", teach=None):
        """Register the job and train at once, or as soon as a trainer is free.

        Args:
            model_name: one of `models.available()`.
            dataset: a `data.Dataset` (handed to the worker, so it is not loaded twice).
            epochs, batch_size, validation_split: as for `train.fit`.
            on_finish: called with no arguments, from a background thread, once the job has
                ended and cleaned up.
            owner: the pupil id of the browser starting it, which may follow one job at a
                time; its first follower (more join through `start`).
            nickname: shown to the class next to the job.
            teach: to fine-tune a trained model on `dataset` (MNIST) plus a class collection
                instead (see `teach.teach_and_save`): (model key text, collection name,
                drawings (K, 28, 28) uint8, labels (K,)); `validation_split` is then unused.

        Raises:
            ValueError: `owner` already has a job waiting or training.
        """
        self.model_name, self.epochs, self.owner = model_name, epochs, owner
        self.dataset_name, self.nickname = dataset.name, nickname.strip()
        self.id, self._on_finish = uuid.uuid4().hex, [on_finish] if on_finish else []
        self.settings = run_settings(model_name, dataset, epochs, batch_size, validation_split,
                                     teach)
        # Training images per epoch, for the forecast (teaching adds the collection's share).
        self.images_per_epoch = (len(dataset.x_train) * (1.0 - validation_split) if teach is None
                                 else len(dataset.x_train) * 4 / 3)
        self._followers = [owner] if owner is not None else []  # pupil ids, in joining order
        self._sharing = []  # how many jobs trained at once as each epoch ended, for `forecast`
        self.stopped_by_teacher = False
        self.has_trainer = False  # set by `_take_trainer` once the job's turn came
        self._progress, self._ended = Progress(epochs), threading.Event()
        _register(self)
        self.folder = pathlib.Path(tempfile.mkdtemp(prefix="mnist-lab-job-"))
        worker_arguments = [model_name, str(epochs), str(batch_size), str(validation_split),
                            owner or "", self.nickname]
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
            _learn_speed(self)
            _forget(self)
            self._ended.set()
            for on_finish in list(self._on_finish):
                on_finish()

    def _wait_and_train(self, worker_arguments):
        """Train once this job is first in line and a trainer is free, unless stopped first."""
        busy = _busy  # given back to the count it was taken from, even if `_busy` was replaced
        while not _take_trainer(self, busy):
            if self._progress.stop_asked:
                return  # a job stopped while it waits never starts a worker
            time.sleep(0.1)
        try:
            engine = _engine["module"]
            if self._progress.stop_asked:
                return
            if engine is process:
                self._progress.record({"type": "starting"})
            # The cluster's task says when it starts: it may still wait for a machine's CPUs.
            # With a job in line, a spare worker process loads TensorFlow for it meanwhile.
            exit_code, terminated, last_lines = engine.run(
                self.folder, worker_arguments, self._record, self._exit_deadline,
                prepare_next=_first_waiting() is not None)
            self._progress.record_exit(exit_code, terminated, last_lines)
        finally:
            _give_back_trainer(busy)

    def _record(self, event):
        """Take in a worker's event, noting how many jobs shared the machine for each epoch."""
        if event["type"] == "epoch":
            self._sharing.append(_training_now())
        self._progress.record(event)

    def _exit_deadline(self, seconds_trained):
        """Stop a job at the time limit; when its worker must have exited by, or None."""
        if seconds_trained > MAX_TRAINING_SECONDS and not self._progress.stop_asked:
            self._progress.time_limit_reached = True
            self._ask_stop()
        return self._progress.exit_deadline()

    @property
    def waiting(self):
        """True while the job waits for a free trainer."""
        return self._progress.state == "waiting"

    def _joinable(self):
        """Whether a pupil may still join: not ending, not stopping (the caller holds `_lock`;
        a registered job has not ended: `_run` forgets it first)."""
        return not self._progress.stop_asked and self._progress.state not in FINAL_STATES

    def follows(self, pupil_id):
        """Whether `pupil_id` follows this job: started or joined it and has not left."""
        with _lock:
            return pupil_id in self._followers

    def others_following(self, pupil_id):
        """How many pupils besides `pupil_id` follow this job."""
        return len([follower for follower in self.followers() if follower != pupil_id])

    def followers(self):
        """The pupil ids following this job, in joining order."""
        with _lock:
            return tuple(self._followers)

    def stop(self, by):
        """Leave the job, or stop it for everyone; logged in the class log.

        A follower leaves; the job stops once its last follower has left, or at once when
        the teacher (or the lab) stops it.

        Args:
            by: the `Person` pressing Stop.

        Returns:
            True if the job was asked to stop, False if only `by` left it.

        Raises:
            PermissionError: `by` is a pupil who does not follow it.
        """
        with _lock:
            follower = by.id in self._followers
            if not (follower or by.is_teacher):
                raise PermissionError(stop_refusal())
            leaving = follower and not by.is_teacher and len(self._followers) > 1
            if follower and not by.is_teacher:
                self._followers.remove(by.id)
            self.stopped_by_teacher = by.is_teacher and by.id != self.owner
        class_log.record(by, "left" if leaving else "stopped", self.description())
        if not leaving:
            self._ask_stop()
        return not leaving

    def description(self):
        """The job for the class log, e.g. "cnn on mnist, started by ada"."""
        return f"{self.model_name} on {self.dataset_name}, started by {self.nickname or '-'}"

    def _ask_stop(self):
        """Stop: the worker keeps its finished epochs, or is ended if frozen."""
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
        """The job's progress for display (see `snapshot.Snapshot`)."""
        with _lock:
            followers = len(self._followers)
        return self._progress.snapshot(model_name=self.model_name,
                                       dataset_name=self.dataset_name,
                                       nickname=self.nickname, trainers=trainers(),
                                       followers=followers)


TRAINING_STATES = ("starting", "running")  # a job's states while its worker holds a trainer
_speeds = None  # (model, data set) -> measured seconds per image-epoch; see `forecast`
_start_ups = collections.deque(maxlen=5)  # seconds the latest trainers took to start here
# Seconds the latest runs trained outside their epochs (loading their data, testing, saving).
_outside_epochs = collections.deque(maxlen=5)


def forecasts():
    """When every job of the class should start and end, from this machine's measured speed.

    Returns:
        {job id: `forecast.Forecast`} for every job that waits or trains.
    """
    speeds = _measured_speeds()
    start_up = (sum(_start_ups) / len(_start_ups) if _start_ups
                else forecast.FIRST_GUESS_START_UP)
    outside_epochs = (sum(_outside_epochs) / len(_outside_epochs) if _outside_epochs
                      else forecast.FIRST_GUESS_OUTSIDE_EPOCHS)
    snapshots = [(job, job.snapshot()) for job in active()]
    # Measured while sharing the machine with these: a run's work alone is less than its eta.
    sharing = forecast.slowdown(len([1 for _job, snapshot in snapshots
                                     if snapshot.state in TRAINING_STATES]))
    busy, waiting = [], []
    for job, snapshot in snapshots:
        if snapshot.state in FINAL_STATES:
            continue
        expected = forecast.run_seconds(job.model_name, job.dataset_name, job.epochs,
                                        job.images_per_epoch, speeds, start_up, outside_epochs)
        if snapshot.state == "waiting" and not job.has_trainer:  # in line, as `_first_in_line`
            waiting.append((job, expected))
        elif snapshot.eta is not None:
            busy.append((job, snapshot.eta / sharing + outside_epochs))
        else:  # handed to the cluster (its task not yet begun), starting, or in its first epoch
            busy.append((job, max(1.0, expected - (snapshot.elapsed - (snapshot.waited or 0)))))
    started, line = forecast.schedule([seconds for _job, seconds in busy],
                                      [seconds for _job, seconds in waiting], trainers())
    return {job.id: estimate for (job, _seconds), estimate in
            zip(busy + waiting, started + line)}


def _measured_speeds():
    """`forecast.seconds_per_image` of this server's runs: read from the store once, then
    kept up to date by every job that finishes (`_learn_speed`)."""
    global _speeds
    with _lock:
        if _speeds is None:
            _speeds = forecast.seconds_per_image(store.saved_models())
        return dict(_speeds)


def _training_now():
    """How many jobs are training (their worker started) at this moment, at least 1."""
    return max(1, len([job for job in active() if job._progress.state in TRAINING_STATES]))


def _learn_speed(job):
    """Keep a finished job's start-up, epoch speed and time outside its epochs for forecasts."""
    snapshot = job.snapshot()
    if snapshot.start_up is not None and snapshot.history:
        _start_ups.append(snapshot.start_up)
    seconds = [epoch.get("seconds") for epoch in snapshot.history]
    if seconds and len(seconds) == len(job._sharing) and all(
            isinstance(second, (int, float)) for second in seconds):
        if snapshot.state == "done" and snapshot.trained is not None:
            _outside_epochs.append(max(0.0, snapshot.trained - sum(seconds)))
        _measured_speeds()  # the store's runs first, so that they do not replace this one
        key = (job.model_name, job.dataset_name)
        measured = statistics.median(second / forecast.slowdown(sharing)
                                     for second, sharing in zip(seconds, job._sharing))
        with _lock:
            _speeds[key] = measured / job.images_per_epoch


def _save_dataset(dataset, path):
    """Write a `data.Dataset` to an .npz file for the worker to read."""
    np.savez(path, x_train=dataset.x_train, y_train=dataset.y_train, x_test=dataset.x_test,
             y_test=dataset.y_test, class_names=np.array(dataset.class_names),
             source=np.array(dataset.source), name=np.array(dataset.name))

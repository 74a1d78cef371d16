"""The class's jobs kept in a Ray cluster, so that every lab server of a school shares them.

With `$MNIST_LAB_RAY_ADDRESS` set (e.g. "auto" or "head:6379"), one detached, named actor of
the cluster, the `Registry`, holds the class's `jobs` (the same module a lone server uses),
and trains them through `cluster_run`. Every lab server connected to the cluster lists,
follows and stops the same jobs through it, as `ClusterJob`s; the runs belong to the actor,
so a lab server that restarts does not end the runs it started.
"""

import collections
import dataclasses
import os
import pathlib
import threading
import time

import ray

import mnist_core
from mnist_core import lab_home
from mnist_core.i18n import N_
from mnist_core.training import cluster_run, jobs
from mnist_core.training.snapshot import Snapshot

NAMESPACE = "mnist-lab"
REGISTRY_NAME = "class-jobs"
HEAD_NODE = "node:__internal_head__"  # the resource only Ray's head node has
REFRESH_SECONDS = 0.2  # a page polls a job several times per run: one call to the actor serves
# Never sent to the cluster: Ray shows an actor's environment to whoever reaches the cluster.
SECRET_SETTINGS = {"MNIST_LAB_TEACHER_KEY"}
QUESTIONS = {"view", "active", "forecasts"}  # registry methods that change nothing
ENDED_KEPT = 200  # ended jobs the registry still shows, for the pages that started them
REGISTRY_LOST = N_("The Ray cluster lost its list of the class's runs (its head machine "
                   "restarted?), and this run with it. Start it again.")


def package_env():
    """The runtime environment of a lab server's connection: this package, which Ray copies
    to every machine that runs the lab's registry or runs (and only a connection can ask)."""
    return {"py_modules": [str(pathlib.Path(mnist_core.__file__).parent)]}


def settings_env():
    """The registry's runtime environment: this server's settings (`$MNIST_LAB_*`: its
    folder, time limit...; not the teacher's key), which the registry's jobs follow."""
    settings = {name: value for name, value in os.environ.items()
                if name.startswith("MNIST_LAB_") and name not in SECRET_SETTINGS}
    settings.update(MNIST_LAB_HOME=str(lab_home.home().resolve()), RAY_USAGE_STATS_ENABLED="0")
    return {"env_vars": settings}


_connection = threading.Lock()
_registry = {}  # "actor": the registry's handle, once found or created


def registry():
    """The class's registry actor: found by name in the cluster, or created there."""
    with _connection:
        if not ray.is_initialized():
            os.environ.setdefault("RAY_USAGE_STATS_ENABLED", "0")  # nothing leaves the school
            ray.init(address=jobs.cluster_address(), namespace=NAMESPACE,
                     runtime_env=package_env(), log_to_driver=False, logging_level="warning")
        if "actor" not in _registry:
            # On the head node: a registry on a machine that leaves would take every run
            # with it.
            _registry["actor"] = Registry.options(
                name=REGISTRY_NAME, namespace=NAMESPACE, lifetime="detached",
                get_if_exists=True, num_cpus=0, resources={HEAD_NODE: 0.001},
                max_concurrency=64, runtime_env=settings_env()).remote()
        return _registry["actor"]


def _ask(method, *arguments):
    """What the registry's `method` returns for `arguments`. A registry that was lost (its
    machine restarted, the actor crashed) is forgotten and found or made anew: its jobs are
    gone with it, so the new one answers as for an empty class. Only questions are asked
    again; a start or stop the lost registry may have carried out before it went is not
    repeated (the error reaches the caller, and the next call finds the new registry)."""
    for attempt in range(2):
        try:
            return ray.get(getattr(registry(), method).remote(*arguments))
        except ray.exceptions.RayActorError:
            with _connection:
                _registry.pop("actor", None)
            if attempt or method not in QUESTIONS:
                raise


@dataclasses.dataclass(frozen=True)
class JobView:
    """What a lab server sees of one of the registry's jobs at one moment.

    Attributes:
        id, model_name, epochs, dataset_name, nickname, owner, stopped_by_teacher: the job's.
        followers: the pupil ids following it; finished: it has ended and cleaned up.
        snapshot: its `Snapshot`.
    """

    id: str
    model_name: str
    epochs: int
    dataset_name: str
    nickname: str
    owner: str
    followers: tuple
    stopped_by_teacher: bool
    finished: bool
    snapshot: Snapshot


def _view(job):
    """The `JobView` of a `jobs.TrainingJob`."""
    return JobView(id=job.id, model_name=job.model_name, epochs=job.epochs,
                   dataset_name=job.dataset_name,
                   nickname=job.nickname, owner=job.owner, followers=job.followers(),
                   stopped_by_teacher=job.stopped_by_teacher, finished=job.finished,
                   snapshot=job.snapshot())


@ray.remote
class Registry:
    """The actor holding the class's jobs (see the module's docstring); one per cluster."""

    def __init__(self):
        jobs.train_on(cluster_run)
        self._known = collections.OrderedDict()  # job id -> job, the latest ENDED_KEPT
        self._known_lock = threading.Lock()  # the actor answers many servers' calls in threads

    def start(self, model_name, dataset, epochs, batch_size, validation_split, owner, nickname,
              teach):
        """`jobs.start`; the new or joined job's `JobView`, or None if `owner` has one."""
        try:
            job = jobs.start(model_name, dataset, epochs, batch_size, validation_split,
                             owner=owner, nickname=nickname, teach=teach)
        except ValueError:
            return None
        with self._known_lock:
            self._known[job.id] = job
            self._known.move_to_end(job.id)
            while len(self._known) > ENDED_KEPT and next(iter(self._known.values())).finished:
                self._known.popitem(last=False)
        return _view(job)

    def active(self):
        """The `JobView` of every job that waits or trains, oldest first."""
        return [_view(job) for job in jobs.active()]

    def view(self, job_id):
        """The `JobView` of the job `job_id`, or None if the registry no longer knows it."""
        with self._known_lock:
            job = self._known.get(job_id)
        return None if job is None else _view(job)

    def stop(self, job_id, person):
        """`TrainingJob.stop` by `person`: True if stopped, False if left, None if refused."""
        with self._known_lock:
            job = self._known.get(job_id)
        if job is None:
            return False
        try:
            return job.stop(person)
        except PermissionError:
            return None

    def forecasts(self):
        """`jobs.forecasts()`."""
        return jobs.forecasts()

    def stop_asked(self, job_folder):
        """Whether the job training in `job_folder` was stopped (its tasks ask)."""
        return (pathlib.Path(job_folder) / "stop").exists()


class ClusterJob:
    """One of the registry's jobs, seen from a lab server as a `jobs.TrainingJob` is."""

    def __init__(self, view, on_finish=None):
        """A job from its `JobView`; `on_finish` is called (from a thread) once it ended."""
        self.id, self.model_name, self.owner = view.id, view.model_name, view.owner
        self.epochs = view.epochs
        self.dataset_name, self.nickname = view.dataset_name, view.nickname
        self._view, self._seen = view, time.monotonic()
        if on_finish is not None:
            threading.Thread(target=self._call_when_finished, args=(on_finish,),
                             daemon=True).start()

    def _latest(self):
        """The job's `JobView`, asked of the registry at most every `REFRESH_SECONDS`."""
        if not self._view.finished and time.monotonic() - self._seen > REFRESH_SECONDS:
            # A registry that was lost has forgotten it: it ended, as far as anyone can tell.
            self._view = _ask("view", self.id) or self._lost()
            self._seen = time.monotonic()
        return self._view

    def _lost(self):
        """The job's last `JobView`, as a run that failed because the registry lost it."""
        snapshot = dataclasses.replace(self._view.snapshot, state="failed", stopping=False,
                                       testing=False, error=REGISTRY_LOST,
                                       error_message=(REGISTRY_LOST, {}))
        return dataclasses.replace(self._view, finished=True, snapshot=snapshot)

    def _call_when_finished(self, on_finish):
        """Call `on_finish` once the job has ended."""
        while not self.finished:
            time.sleep(0.5)
        on_finish()

    def snapshot(self):
        """As `TrainingJob.snapshot`."""
        return self._latest().snapshot

    @property
    def finished(self):
        """As `TrainingJob.finished`."""
        return self._latest().finished

    @property
    def waiting(self):
        """As `TrainingJob.waiting`."""
        return self._latest().snapshot.state == "waiting"

    @property
    def stopped_by_teacher(self):
        """As `TrainingJob.stopped_by_teacher`."""
        return self._latest().stopped_by_teacher

    def follows(self, pupil_id):
        """As `TrainingJob.follows`."""
        return pupil_id in self._latest().followers

    def others_following(self, pupil_id):
        """As `TrainingJob.others_following`."""
        return len([follower for follower in self._latest().followers if follower != pupil_id])

    def stop(self, by):
        """As `TrainingJob.stop`."""
        stopped = _ask("stop", self.id, by)
        if stopped is None:
            raise PermissionError(jobs.stop_refusal())
        self._seen = 0.0  # show the stop at once
        return stopped


def start(model_name, dataset, epochs, batch_size, validation_split=0.2, on_finish=None,
          owner=None, nickname="", teach=None):
    """`jobs.start` in the cluster's registry; the `ClusterJob` that `owner` now follows.

    Raises:
        ValueError: `owner` already follows a job.
    """
    view = _ask("start", model_name, _in_cluster(dataset), epochs, batch_size,
                validation_split, owner, nickname, teach)
    if view is None:
        raise ValueError(jobs.already_training())
    return ClusterJob(view, on_finish)


_datasets = {}  # (cluster, job, name, source, size) -> the data set's copy in the object store


def _in_cluster(dataset):
    """The data set's copy in the cluster's object store, put there once per server: a class
    pressing Start together would otherwise send the same 50 MB with every press."""
    registry()  # connected first: Ray's first call would otherwise start a cluster of its own
    # A copy belongs to the connection that made it (a new connection cannot read it).
    context = ray.get_runtime_context()
    key = (context.gcs_address, context.get_job_id(), dataset.name, dataset.source,
           len(dataset.x_train))
    with _connection:
        if key not in _datasets:
            _datasets.clear()  # one data set at a time is what a class trains on
            _datasets[key] = ray.put(dataset)
        return _datasets[key]


def active():
    """`jobs.active()` of the cluster's registry, as `ClusterJob`s."""
    return [ClusterJob(view) for view in _ask("active")]


def forecasts():
    """`jobs.forecasts()` of the cluster's registry."""
    return _ask("forecasts")

"""The class's runs, wherever they train: pages start, list and follow them only through here.

A lab server keeps its class's jobs itself (`jobs`, trained by its worker processes) unless
`$MNIST_LAB_RAY_ADDRESS` names a Ray cluster: then the cluster's registry keeps them (`cluster`),
shared by every lab server of the school. Ray is imported only then, so a teacher's laptop
needs none of it.
"""

import threading

from mnist_core.training import jobs, process


def _cluster():
    """The `cluster` module if the lab trains on a Ray cluster, else None."""
    if jobs.cluster_address() is None:
        return None
    from mnist_core.training import cluster  # imports Ray: only for a school that has one

    return cluster


def prepare():
    """Have a trainer ready for the class's first run: a spare worker process that loads
    TensorFlow ahead (see `process.prepare`); nothing on a cluster, whose workers start with
    their run."""
    if jobs.cluster_address() is None:
        process.prepare()


def start(model_name, dataset, epochs, batch_size, validation_split=0.2, on_finish=None,
          owner=None, nickname="", teach=None):
    """Join the class's run of equal settings, or start one (see `jobs.start`).

    Returns:
        The job `owner` now follows: a `jobs.TrainingJob`, or a `cluster.ClusterJob`.

    Raises:
        ValueError: `owner` already follows a job.
    """
    where = _cluster() or jobs
    return where.start(model_name, dataset, epochs, batch_size, validation_split,
                       on_finish=on_finish, owner=owner, nickname=nickname, teach=teach)


def active():
    """Every job of the class that waits or trains, oldest first."""
    return (_cluster() or jobs).active()


def owned_by(owner):
    """The job `owner` (a pupil id) follows, waiting or training, or None."""
    cluster = _cluster()
    if cluster is None:
        return jobs.owned_by(owner)
    return next((job for job in cluster.active() if owner is not None and job.follows(owner)),
                None)


def forecasts():
    """{job id: `forecast.Forecast`}: when every job should start and end."""
    return (_cluster() or jobs).forecasts()


class TrainingQueue:
    """Several zoo models trained one after another on the same data, in the background.

    The next job starts as soon as the one before it finishes, whether or not a page is
    looking, so a comparison carries on while the class visits other pages.
    """

    def __init__(self, plan, dataset, validation_split=0.2, owner=None, nickname=""):
        """Start the first job at once.

        Args:
            plan: list of (model name, epochs, batch size), in training order.
            dataset, validation_split, owner, nickname: as for `jobs.TrainingJob`.

        Raises:
            ValueError: `owner` already has a job waiting or training.
        """
        self.plan, self.jobs, self.cancelled = list(plan), [], False
        self.dataset, self._validation_split = dataset, validation_split
        self._owner, self._nickname = owner, nickname
        self._lock = threading.Lock()
        self._start_next()

    def _start_next(self):
        """Start the plan's next job, unless the queue is done or cancelled."""
        with self._lock:
            if self.cancelled or len(self.jobs) == len(self.plan):
                return
            model_name, epochs, batch_size = self.plan[len(self.jobs)]
            try:
                self.jobs.append(start(
                    model_name, self.dataset, epochs, batch_size, self._validation_split,
                    on_finish=self._start_next, owner=self._owner, nickname=self._nickname))
            except ValueError:
                if not self.jobs:
                    raise  # the page says why nothing started
                self.cancelled = True  # its owner started another job meanwhile

    def stop(self, by):
        """Stop the job in training (it keeps its finished epochs) and cancel the rest.

        Raises:
            PermissionError: `by` (a `Person`) is neither its owner nor the teacher.
        """
        by.require_owner(self._owner, jobs.stop_refusal())
        with self._lock:
            self.cancelled = True
            for job in self.jobs:
                if not job.finished:
                    job.stop(by)  # logged by the job

    @property
    def finished(self):
        """True once every job has ended or the queue was stopped and its job ended."""
        with self._lock:
            jobs_left = not self.cancelled and len(self.jobs) < len(self.plan)
            return not jobs_left and all(job.finished for job in self.jobs)

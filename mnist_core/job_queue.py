"""A training queue: zoo models trained one after another, each as a `jobs.TrainingJob`.

Pages name it `jobs.TrainingQueue`.
"""

import threading


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
        """Start the plan's next job, unless the queue is done or cancelled."""
        with self._lock:
            if self.cancelled or len(self.jobs) == len(self.plan):
                return
            model_name, epochs, batch_size = self.plan[len(self.jobs)]
            from mnist_core.jobs import TrainingJob  # late: jobs imports this module

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

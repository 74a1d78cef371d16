import itertools

import pytest

from mnist_core.training import forecast


def brute_force_schedule(busy, waiting, trainers):
    """Each waiting run, in line order, takes whichever trainer frees first: a plain loop over
    the trainers, the reference for `forecast.schedule`'s heap."""
    trainers_free_at = sorted(list(busy) + [0.0] * (trainers - len(busy)))
    starts = []
    for seconds in waiting:
        earliest = min(range(trainers), key=lambda index: trainers_free_at[index])
        starts.append((trainers_free_at[earliest], trainers_free_at[earliest] + seconds))
        trainers_free_at[earliest] += seconds
    return starts


@pytest.mark.parametrize("trainers", [1, 2, 3])
def test_the_line_takes_each_trainer_as_it_frees(trainers):
    for busy in itertools.combinations_with_replacement([5.0, 30.0, 90.0], min(trainers, 2)):
        waiting = [116.0, 20.0, 116.0, 7.0, 60.0]
        started, line = forecast.schedule(list(busy), waiting, trainers)
        assert [estimate.ends_in for estimate in started] == list(busy)
        assert [(estimate.starts_in, estimate.ends_in) for estimate in line] == (
            brute_force_schedule(busy, waiting, trainers))
        assert [estimate.place for estimate in line] == [1, 2, 3, 4, 5]


def test_the_issues_figures_six_runs_on_two_trainers():
    # Six equal 116 s runs pressed together on two trainers: the issue measured them ending
    # at about 2, 2, 4, 4, 6 and 6 runs' time (202 ... 591 s with the start-up).
    _started, line = forecast.schedule([], [116.0] * 6, 2)
    assert [estimate.ends_in for estimate in line] == [116, 116, 232, 232, 348, 348]


def test_speed_is_measured_from_finished_runs_else_guessed():
    runs = [
        {"model": "cnn", "dataset": "mnist", "images_per_epoch": 4000,
         "history": [{"seconds": 2.0}, {"seconds": 4.0}, {"seconds": 2.0}]},
        {"model": "cnn", "dataset": "mnist", "images_per_epoch": 1000,
         "history": [{"seconds": 0.5}]},
        {"model": "mlp", "dataset": "mnist", "history": [{"seconds": 1.0}]},  # no image count
    ]
    speeds = forecast.seconds_per_image(runs)
    assert speeds == {("cnn", "mnist"): pytest.approx(0.0005)}  # median of 4 samples
    assert forecast.run_seconds("cnn", "mnist", 10, 48000, speeds, 8.0) == pytest.approx(
        8.0 + 10 * 48000 * 0.0005)
    guess = forecast.FIRST_GUESS_SECONDS_PER_IMAGE["mlp"]
    assert forecast.run_seconds("mlp", "mnist", 2, 1000, speeds, 0.0) == pytest.approx(
        2 * 1000 * guess)


def test_every_zoo_model_has_a_first_guess():
    from mnist_core.networks import zoo

    assert set(forecast.FIRST_GUESS_SECONDS_PER_IMAGE) == set(zoo.available())

"""The sidebar's names for models."""

import datetime

from ui import common


def test_a_run_of_the_lab_is_named_by_model_nickname_and_time_short_enough_to_read():
    created = datetime.datetime.now().replace(hour=14, minute=59, second=39)
    run = {"name": "mlp-mnist-1459", "model": "mlp", "owner": "a" * 32, "nickname": "小明",
           "created": created.isoformat(timespec="seconds"), "test_accuracy": 0.6355}
    assert common.model_label(run) == "mlp, 小明, 14:59 - 63.5%"
    yesterday = dict(run, nickname="", created=(created - datetime.timedelta(days=1)).isoformat())
    assert common.model_label(yesterday) == f"mlp, {yesterday['created'][5:10]} 14:59 - 63.5%"
    shipped = {"name": "Shipped default", "model": "cnn", "test_accuracy": 0.9921}
    assert common.model_label(shipped) == "Shipped default - 99.2%"

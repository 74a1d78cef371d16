"""Waiting in tests for a condition, instead of sleeping a fixed time."""

import time


def wait_until(condition, timeout, describe=lambda: ""):
    """Poll `condition` every 50 ms until it is true; fail the test if it is not in time.

    Args:
        condition: called with no arguments; true once the wait is over.
        timeout: seconds to wait at most: generous, since a busy machine is slow.
        describe: called for the failure message, e.g. a job's snapshot.

    Returns:
        The seconds the wait took, for a test that also states a limit of its own.
    """
    started = time.monotonic()
    while not condition():
        waited = time.monotonic() - started
        assert waited < timeout, f"not true after {timeout} s: {describe()}"
        time.sleep(0.05)
    return time.monotonic() - started

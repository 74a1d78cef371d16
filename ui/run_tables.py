"""Tables of training runs: the Compare page's plan as it trains, and every saved run of Train.

Their columns are data keys; the headings are translated where the table is drawn.
"""

import pandas as pd
import streamlit as st

from mnist_core.i18n import gettext as _
from mnist_core.networks import zoo
from ui import caches, common


def status(run, snapshot):
    """Where a planned model stands: not started, waiting its turn, cancelled, or its job's."""
    if run is None:
        return _("not started")
    if snapshot is None:
        return _("cancelled") if run.cancelled else _("waiting")
    return snapshot.status_text()


def percent(fraction):
    """A fraction as a percentage (the table shows all three with two decimals), or None."""
    return None if fraction is None else 100 * fraction


def results_table(plan, run):
    """One row per planned model: the tutorial's accuracy next to this run's, size and time."""
    started = dict(zip((step[0] for step in plan), run.jobs if run else []))
    rows = []
    for name, planned_epochs, batch_size in plan:
        job = started.get(name)
        snapshot = job.snapshot() if job else None
        history = snapshot.history if snapshot else ()
        rows.append({
            "model": zoo.info(name).title,
            "parameters": caches.parameter_count(name),
            "batch": batch_size,
            "seconds": (round(snapshot.start_up + snapshot.trained)
                        if snapshot and snapshot.trained is not None else None),
            "validation": percent(history[-1].get("val_accuracy") if history else None),
            "test": percent(snapshot.result["test_accuracy"]
                            if snapshot and snapshot.result else None),
            "tutorial": percent(zoo.info(name).tutorial_accuracy),
            "status": status(run, snapshot),
        })
    return pd.DataFrame(rows)


def comparison(plan, run):
    """The Compare page's table: its plan, filled in as the run trains (None: not started)."""
    st.dataframe(results_table(plan, run), hide_index=True, placeholder="-", column_config={
        "model": st.column_config.TextColumn(_("model")),
        "status": st.column_config.TextColumn(_("status"), width="medium"),
        "parameters": st.column_config.NumberColumn(_("parameters"), format="localized"),
        "batch": st.column_config.NumberColumn(_("batch")),
        "seconds": st.column_config.NumberColumn(
            _("seconds"), help=_("From the trainer's start (loading TensorFlow, often longer "
                                 "than a small model's training) to the saved model.")),
        "validation": st.column_config.NumberColumn(
            _("validation accuracy"), format="%.2f%%",
            help=_("On the held-out training images, after the last finished epoch.")),
        "test": st.column_config.NumberColumn(
            _("test accuracy"), format="%.2f%%",
            help=_("On the test images, once training ends.")),
        "tutorial": st.column_config.NumberColumn(
            _("tutorial's test accuracy"), format="%.2f%%",
            help=_("As its tutorial reports it: after the tutorial's epochs, on the full data "
                   "set (60,000 training images).")),
    })


def saved_runs(runs):
    """The Train page's table of every saved run (the store's entries without an error)."""
    st.dataframe(pd.DataFrame([{
        "name": run["name"], "model": run.get("model"),
        "data": common.dataset_title(run.get("dataset", "?")),
        "parameters": run.get("parameters"), "epochs": run.get("epochs"),
        "seconds": round(run.get("seconds", 0)),
        "test accuracy": percent(run.get("test_accuracy")),
    } for run in runs]), hide_index=True, column_config={
        "name": st.column_config.TextColumn(_("name")),
        "model": st.column_config.TextColumn(_("model")),
        "data": st.column_config.TextColumn(_("data")),
        "parameters": st.column_config.NumberColumn(_("parameters"), format="localized"),
        "epochs": st.column_config.NumberColumn(_("epochs")),
        "seconds": st.column_config.NumberColumn(_("seconds")),
        "test accuracy": st.column_config.NumberColumn(_("test accuracy"), format="%.2f%%")})

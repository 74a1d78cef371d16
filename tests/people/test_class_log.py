"""The class log: one line per action, who from the id, typed text kept on one line."""

import io

from mnist_core.people import class_log
from mnist_core.people.person import Person


def test_each_action_is_one_line_in_the_file_and_the_terminal(lab_home, monkeypatch):
    terminal = io.StringIO()
    monkeypatch.setattr(class_log.logger.handlers[0], "stream", terminal)
    mallory = Person("ab" * 16, "alice\tteacher\nremoved everything")
    class_log.record(mallory, "stopped", "mlp on mnist, started by\nBob")
    class_log.record(Person("cd" * 16, "", is_teacher=True), "locked the class", "")
    [line_1, line_2] = (lab_home / "class.log").read_text(encoding="utf-8").splitlines()
    assert line_1.split("\t")[1:] == ["ab" * 16, "alice teacher removed everything", "stopped",
                                      "mlp on mnist, started by Bob"]
    assert line_2.split("\t")[1:] == ["cd" * 16, "teacher", "locked the class", ""]
    assert [entry["who"] for entry in class_log.entries()] == [
        "teacher", "alice teacher removed everything"]
    assert "class: alice teacher removed everything (abababab): stopped" in terminal.getvalue()

"""Worksheets: the PDF's questions and answer key read back with pdftotext, checked against NumPy here."""

from __future__ import annotations

import json
import re
import shutil
import subprocess

import numpy as np
import pytest

from explorer.app.cli import main
from explorer.files import examples

needs_pdftotext = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) is not installed"
)
ANSWER = re.compile(r"^(\S+(?: \S+)?) = ([−-]?[0-9.]+(?:e[−+-]?[0-9]+)?)$")


def pdf_text(path):
    return subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True, check=True).stdout


def answers(text):
    """Return label → printed value from the answer key (label = value lines after "Answer key")."""
    key = text[text.index("Answer key") :]
    found = {}
    for line in key.splitlines():
        match = ANSWER.match(line.strip())
        if match:
            found[match.group(1)] = match.group(2).replace("−", "-")
    return found


def significant(printed):
    """Return how many significant digits a printed number has."""
    mantissa = printed.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    return max(len(mantissa), 1)


def agrees(printed, value):
    """Return True if `printed` is `value` rounded to the printed number of significant digits."""
    digits = significant(printed)
    return float(printed) == float(f"{value:.{digits}g}") or abs(float(printed) - value) <= 0.5 * 10 ** (
        np.floor(np.log10(abs(value))) - digits + 1
    )


def worked_by_numpy(path, rate):
    """Return every quantity of one pass of a sigmoid network with ½ SSE, computed here from the JSON."""
    data = json.loads(path.read_text())
    sig = lambda z: 1 / (1 + np.exp(-z))  # noqa: E731
    Ws = [np.array(layer["weights"]) for layer in data["layers"]]
    bs = [np.array(layer["bias"]) if layer["bias"] is not None else 0 for layer in data["layers"]]
    a = [np.array(data["sample"]["x"])]
    y = np.array(data["sample"]["y"])
    z = [None]
    for W, b in zip(Ws, bs):
        z.append(W @ a[-1] + b)
        a.append(sig(z[-1]))
    L = len(Ws)
    e = {L: a[L] - y}
    delta = {}
    for k in range(L, 0, -1):
        delta[k] = a[k] * (1 - a[k]) * e[k]
        e[k - 1] = Ws[k - 1].T @ delta[k]
    sub = "₀₁₂₃₄₅₆₇₈₉"
    sup = {1: "⁽¹⁾", 2: "⁽²⁾", 3: "⁽³⁾"}
    values = {"J": 0.5 * float(np.sum(e[L] ** 2))}
    for k in range(1, L + 1):
        for i in range(len(z[k])):
            values[f"z{sub[i + 1]}{sup[k]}"] = z[k][i]
            values[f"a{sub[i + 1]}{sup[k]}"] = a[k][i]
            values[f"δ{sub[i + 1]}{sup[k]}"] = delta[k][i]
            values[f"∂J/∂b{sub[i + 1]}{sup[k]}"] = delta[k][i]
            values[f"new b{sub[i + 1]}{sup[k]}"] = bs[k - 1][i] - rate * delta[k][i]
            for j in range(len(a[k - 1])):
                grad = delta[k][i] * a[k - 1][j]
                values[f"∂J/∂w{sub[i + 1]}{sub[j + 1]}{sup[k]}"] = grad
                values[f"new w{sub[i + 1]}{sub[j + 1]}{sup[k]}"] = Ws[k - 1][i, j] - rate * grad
    for k in range(1, L + 1):
        for i in range(len(e[k])):
            values[f"e{sub[i + 1]}{sup[k]}"] = e[k][i]
    return values


@needs_pdftotext
def test_random_worksheet_questions_and_answer_key(tmp_path, capsys):
    sheet, network = tmp_path / "sheet.pdf", tmp_path / "ex.mlp.json"
    status = main(
        ["worksheet", "--out", str(sheet), "--seed", "11", "--network", str(network), "--paper", "a4"]
    )
    assert status == 0, capsys.readouterr().err
    text = pdf_text(sheet)
    questions = text[: text.index("Answer key")]
    for expected in (
        "Stage 2. Layer 1, linear step",
        "z₁⁽¹⁾ =",
        "a₂⁽¹⁾ =",
        "e₁⁽²⁾ =",
        "J =",
        "δ₂⁽²⁾ =",
        "e₁⁽¹⁾ =",
        "∂J/∂w₁₂⁽²⁾ =",
        "new w₂₁⁽¹⁾ =",
        "Name:",
        "seed 11",
    ):
        assert expected in questions, expected
    expected = worked_by_numpy(network, 0.5)
    printed = answers(text)
    assert set(expected) <= set(printed), set(expected) - set(printed)
    for label, value in expected.items():
        assert significant(printed[label]) >= 4 or float(printed[label]) == float(f"{value:.6g}"), label
        assert agrees(printed[label], value), (label, printed[label], value)
    # No answer leaks into the questions: J is not stated next to its formula.
    assert f"{expected['J']:.6g}" not in questions

    # The key agrees with trace --json of the saved network.
    capsys.readouterr()
    assert main(["trace", str(network), "--json"]) == 0
    trace = json.loads(capsys.readouterr().out)
    assert agrees(printed["J"], trace["loss"])
    assert agrees(printed["δ₁⁽¹⁾"], trace["layers"][1]["delta"][0])
    assert agrees(printed["new w₁₂⁽²⁾"], trace["updated"][1]["W"][0][1])


@needs_pdftotext
def test_worksheet_of_a_file_and_the_letter_paper(tmp_path):
    sheet = tmp_path / "lecture.pdf"
    assert (
        main(["worksheet", str(examples.default_example_path()), "--out", str(sheet), "--paper", "letter"])
        == 0
    )
    text = pdf_text(sheet)
    printed = answers(text)
    assert printed["z₁⁽¹⁾"] == "0.3775"
    assert printed["z₂⁽¹⁾"] == "0.3925"
    assert agrees(printed["J"], 0.2457499166)
    info = subprocess.run(["pdfinfo", str(sheet)], capture_output=True, text=True).stdout
    assert "612 x 792" in info


def test_worksheet_options(tmp_path, capsys):
    first, again = tmp_path / "a.mlp.json", tmp_path / "b.mlp.json"
    assert main(["worksheet", "--out", str(tmp_path / "1.pdf"), "--seed", "5", "--network", str(first)]) == 0
    assert main(["worksheet", "--out", str(tmp_path / "2.pdf"), "--seed", "5", "--network", str(again)]) == 0
    assert first.read_text() == again.read_text()
    out = tmp_path / "three.mlp.json"
    assert (
        main(
            [
                "worksheet",
                "--out",
                str(tmp_path / "3.pdf"),
                "--count",
                "3",
                "--seed",
                "1",
                "--network",
                str(out),
            ]
        )
        == 0
    )
    assert [(tmp_path / f"three-{n}.mlp.json").exists() for n in (1, 2, 3)] == [True, True, True]
    lecture = str(examples.default_example_path())
    assert main(["worksheet", lecture, "--out", str(tmp_path / "x.pdf"), "--count", "2"]) == 2
    assert main(["worksheet", "--out", str(tmp_path / "x.pdf"), "--sizes", "2-x"]) == 2
    assert "sizes" in capsys.readouterr().err


def test_paper_follows_the_locale():
    from explorer.app.worksheet_pdf import locale_paper

    assert locale_paper("en_US.UTF-8") == "letter"
    assert locale_paper("en_CA") == "letter"
    assert locale_paper("en_IN.UTF-8") == "a4"
    assert locale_paper("de_DE") == "a4"


@pytest.fixture
def window(qtbot, tmp_path):
    from PySide6.QtCore import QSettings

    from explorer.app.main_window import MainWindow
    from explorer.app.startup import open_state
    from explorer.document.document import Document

    settings = QSettings(str(tmp_path / "settings.ini"), QSettings.IniFormat)
    win = MainWindow(Document(open_state(None)), settings)
    qtbot.addWidget(win)
    win.errors = []
    win.files.show_error = win.errors.append
    win.show()
    return win


def test_new_exercise_dialog_opens_a_hand_friendly_network(window, qtbot):
    from PySide6.QtWidgets import QDialog, QDialogButtonBox

    from explorer.views.panels.new_exercise import NewExerciseDialog

    dialog = NewExerciseDialog(window)
    qtbot.addWidget(dialog)
    dialog.sizes_field.setText("3-2-1")
    dialog.activation_box.setCurrentText("tanh")
    dialog.seed_box.setValue(42)
    dialog.exec = lambda: QDialog.DialogCode.Accepted
    window.files.exercise_dialog = lambda: dialog
    assert window.files.new_exercise_action.text() == "New E&xercise…"
    window.files.new_exercise_action.trigger()
    network = window.document.network
    assert network.sizes == [3, 2, 1]
    assert [layer.activation for layer in network.layers] == ["tanh", "tanh"]
    for layer in network.layers:
        assert np.array_equal(np.round(layer.weights * 100), layer.weights * 100)
    assert not window.document.is_modified
    dialog.sizes_field.setText("2-x")
    assert not dialog.buttons.button(QDialogButtonBox.StandardButton.Ok).isEnabled()
    assert "2-3-2" in dialog.message.text()


@needs_pdftotext
def test_export_worksheet_from_the_window(window, tmp_path):
    target = tmp_path / "from-window.pdf"
    window.exports.ask_path = lambda *_args: str(target)
    menu_texts = [action.text() for action in window.files.export_menu.actions()]
    assert "&Worksheet with Answer Key (PDF)…" in menu_texts
    assert window.exports.export_worksheet()
    text = pdf_text(target)
    assert "Stage 7. Layer 2, δ step" in text and "Answer key" in text
    assert answers(text)["z₁⁽¹⁾"] == "0.3775"
    assert window.errors == []

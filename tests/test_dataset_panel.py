"""The data set panel and the CSV import dialog as a user: choose, import, clear, refuse; undo all."""

from __future__ import annotations

import numpy as np
import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QDialogButtonBox

from explorer.document.document import Document
from explorer.engine.network import Layer, Network
from explorer.files.model import NetworkFile
from explorer.views.panels.dataset import DatasetPanel


def document_of(sizes) -> Document:
    rng = np.random.default_rng(0)
    layers = [
        Layer(rng.uniform(-1, 1, (n_out, n_in)), np.zeros(n_out), "sigmoid")
        for n_in, n_out in zip(sizes[:-1], sizes[1:])
    ]
    return Document(NetworkFile(Network(layers)))


@pytest.fixture
def panel_of(qtbot):
    def make(sizes):
        document = document_of(sizes)
        panel = DatasetPanel(document)
        qtbot.addWidget(panel)
        panel.show()
        return document, panel

    return make


def cell(panel, row, column) -> str:
    return panel.model.data(panel.model.index(row, column))


def test_choosing_xor_for_a_2_x_1_network_loads_the_corners_and_undo_restores(qtbot, panel_of):
    document, panel = panel_of([2, 3, 1])
    assert panel.summary_text().startswith("No data set")
    assert not panel.clear_button.isEnabled()
    panel.choice.setCurrentIndex(panel.choice.findData("xor"))
    assert panel.samples.value() == 4 and panel.noise.value() == 0.0
    assert not panel.one_hot.isChecked()  # one output: one class column
    qtbot.mouseClick(panel.use_button, Qt.LeftButton)
    X, Y = document.state.dataset_x, document.state.dataset_y
    assert X.shape == (4, 2) and Y.shape == (4, 1)
    assert X.tolist() == [[0, 0], [0, 1], [1, 0], [1, 1]]
    assert Y[:, 0].tolist() == [0, 1, 1, 0]
    assert panel.summary_text() == "4 samples, 2 inputs → 1 target"
    assert panel.model.rowCount() == 4
    assert [panel.model.headerData(j, Qt.Horizontal) for j in range(3)] == ["x₁", "x₂", "y"]
    assert (cell(panel, 3, 0), cell(panel, 3, 1), cell(panel, 3, 2)) == ("1", "1", "0")
    assert document.undo_stack.text(0) == "Use data set XOR (4 samples)"
    assert panel.clear_button.isEnabled()
    document.undo_stack.undo()
    assert document.state.dataset_x is None
    assert panel.summary_text().startswith("No data set")


def test_a_data_set_that_does_not_fit_is_refused_with_a_sentence(qtbot, panel_of):
    document, panel = panel_of([1, 4, 1])
    panel.choose("spirals")
    qtbot.mouseClick(panel.use_button, Qt.LeftButton)
    assert panel.message.isVisible()
    assert panel.message.text() == "Two spirals has 2 inputs and 1 target; the network takes 1 input"
    assert document.state.dataset_x is None and document.undo_stack.count() == 0
    panel.choose("sine")  # a 1 → 1 set fits, and choosing clears the old message
    assert not panel.message.isVisible()
    panel.samples.setValue(5)
    qtbot.mouseClick(panel.use_button, Qt.LeftButton)
    X, Y = document.state.dataset_x, document.state.dataset_y
    assert X.shape == (5, 1)
    assert np.allclose(Y[:, 0], np.sin(X[:, 0]))  # noise 0 by default


def test_one_hot_follows_a_two_output_network_and_the_hint_says_how_to_fit(qtbot, panel_of):
    document, panel = panel_of([2, 2, 2])
    panel.choose("xor")
    assert panel.one_hot.isChecked()
    panel.one_hot.setChecked(False)
    qtbot.mouseClick(panel.use_button, Qt.LeftButton)
    assert "the network gives 2 outputs; tick “one-hot” for 2 target columns" in panel.message.text()
    assert document.state.dataset_x is None
    panel.one_hot.setChecked(True)
    qtbot.mouseClick(panel.use_button, Qt.LeftButton)
    assert document.state.dataset_y.tolist() == [[1, 0], [0, 1], [0, 1], [1, 0]]
    assert not panel.message.isVisible()
    panel.choose("lecture")
    assert not panel.one_hot.isEnabled()


def test_clear_data_set_is_undoable(qtbot, panel_of):
    document, panel = panel_of([2, 2, 1])
    panel.choose("xor")
    qtbot.mouseClick(panel.use_button, Qt.LeftButton)
    qtbot.mouseClick(panel.clear_button, Qt.LeftButton)
    assert document.state.dataset_x is None
    assert panel.summary_text() == "No data set: training uses the sample as its one row"
    assert panel.model.rowCount() == 1  # the sample, shown as the one row training uses
    document.undo_stack.undo()
    assert document.state.dataset_x.shape == (4, 2)


# --- CSV import ---------------------------------------------------------------------------------
def open_dialog(qtbot, panel, path):
    qtbot.mouseClick(panel.import_button, Qt.LeftButton)
    dialog = panel.csv_dialog
    assert dialog.isVisible()
    dialog.path_field.setText(str(path))
    dialog.path_field.setFocus()
    qtbot.keyClick(dialog.path_field, Qt.Key_Return)
    assert dialog.isVisible()  # Enter shows the columns; only Import loads the data
    qtbot.waitUntil(lambda: all(box.isVisible() and box.width() > 20 for box in dialog.inputs_list.boxes))
    assert panel.document.undo_stack.count() == 0
    return dialog


def press_import(qtbot, dialog):
    qtbot.mouseClick(dialog.buttons.button(QDialogButtonBox.Ok), Qt.LeftButton)


def test_importing_a_good_csv_sets_the_data_and_undo_restores(qtbot, panel_of, tmp_path):
    document, panel = panel_of([2, 3, 1])
    path = tmp_path / "good.csv"
    path.write_text("a,b,label\n0.5,-1,1\n2,3e-1,0\n")
    dialog = open_dialog(qtbot, panel, path)
    assert dialog.names == ["a", "b", "label"]
    assert dialog.preview.rowCount() == 2 and dialog.preview.item(1, 1).text() == "3e-1"
    assert dialog.chosen_columns() == ([0, 1], [2])
    press_import(qtbot, dialog)
    assert not dialog.isVisible()
    assert document.state.dataset_x.tolist() == [[0.5, -1.0], [2.0, 0.3]]
    assert document.state.dataset_y.tolist() == [[1.0], [0.0]]
    assert document.undo_stack.text(0) == "Import good.csv"
    assert panel.summary_text() == "2 samples, 2 inputs → 1 target"
    document.undo_stack.undo()
    assert document.state.dataset_x is None


def tick(qtbot, box) -> None:
    # A check box takes clicks on its box and label only, not on the empty width beside them.
    qtbot.mouseClick(box, Qt.LeftButton, pos=QPoint(8, box.height() // 2))


def test_columns_are_chosen_in_two_lists_and_never_both(qtbot, panel_of, tmp_path):
    document, panel = panel_of([2, 3, 1])
    path = tmp_path / "swap.csv"
    path.write_text("t,a,b\n1,2,3\n0,4,5\n")
    dialog = open_dialog(qtbot, panel, path)
    assert [box.text() for box in dialog.targets_list.boxes] == ["t", "a", "b"]
    tick(qtbot, dialog.targets_list.boxes[0])  # ticking t as a target...
    tick(qtbot, dialog.targets_list.boxes[2])
    tick(qtbot, dialog.inputs_list.boxes[2])
    assert dialog.chosen_columns() == ([1, 2], [0])  # ...took it off the inputs
    press_import(qtbot, dialog)
    assert document.state.dataset_x.tolist() == [[2, 3], [4, 5]]
    assert document.state.dataset_y.tolist() == [[1], [0]]


def test_browse_uses_the_chosen_path(qtbot, panel_of, tmp_path, monkeypatch):
    _, panel = panel_of([2, 3, 1])
    path = tmp_path / "picked.csv"
    path.write_text("1;2;3\n4;5;6\n")
    qtbot.mouseClick(panel.import_button, Qt.LeftButton)
    dialog = panel.csv_dialog
    monkeypatch.setattr(dialog, "_ask_path", lambda: str(path))
    qtbot.mouseClick(dialog.browse_button, Qt.LeftButton)
    assert dialog.path_field.text() == str(path)
    assert dialog.names == ["column 1", "column 2", "column 3"]
    assert dialog.preview.rowCount() == 2


@pytest.mark.parametrize(
    ("text", "sizes", "words"),
    [
        ("x1,x2,y\n1,2,3\n4,5\n", [2, 3, 1], "Row 3 has 2 cells but row 1 has 3"),
        ("x1,x2,y\n1,2,3\n4,abc,6\n", [2, 3, 1], "Row 3, column 2 ('x2'): 'abc' is not a number"),
        ("x1,x2,y\n1,2,3\n4,,6\n", [2, 3, 1], "Row 3, column 2 ('x2') is empty"),
        ("x,y\n1,2\n3,4\n", [2, 3, 1], "The network takes 2 inputs, the CSV gives 1 input column"),
        ("x1,x2,y\n1,2,3\n", [2, 3, 2], "The network gives 2 outputs, the CSV gives 1 target column"),
    ],
)
def test_a_malformed_csv_shows_where_and_changes_nothing(qtbot, panel_of, tmp_path, text, sizes, words):
    document, panel = panel_of(sizes)
    path = tmp_path / "bad.csv"
    path.write_text(text)
    dialog = open_dialog(qtbot, panel, path)
    press_import(qtbot, dialog)
    assert dialog.isVisible()  # stays open to fix the choice or pick another file
    assert dialog.message.isVisible() and words in dialog.message.text()
    assert document.state.dataset_x is None and document.undo_stack.count() == 0


def test_saying_there_is_no_header_reads_row_1_as_data(qtbot, panel_of, tmp_path):
    document, panel = panel_of([2, 3, 1])
    path = tmp_path / "named.csv"
    path.write_text("a,b,c\n1,2,3\n")
    dialog = open_dialog(qtbot, panel, path)
    dialog.header_combo.setCurrentIndex(2)  # "No, all rows are data"
    assert dialog.names == ["column 1", "column 2", "column 3"]
    assert dialog.preview.rowCount() == 2
    press_import(qtbot, dialog)
    assert "Row 1, column 1: 'a' is not a number" in dialog.message.text()
    assert document.state.dataset_x is None
    dialog.path_field.setText(str(tmp_path / "missing.csv"))
    press_import(qtbot, dialog)
    assert "There is no file" in dialog.message.text()


@pytest.mark.parametrize("name", ["binary.csv", "data", "x_train"])
def test_a_message_that_starts_with_the_file_name_keeps_its_case(qtbot, panel_of, tmp_path, name):
    document, panel = panel_of([2, 3, 1])
    path = tmp_path / name
    path.write_bytes(b"\xff\xfe\x00\x81 not text")
    dialog = open_dialog(qtbot, panel, path)
    assert dialog.message.text() == f"{name} is not a UTF-8 text file"  # not “Binary.csv …”
    press_import(qtbot, dialog)
    assert dialog.message.text() == f"{name} is not a UTF-8 text file"
    assert document.state.dataset_x is None and document.undo_stack.count() == 0

"""CSV loading: values, column choice, and a one-line error naming the row and column for each problem."""

import numpy as np
import pytest

from explorer.engine.csvdata import CsvError, check_width, csv_columns, load_csv

TABLE = "x1,x2,label,y\n0.5,1,a,0\n-2,3e-1,b,1\n"


def test_header_names_pick_columns():
    X, Y, names = load_csv(TABLE, ["x1", "x2"], ["y"])
    np.testing.assert_array_equal(X, [[0.5, 1.0], [-2.0, 0.3]])
    np.testing.assert_array_equal(Y, [[0.0], [1.0]])
    assert names == ["x1", "x2", "y"]
    assert csv_columns(TABLE) == ["x1", "x2", "label", "y"]


def test_default_columns_and_numbers_without_header():
    X, Y, names = load_csv("1,2,3\n4,5,6\n")
    np.testing.assert_array_equal(X, [[1, 2], [4, 5]])
    np.testing.assert_array_equal(Y, [[3], [6]])
    assert names == ["column 1", "column 2", "column 3"]
    X, Y, _ = load_csv("1,2,3\n4,5,6\n", input_columns=[2], target_columns=[0, -2])
    np.testing.assert_array_equal(X, [[3], [6]])
    np.testing.assert_array_equal(Y, [[1, 2], [4, 5]])


def test_files_semicolons_tabs_blank_lines_and_a_bom(tmp_path):
    path = tmp_path / "data.csv"
    path.write_text("\ufeffa;b\n1;2\n\n3;4\n", encoding="utf-8")
    for source in (path, str(path)):
        X, Y, names = load_csv(source)
        np.testing.assert_array_equal(X, [[1], [3]])
        np.testing.assert_array_equal(Y, [[2], [4]])
        assert names == ["a", "b"]
    X, Y, _ = load_csv("a\tb\n1\t2\n")
    assert X.tolist() == [[1.0]] and Y.tolist() == [[2.0]]


def test_a_numeric_first_row_can_be_declared_a_header():
    X, Y, names = load_csv("1,2\n3,4\n", has_header=True)
    assert names == ["1", "2"] and X.tolist() == [[3.0]] and Y.tolist() == [[4.0]]
    X, _, _ = load_csv("a,b\n3,4\n", input_columns=[0], target_columns=[1], has_header=True)
    assert X.tolist() == [[3.0]]


@pytest.mark.parametrize(
    "text, kwargs, message",
    [
        ("", {}, "the file is empty"),
        ("\n  \n", {}, "the file is empty"),
        ("x,y\n", {}, "header row but no data rows"),
        ("x,y\n1,2\n3\n4,5\n", {}, "row 3 has 1 cell but row 1 has 2"),
        ("1,2\n3,4,5\n", {}, "row 2 has 3 cells but row 1 has 2"),
        ("x,y\n1,2\n\n3,abc\n", {}, "row 4, column 2 ('y'): 'abc' is not a number"),
        ("1,2\n3,x4\n", {"has_header": False}, "row 2, column 2: 'x4' is not a number"),
        ("x,y\n1,\n", {}, "row 2, column 2 ('y') is empty"),
        ("x,y\n1,2\n3,inf\n", {}, "row 3, column 2 ('y'): 'inf' is not a finite number"),
        ("x,y\nnan,2\n", {}, "row 2, column 1 ('x'): 'nan' is not a finite number"),
        ("x,y\n1e400,2\n", {}, "row 2, column 1 ('x'): '1e400' is not a finite number"),
        ("x,y\n1,2\n", {"target_columns": ["z"]}, "no column named 'z' (the columns are: x, y)"),
        ("x,y\n1,2\n", {"input_columns": [5]}, "no column 6 (the file has 2 columns)"),
        ("1,2\n3,4\n", {"target_columns": ["y"]}, "no header row, so column 'y' must be given by number"),
        ("x,x,y\n1,2,3\n", {"input_columns": ["x"]}, "2 columns are named 'x'"),
        ("x,y\n1,2\n", {"input_columns": ["y"]}, "column 2 ('y') is chosen as both an input and a target"),
        ("x,y\n1,2\n", {"input_columns": []}, "no input columns"),
        ("no_such_file.csv", {}, "there is no file 'no_such_file.csv'"),
    ],
)
def test_errors_name_the_row_and_column(text, kwargs, message):
    with pytest.raises(CsvError) as caught:
        load_csv(text, **kwargs)
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


def test_text_in_an_unused_column_is_fine():
    X, Y, _ = load_csv(TABLE, ["x1"], ["y"])
    assert X.shape == (2, 1) and Y.shape == (2, 1)


def test_unreadable_files_are_explained(tmp_path):
    binary = tmp_path / "data.csv"
    binary.write_bytes(b"\xff\xfe\x00bad")
    with pytest.raises(CsvError, match="not a UTF-8 text file"):
        load_csv(binary)
    with pytest.raises(CsvError, match="there is no file"):
        load_csv(tmp_path / "missing.csv")


def test_check_width_explains_the_mismatch():
    X, Y = np.zeros((4, 3)), np.zeros((4, 1))
    check_width(X, Y, [3, 5, 1])
    with pytest.raises(CsvError, match=r"^the network takes 2 inputs, the CSV gives 3 input columns$"):
        check_width(X, Y, [2, 5, 1])
    with pytest.raises(CsvError) as caught:
        check_width(X, Y, [1, 5, 2])
    assert str(caught.value) == (
        "the network takes 1 input, the CSV gives 3 input columns; "
        "the network gives 2 outputs, the CSV gives 1 target column"
    )

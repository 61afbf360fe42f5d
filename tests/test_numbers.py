"""The one number pipeline of explorer.text.notation: display on screen, exact text, one parser.

Expected texts are written out by hand or built here with Python's own float formatting; a shown
number is read back with this file's own reader (`read_shown`), never with the parser under test.
"""

from __future__ import annotations

import math
import random
import re

import pytest

from explorer.text.notation import (
    DIGITS,
    EXACT,
    display,
    display_html,
    display_pair,
    exact_text,
    parse_field_numbers,
    parse_number,
    parse_numbers,
)

RAISED = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹⁻", "0123456789-")
E_NOTATION = re.compile(r"[0-9.][eE][+\-−]?[0-9]")


def read_shown(text: str) -> float:
    """Return the number a screen text such as "−1.5×10⁻⁷" stands for."""
    text = text.replace("\u2212", "-")
    if "×10" in text:
        mantissa, power = text.split("×10")
        return float(mantissa) * 10.0 ** int(power.translate(RAISED))
    return float(text)


def sample_values() -> list[float]:
    rng = random.Random(55)
    values = [0.0, -0.0, 1.0, -1.0, 0.85, -0.5, 1e-12, -2.762e-8, 1e16, 123456.0, 5e-324, 1.7e308]
    for _ in range(400):
        values.append(rng.choice((-1, 1)) * 10 ** rng.uniform(-30, 30))
    return values


# --- display ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("value", "text"),
    [
        (0.85, "0.85"),
        (-0.5, "−0.5"),
        (1.5e-7, "1.5×10⁻⁷"),
        (-2.762e-8, "−2.762×10⁻⁸"),
        (1234567.0, "1.235×10⁶"),
        (2.0, "2"),
        (1 / 3, "0.3333"),
        (-0.0, "0"),
        (0.0, "0"),
        (float("nan"), "NaN"),
        (float("-inf"), "−∞"),
    ],
)
def test_display_writes_the_screen_form(value, text):
    assert display(value) == text


def test_display_html_raises_the_power_with_sup():
    assert display_html(1.5e-7) == "1.5×10<sup>−7</sup>"
    assert display_html(-3e20) == "−3×10<sup>20</sup>"
    assert display_html(0.25) == "0.25"


@pytest.mark.parametrize("value", sample_values())
def test_no_e_notation_and_no_minus_zero_and_the_text_is_the_value(value):
    for text in (display(value), display(value, 10), display(value, EXACT)):
        assert not E_NOTATION.search(text), text
        assert "-" not in text  # the typographic minus only
        assert not re.fullmatch(r"−0(\.0*)?", text), text
    assert not E_NOTATION.search(display_html(value))
    if value:
        assert read_shown(display(value)) == pytest.approx(value, rel=0.5 * 10 ** (1 - DIGITS))
    assert read_shown(display(value, EXACT)) == pytest.approx(value, rel=1e-15)


@pytest.mark.parametrize("value", sample_values())
def test_exact_display_reads_back_as_the_same_float(value):
    # Python's own reading of the text, after undoing the screen's minus and ×10 form.
    text = display(value, EXACT).replace("\u2212", "-")
    if "×10" in text:
        mantissa, power = text.split("×10")
        text = f"{mantissa}e{power.translate(RAISED)}"
    assert float(text) == value


def test_the_same_number_reads_the_same_everywhere():
    assert display(2.0, EXACT) == "2"  # not "2.0" in one place and "2" in another
    assert display(0.1, EXACT) == "0.1"
    assert display(1e-12, EXACT) == "1×10⁻¹²"


def test_exact_text_is_repr_for_files_and_the_command_line():
    for value in (0.1, 2.0, -1e-12, 1 / 3):
        assert exact_text(value) == repr(value)


@pytest.mark.parametrize(
    ("old", "change"), [(0.85, 1e-9), (0.85, -1e-9), (-0.3, 1e-12), (1e-8, 1e-20), (2.0, 4e-16)]
)
def test_an_update_shows_old_and_new_differently_whenever_they_differ(old, change):
    new = old + change
    assert new != old
    before, after = display_pair(old, new)
    assert before != after
    assert (read_shown(before) < read_shown(after)) == (old < new)  # the shown change has the right sign
    assert display_pair(0.85, 0.85) == ("0.85", "0.85")  # equal values keep the usual digits
    assert display_pair(0.85, 0.5) == ("0.85", "0.5")


# --- parsing ---------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("0.1", 0.1),
        ("  -2 ", -2.0),
        ("−0.5", -0.5),
        ("+.5", 0.5),
        ("1e-12", 1e-12),
        ("1E3", 1000.0),
        ("1×10⁻¹²", 1e-12),
        ("−2.5×10³", -2500.0),
        ("2.5x10^-3", 0.0025),
        ("2.5*10^(3)", 2500.0),
        ("0.15000000000000002", 0.15000000000000002),
    ],
)
def test_parse_number_stores_exactly_what_is_typed(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("0,5", "“0,5” is not a number: use a dot for decimals (0.5)"),
        ("−1,25", "“−1,25” is not a number: use a dot for decimals (−1.25)"),
        ("abc", "“abc” is not a number"),
        ("", "type a number, e.g. 0.15, −2 or 1e-3"),
        ("1e999", "“1e999” is too large: a number must be finite (below about 1.8×10³⁰⁸)"),
        ("inf", "“inf” is not a number"),
        ("nan", "“nan” is not a number"),
        ("1_000", "“1_000” is not a number"),
        ("١", "“١” is not a number"),
        ("1e-400", "“1e-400” is too close to 0 to store (the smallest is about 5×10⁻³²⁴)"),
    ],
)
def test_parse_number_refuses_with_one_message_per_case(text, message):
    with pytest.raises(ValueError) as error:
        parse_number(text)
    assert str(error.value) == message


def test_a_list_field_takes_the_panel_separators_and_refuses_a_decimal_comma():
    assert parse_field_numbers("0.5, −1", 2, "x") == [0.5, -1.0]
    assert parse_field_numbers("0.5 -1", 2, "x") == [0.5, -1.0]
    assert parse_field_numbers("0.5; 1×10⁻³", 2, "x") == [0.5, 0.001]
    for text, count in (("0,5", 1), ("0,5", 2), ("0.1, 0,5", 2)):
        with pytest.raises(ValueError) as error:
            parse_field_numbers(text, count, "x")
        assert "“0,5” is not a number: use a dot for decimals (0.5)" in str(error.value)
    with pytest.raises(ValueError, match="x needs 2 numbers, got 1"):
        parse_field_numbers("0.5", 2, "x")
    with pytest.raises(ValueError, match="x, entry 2: “zz” is not a number"):
        parse_field_numbers("0.5, zz", 2, "x")


def test_the_command_line_list_splits_at_bare_commas():
    assert parse_numbers("0.01,0.99", 2, "--target") == [0.01, 0.99]


def test_every_shown_number_can_be_typed_back():
    for value in sample_values():
        if math.isfinite(value):
            assert parse_number(display(value, EXACT)) == value

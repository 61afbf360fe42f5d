"""Help ▸ Keyboard shortcuts (listed from the window's actions, so it cannot drift) and Getting started."""

from __future__ import annotations

import html

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QMenu, QTextBrowser, QVBoxLayout, QWidget

from explorer.text.notation import notation_html

# Keys that are not an action's shortcut: handled by the graph or the window themselves.
OTHER_KEYS = (
    ("Esc", "Leave presentation mode or the black screen; clear the selection"),
    ("Double-click, Enter", "Edit a weight or bias on the graph"),
    ("Wheel", "Zoom the graph around the cursor"),
    ("Ctrl+wheel, Ctrl+drag", "Nudge the weight or bias under the cursor"),
)

CELL = "padding: 2px 16px 2px 0"

NOTATION = (
    ("w_ij^(k)", "the weight of layer k to neuron i from neuron j"),
    ("z^(k) = W^(k) a^(k−1) + b^(k)", "the linear step"),
    ("a^(k) = g(z^(k))", "the nonlinear step"),
    ("e^(L) = ŷ − y", "the output error; J = ½ eᵀe"),
    ("δ^(k) = g'(z^(k)) ⊙ e^(k)", "how J changes with z^(k)"),
    ("e^(k−1) = W^(k)ᵀ δ^(k)", "the error sent back through the transposed weights"),
    ("∂J/∂w_ij^(k) = δ_i^(k) a_j^(k−1)", "the gradient of one weight"),
    ("W ← W − η ∂J/∂W", "the update, with learning rate η"),
)

FIRST_THINGS = (
    "Press PageDown (or Space, →, F10) to step through the forward pass and backprop, one stage at a "
    "time; PageUp steps back. Every z, a, e and δ appears on the graph as it is computed.",
    "Double-click a weight on the graph, type a new value and press Enter; step again and see which "
    "numbers change. Ctrl+Z undoes it.",
    "At the last stage press Apply update: the weights take one step W ← W − η ∂J/∂W and the view goes "
    "back to stage 1 with J before → after. Then train in the Training panel at 5 epochs a second.",
)


def _plain(text: str) -> str:
    return text.replace("&", "").replace("…", "")


def shortcut_rows(actions: list[QAction]) -> list[tuple[str, str]]:
    """Return (keys, what they do) for every action with a shortcut, each action once, in order."""
    rows, seen = [], set()
    for action in actions:
        keys = [key.toString(QKeySequence.SequenceFormat.NativeText) for key in action.shortcuts()]
        if not keys or id(action) in seen:
            continue
        seen.add(id(action))
        # A stepping button shows only its arrow in a small window; its full text is kept aside.
        text = action.property("full_text") or action.text()
        rows.append((", ".join(keys), _plain(str(text)) or action.toolTip()))
    return rows


def window_actions(window: QWidget) -> list[QAction]:
    """Return the actions of the window's menus (submenus too), then any other action it holds."""
    result: list[QAction] = []

    def walk(menu: QMenu) -> None:
        for action in menu.actions():
            submenu = action.menu()
            if isinstance(submenu, QMenu):
                walk(submenu)
            else:
                result.append(action)

    for menu_action in window.menuBar().actions():  # type: ignore[attr-defined]
        submenu = menu_action.menu()
        if isinstance(submenu, QMenu):
            walk(submenu)
    result += window.findChildren(QAction)
    return result


def shortcuts_html(actions: list[QAction]) -> str:
    """Return the keyboard shortcuts page: every action's keys, then the keys of the graph."""
    rows = shortcut_rows(actions) + list(OTHER_KEYS)
    body = "".join(
        f"<tr><td style='{CELL}'><b>{html.escape(keys)}</b></td><td>{html.escape(what)}</td></tr>"
        for keys, what in rows
    )
    return f"<h3>Keyboard shortcuts</h3><table>{body}</table>"


def getting_started_html() -> str:
    """Return the Getting started page: the notation table and the three things to try first."""
    notation = "".join(
        f"<tr><td style='{CELL}'>{notation_html(symbol)}</td><td>{notation_html(meaning)}</td></tr>"
        for symbol, meaning in NOTATION
    )
    steps = "".join(f"<li style='margin-bottom: 6px'>{html.escape(step)}</li>" for step in FIRST_THINGS)
    return (
        "<h3>Getting started</h3>"
        "<p>The notation of lecture 55 (Inverse Methods in Heat Transfer, IIT Madras):</p>"
        f"<table>{notation}</table><h4>Three things to try first</h4><ol>{steps}</ol>"
    )


def show_page(parent: QWidget, title: str, page: str) -> QDialog:
    """Open a non-modal dialog showing an HTML page; return it."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    dialog.setObjectName("help_" + title.lower().replace(" ", "_"))
    layout = QVBoxLayout(dialog)
    text = QTextBrowser(dialog)
    text.setHtml(page)
    layout.addWidget(text)
    buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, dialog)
    buttons.rejected.connect(dialog.close)
    layout.addWidget(buttons)
    dialog.resize(640, 560)
    dialog.show()
    return dialog

"""Whether a widget can be seen, for views that skip work while they are hidden."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget


def on_screen(widget: QWidget) -> bool:
    """Return True if some of the widget can be seen: shown, and not under another dock tab.

    A dock tabbed behind another stays visible to Qt, beneath the raised one. Its visible region
    tells, but that region leaves out opaque children, so a panel filled by its children (inside a
    scroll area inside a dock) has an empty region even when it is in front; then the widget at the
    panel's centre decides: it is the panel or one of its children only when the panel is in front.
    """
    if not widget.isVisible() or widget.width() <= 0 or widget.height() <= 0:
        return False
    if not widget.visibleRegion().isEmpty():
        return True
    window = widget.window()
    hit = window.childAt(widget.mapTo(window, widget.rect().center()))
    return hit is not None and (hit is widget or widget.isAncestorOf(hit))

"""Colours of the network graph, taken from the widget palette so light and dark themes both read well."""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtGui import QColor, QPalette


def blend(colour: QColor, towards: QColor, amount: float) -> QColor:
    """Return `colour` moved `amount` (0..1) of the way towards `towards`, opaque."""
    return QColor(
        round(colour.red() + (towards.red() - colour.red()) * amount),
        round(colour.green() + (towards.green() - colour.green()) * amount),
        round(colour.blue() + (towards.blue() - colour.blue()) * amount),
    )


def with_alpha(colour: QColor, alpha: int) -> QColor:
    """Return a copy of `colour` with the given alpha (0..255)."""
    copy = QColor(colour)
    copy.setAlpha(alpha)
    return copy


@dataclass
class GraphColors:
    """Every colour the graph items use."""

    background: QColor
    text: QColor
    muted: QColor
    positive: QColor
    negative: QColor
    accent: QColor  # the current stage
    selection: QColor
    neuron_fill: QColor
    neuron_outline: QColor
    label_fill: QColor
    dark: bool

    @classmethod
    def from_palette(cls, palette: QPalette) -> GraphColors:
        """Return colours that fit `palette` (dark when its base is dark)."""
        background = palette.color(QPalette.ColorRole.Base)
        text = palette.color(QPalette.ColorRole.Text)
        dark = background.lightness() < 128
        if dark:
            # Brighter hues on a dark background keep the same contrast as the light theme's.
            positive, negative = QColor(92, 163, 255), QColor(255, 128, 64)
            accent, selection = QColor(255, 196, 0), QColor(255, 84, 214)
        else:
            # The matrix view uses these two for W^(k): blue positive, orange-red negative.
            positive, negative = QColor(33, 113, 181), QColor(217, 72, 1)
            accent, selection = QColor(236, 160, 0), QColor(196, 22, 140)
        return cls(
            background=background,
            text=text,
            muted=blend(text, background, 0.4),
            positive=positive,
            negative=negative,
            accent=accent,
            selection=selection,
            neuron_fill=blend(background, text, 0.06),
            neuron_outline=blend(text, background, 0.3),
            label_fill=with_alpha(background, 225),
            dark=dark,
        )

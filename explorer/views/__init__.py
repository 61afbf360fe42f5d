"""Widgets and graphics items that show the document and turn gestures into commands."""

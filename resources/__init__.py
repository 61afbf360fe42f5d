"""Files the app ships: example networks, the icon and the desktop entry (package explorer.resources)."""

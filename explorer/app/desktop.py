"""`mlp-explorer install-desktop`: put the app in a Linux desktop's menus, with its icon, for this user.

Writes, under $XDG_DATA_HOME (default ~/.local/share), no root needed:
  applications/mlp-explorer.desktop             the menu entry, starting this installation's program
  icons/hicolor/scalable/apps/mlp-explorer.svg  the icon
  mime/packages/mlp-explorer.xml                *.mlp.json files open with the app
`--uninstall` removes exactly those files. The desktop's caches are refreshed when their tools
(update-desktop-database, update-mime-database, gtk-update-icon-cache) are installed. No Qt here.
"""

from __future__ import annotations

import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from explorer.files.atomic import write_text_atomic
from explorer.files.examples import resources_dir

APP_ID = "mlp-explorer"


def data_home() -> Path:
    """Return the user's data folder: $XDG_DATA_HOME, else ~/.local/share."""
    configured = os.environ.get("XDG_DATA_HOME", "")
    return Path(configured) if os.path.isabs(configured) else Path.home() / ".local" / "share"


def installed_files(home: Path | None = None) -> dict[str, Path]:
    """Return where each of the three files goes, by role."""
    base = home or data_home()
    return {
        "desktop": base / "applications" / f"{APP_ID}.desktop",
        "icon": base / "icons" / "hicolor" / "scalable" / "apps" / f"{APP_ID}.svg",
        "mime": base / "mime" / "packages" / f"{APP_ID}.xml",
    }


def program_command() -> str:
    """Return the command line that starts this installation of the app, for the Exec= key."""
    script = Path(sys.argv[0]).resolve() if sys.argv and sys.argv[0] else None
    if script is not None and script.name.startswith(APP_ID) and script.exists():
        return shlex.quote(str(script))
    found = shutil.which(APP_ID)
    if found:
        return shlex.quote(str(Path(found).resolve()))
    return f"{shlex.quote(sys.executable)} -m explorer"


def desktop_entry(command: str) -> str:
    """Return the shipped .desktop text with Exec= pointing at `command`."""
    text = (resources_dir() / f"{APP_ID}.desktop").read_text(encoding="utf-8")
    lines = [f"Exec={command} %f" if line.startswith("Exec=") else line for line in text.splitlines()]
    return "\n".join(lines) + "\n"


def _refresh(base: Path) -> None:
    """Ask the desktop's cache tools, where installed, to notice the change (best effort)."""
    for tool, folder in (
        ("update-desktop-database", base / "applications"),
        ("update-mime-database", base / "mime"),
        ("gtk-update-icon-cache", base / "icons" / "hicolor"),
    ):
        if shutil.which(tool) and folder.is_dir():
            subprocess.run(
                [tool, "-q", str(folder)] if tool != "update-mime-database" else [tool, str(folder)],
                capture_output=True,
                check=False,
                timeout=30,
            )


def install(home: Path | None = None) -> list[Path]:
    """Write the menu entry, the icon and the file type; return the paths written."""
    base = home or data_home()
    targets = installed_files(base)
    sources = resources_dir()
    contents = {
        "desktop": desktop_entry(program_command()),
        "icon": (sources / "icons" / f"{APP_ID}.svg").read_text(encoding="utf-8"),
        "mime": (sources / f"{APP_ID}-mime.xml").read_text(encoding="utf-8"),
    }
    for role, path in targets.items():
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, contents[role])
    _refresh(base)
    return list(targets.values())


def uninstall(home: Path | None = None) -> list[Path]:
    """Remove the three files where present; return the paths removed."""
    base = home or data_home()
    removed: list[Path] = []
    for path in installed_files(base).values():
        if path.exists():
            path.unlink()
            removed.append(path)
    _refresh(base)
    return removed

"""Before Qt starts: can a window open here? If not, say why in one line instead of letting Qt abort.

Qt aborts the whole process (SIGABRT, a core dump) when its platform plugin cannot load, for
example on a Linux machine without the xcb libraries or without a display. This module checks the
two causes first, without importing Qt's GUI: the X display answers, and the xcb plugin's shared
libraries load. It also separates Qt's own command-line switches (-style fusion, -platform xcb)
from the app's, so that they can be handed to QApplication.
"""

from __future__ import annotations

import ctypes
import os
import re
import sys
from pathlib import Path

# Debian/Ubuntu packages Qt's xcb platform plugin needs beyond a desktop's usual X libraries.
XCB_PACKAGES = (
    "libxcb-cursor0",
    "libxkbcommon-x11-0",
    "libxcb-icccm4",
    "libxcb-keysyms1",
    "libxcb-image0",
    "libxcb-render-util0",
    "libxcb-randr0",
    "libxcb-shape0",
    "libxcb-xkb1",
    "libegl1",
    "libfontconfig1",
)
PICTURES_HINT = "for pictures without a display use --screenshot, or set QT_QPA_PLATFORM=offscreen"

# Qt's own switches (QGuiApplication and QApplication): those in the first set take a value.
QT_SWITCHES_WITH_VALUE = {
    "-platform",
    "-platformpluginpath",
    "-platformtheme",
    "-plugin",
    "-qwindowgeometry",
    "-qwindowicon",
    "-qwindowtitle",
    "-style",
    "-stylesheet",
    "-display",
    "-geometry",
    "-session",
    "-qmljsdebugger",
    "-fontengine",
}
QT_SWITCHES = {"-reverse", "-widgetcount", "-nograb", "-dograb", "-sync"}


def split_qt_arguments(args: list[str]) -> tuple[list[str], list[str]]:
    """Return (the app's arguments, Qt's switches with their values), keeping each list's order.

    Qt writes its switches with one dash (-style fusion, or -style=fusion); the app's options have
    two, so the two never collide.
    """
    own: list[str] = []
    qt: list[str] = []
    index = 0
    while index < len(args):
        arg = args[index]
        name = arg.split("=", 1)[0]
        if name in QT_SWITCHES_WITH_VALUE:
            qt.append(arg)
            if "=" not in arg and index + 1 < len(args):
                qt.append(args[index + 1])
                index += 1
        elif arg in QT_SWITCHES:
            qt.append(arg)
        else:
            own.append(arg)
        index += 1
    return own, qt


def _platform(qt_args: list[str]) -> str:
    """Return the platform Qt will use: -platform, else QT_QPA_PLATFORM, else "" (Qt's default)."""
    for index, arg in enumerate(qt_args):
        if arg.startswith("-platform="):
            return arg.split("=", 1)[1].split(":")[0]
        if arg == "-platform" and index + 1 < len(qt_args):
            return qt_args[index + 1].split(":")[0]
    return os.environ.get("QT_QPA_PLATFORM", "").split(":")[0].split(";")[0]


def _qt_plugin(name: str) -> Path | None:
    """Return the path of one of PySide6's platform plugins, without importing Qt's GUI."""
    try:
        import PySide6
    except ImportError:
        return None
    path = Path(PySide6.__file__).resolve().parent / "Qt" / "plugins" / "platforms" / f"libq{name}.so"
    return path if path.exists() else None


def debian_package(soname: str) -> str:
    """Return the Debian package that usually ships a library: libxcb-icccm.so.4 -> libxcb-icccm4."""
    match = re.match(r"(lib[\w+.-]*?)\.so\.(\d+)", soname)
    if not match:
        return soname
    stem, version = match.groups()
    name = f"{stem}-{version}" if stem[-1].isdigit() else f"{stem}{version}"
    return name.lower()  # Debian package names are lower case: libEGL.so.1 is in libegl1


def _missing_library(plugin: Path) -> str | None:
    """Return the name of a library the plugin cannot find, or None if it loads."""
    try:
        ctypes.CDLL(str(plugin), mode=getattr(os, "RTLD_LAZY", 1))
    except OSError as error:
        match = re.search(r"(lib[\w+.-]+\.so[.\d]*): cannot open shared object file", str(error))
        return match.group(1) if match else str(error).split(":")[0]
    return None


def _x_display_answers(display: str) -> bool:
    """Return True if an X server answers on `display` (asked through libxcb, as Qt will)."""
    try:
        xcb = ctypes.CDLL("libxcb.so.1")
    except OSError:
        return True  # cannot ask; the plugin check reports the missing library
    xcb.xcb_connect.restype = ctypes.c_void_p
    xcb.xcb_connect.argtypes = [ctypes.c_char_p, ctypes.c_void_p]
    xcb.xcb_connection_has_error.argtypes = [ctypes.c_void_p]
    xcb.xcb_disconnect.argtypes = [ctypes.c_void_p]
    connection = xcb.xcb_connect(display.encode(), None)
    try:
        return connection is not None and xcb.xcb_connection_has_error(connection) == 0
    finally:
        if connection is not None:
            xcb.xcb_disconnect(connection)


def window_problem(qt_args: list[str] | None = None) -> str | None:
    """Return one line saying why no window can open here (and the fix), or None if it can.

    Only Linux's X11 path is checked (the cause of every abort seen); Wayland, offscreen and the
    other platforms, macOS and Windows are left to Qt.
    """
    if not sys.platform.startswith("linux"):
        return None
    platform = _platform(qt_args or [])
    if platform not in ("", "xcb"):
        return None
    if platform == "" and os.environ.get("WAYLAND_DISPLAY"):
        return None  # Qt picks its Wayland plugin
    display = os.environ.get("DISPLAY", "")
    for index, arg in enumerate(qt_args or []):
        if arg == "-display" and index + 1 < len(qt_args or []):
            display = (qt_args or [])[index + 1]
    if not display:
        return f"no display to open the window on (DISPLAY is not set); {PICTURES_HINT}"
    plugin = _qt_plugin("xcb")
    if plugin is not None:
        missing = _missing_library(plugin)
        if missing:
            packages = list(XCB_PACKAGES)
            if debian_package(missing) not in packages:
                packages.append(debian_package(missing))
            return (
                f"Qt's xcb platform plugin cannot load: {missing} is missing; on Debian/Ubuntu install "
                f"the libraries with: sudo apt install {' '.join(packages)}"
            )
    if not _x_display_answers(display):
        return f"no X server answers on display {display!r}; {PICTURES_HINT}"
    return None

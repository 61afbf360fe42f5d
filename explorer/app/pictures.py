"""Pictures of what the window shows: any plot or the graph as PNG or SVG data (no files written here).

SVG goes through QSvgGenerator and Qt's own painting, not pyqtgraph's exporter (which fails with
Qt ≥ 6.11): a QGraphicsView (the graph, every pyqtgraph PlotWidget) renders its scene, so lines stay
paths and labels stay text. explorer/app/export.py writes the files.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from PySide6.QtCore import QBuffer, QByteArray, QIODevice, QPoint, QRect, QRectF, QSize, Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter, QPixmap
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsView, QWidget


def _picture_dpi() -> int:
    """Return the resolution QPicture assumes (Qt's default DPI), which pyqtgraph's axes record in."""
    # An axis replays a recorded QPicture, which Qt rescales by (device DPI / default DPI): a device
    # at another resolution would draw the axes shrunk and shifted. Give every device this one.
    if QGuiApplication.testAttribute(Qt.ApplicationAttribute.AA_Use96Dpi):
        return 96
    screen = QGuiApplication.primaryScreen()
    return round(screen.logicalDotsPerInchX()) if screen is not None else 96


def _picture_size(widget: QWidget) -> QSize:
    """Return the size of what is exported: a view's visible scene area, else the whole widget."""
    size = widget.viewport().size() if isinstance(widget, QGraphicsView) else widget.size()
    if size.width() <= 0 or size.height() <= 0:
        raise ValueError("Nothing to export: the view has no size yet.")
    return size


@contextmanager
def _exporting(widget: QWidget) -> Iterator[None]:
    """Set the widget's graphics views up for export for the duration of a `with` block."""
    views = [widget] if isinstance(widget, QGraphicsView) else widget.findChildren(QGraphicsView)
    # pyqtgraph items know an export mode: markers drawn as shapes rather than stamped from a bitmap
    # atlas (blurred when scaled, a bitmap in SVG), hover-only buttons hidden.
    export_modes: list[Callable[..., object]] = []
    for view in views:
        scene = view.scene()
        for item in scene.items() if scene is not None else ():
            set_export_mode = getattr(item, "setExportMode", None)
            if callable(set_export_mode):
                export_modes.append(set_export_mode)
    modes = [view.cacheMode() for view in views]
    try:
        for view in views:
            # A cached background would come out as one bitmap in the SVG.
            view.setCacheMode(QGraphicsView.CacheModeFlag.CacheNone)
            view.resetCachedContent()
        for set_export_mode in export_modes:
            set_export_mode(True, {"antialias": True})
        yield
    finally:
        for set_export_mode in export_modes:
            set_export_mode(False)
        for view, mode in zip(views, modes):
            view.setCacheMode(mode)


def _paint(widget: QWidget, painter: QPainter, size: QSize) -> None:
    """Paint `widget` with `painter` into the rectangle (0, 0, size) of the painter's device."""
    with _exporting(widget):
        if isinstance(widget, QGraphicsView):
            # The scene itself, not a grab of the screen: items paint as vectors on a vector device.
            viewport = widget.viewport()
            target = QRectF(0, 0, size.width(), size.height())
            painter.fillRect(target, viewport.palette().color(viewport.backgroundRole()))
            QGraphicsView.render(widget, painter, target, viewport.rect())
        else:
            QWidget.render(widget, painter, QPoint(0, 0))


def png_bytes(widget: QWidget, scale: float = 1.0) -> bytes:
    """Return the widget as PNG data, `scale` times its size in pixels (2 for crisp slides)."""
    if not scale > 0:
        raise ValueError(f"The scale must be positive, not {scale}.")
    size = _picture_size(widget)
    image = QImage(
        max(1, round(size.width() * scale)), max(1, round(size.height() * scale)), QImage.Format.Format_ARGB32
    )
    dots_per_metre = round(_picture_dpi() / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    # A device pixel ratio, not a painter scale: Qt then draws as on a high-DPI screen, so cosmetic
    # pens, markers and items that ignore the view's zoom all grow with the picture.
    image.setDevicePixelRatio(scale)
    image.fill(0)
    painter = QPainter(image)
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
        _paint(widget, painter, size)
    finally:
        painter.end()
    return image_png(image)


def image_png(picture: QImage | QPixmap) -> bytes:
    """Return an image or a pixmap (a widget's grab) as PNG data; OSError if it cannot be encoded."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # The stub types the format as bytes, but PySide6 takes only str here (b"PNG" raises ValueError).
    if not picture.save(buffer, "PNG"):  # type: ignore[call-overload]
        raise OSError("Could not encode the picture as PNG.")
    buffer.close()
    return bytes(data.data())


def pixmap_png(pixmap: QPixmap) -> bytes:
    """Return a pixmap (a widget's grab) as PNG data; OSError if it cannot be encoded."""
    return image_png(pixmap)


def svg_bytes(widget: QWidget, title: str = "") -> bytes:
    """Return the widget as SVG data: lines as paths, labels as text, sized like the widget."""
    size = _picture_size(widget)
    return svg_drawing(
        size,
        title or widget.windowTitle(),
        lambda painter: _paint(widget, painter, size),
        _picture_dpi(),
    )


def svg_drawing(
    size: QSize, title: str, draw: Callable[[QPainter], None], resolution: int | None = None
) -> bytes:
    """Return what `draw` paints on a `size` canvas as SVG data (strokes baked, see bake_strokes)."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    # SVG Tiny, no clip paths: Qt 6.11 writes SVG 1.1 clips wrongly (a child widget's in its own
    # coordinates; an item's kept after the painter restores), hiding parts of the picture.
    generator = QSvgGenerator(QSvgGenerator.SvgVersion.SvgTiny12)
    generator.setOutputDevice(buffer)
    generator.setSize(size)
    generator.setViewBox(QRect(QPoint(0, 0), size))
    if resolution is not None:
        generator.setResolution(resolution)
    generator.setTitle(title or "MLP Explorer")
    generator.setDescription("Exported from MLP Explorer")
    painter = QPainter()
    if not painter.begin(generator):
        raise OSError("Could not start the SVG writer.")
    try:
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        draw(painter)
    finally:
        painter.end()
    buffer.close()
    return bake_strokes(bytes(data.data()))


# Thin lines (cosmetic pens: every pyqtgraph curve) come out of QSvgGenerator in data coordinates
# under a scaling group transform, kept thin by vector-effect="non-scaling-stroke". Viewers that
# ignore that attribute (office suites, older editors) draw them hundreds of units wide, so the
# coordinates are mapped to picture units here and the scaling transform dropped.
SVG_NS = "http://www.w3.org/2000/svg"
_NON_SCALING = "non-scaling-stroke"
_MATRIX = re.compile(r"^\s*matrix\(([^)]*)\)\s*$")
_PATH_TOKEN = re.compile(r"[A-Za-z]|[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?")


def _number(value: float) -> str:
    text = f"{value:.3f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def _mapped_points(text: str, matrix: tuple[float, ...]) -> str | None:
    """Return "x,y x,y …" mapped by the matrix, or None if the list is not plain pairs."""
    a, b, c, d, e, f = matrix
    try:
        values = [float(v) for v in re.split(r"[\s,]+", text.strip()) if v]
    except ValueError:
        return None
    if len(values) % 2:
        return None
    pairs = zip(values[0::2], values[1::2])
    return " ".join(f"{_number(a * x + c * y + e)},{_number(b * x + d * y + f)}" for x, y in pairs)


def _mapped_path(text: str, matrix: tuple[float, ...]) -> str | None:
    """Return path data mapped by the matrix, or None if it uses commands other than M L C Z."""
    tokens = _PATH_TOKEN.findall(text)
    out: list[str] = []
    numbers: list[str] = []
    for token in tokens + ["Z"]:
        if token.isalpha():
            if token not in "MLCZ":
                return None
            if numbers:
                mapped = _mapped_points(" ".join(numbers), matrix)
                if mapped is None:
                    return None
                out.append(mapped)
                numbers = []
            out.append(token)
        else:
            numbers.append(token)
    return " ".join(out[:-1])


def _mapped_shape(tag: str, attrib: dict[str, str], matrix: tuple[float, ...]) -> dict[str, str] | None:
    """Return a circle's, ellipse's or rect's attributes mapped by an unrotated matrix, else None."""
    a, b, c, d, e, f = matrix
    if b or c or (tag == "circle" and abs(a) != abs(d)) or (tag == "rect" and {"rx", "ry"} & set(attrib)):
        return None
    try:
        if tag == "rect":
            x, y = float(attrib.get("x", 0)), float(attrib.get("y", 0))
            w, h = float(attrib["width"]), float(attrib["height"])
            x0, x1, y0, y1 = sorted((a * x + e, a * (x + w) + e)) + sorted((d * y + f, d * (y + h) + f))
            return {"x": _number(x0), "y": _number(y0), "width": _number(x1 - x0), "height": _number(y1 - y0)}
        cx, cy = float(attrib.get("cx", 0)), float(attrib.get("cy", 0))
        out = {"cx": _number(a * cx + e), "cy": _number(d * cy + f)}
        if tag == "circle":
            return out | {"r": _number(abs(a) * float(attrib["r"]))}
        return out | {
            "rx": _number(abs(a) * float(attrib["rx"])),
            "ry": _number(abs(d) * float(attrib["ry"])),
        }
    except (KeyError, ValueError):
        return None


def _bake_group(group: ET.Element, matrix: tuple[float, ...], transform: str) -> None:
    """Map the group's stroked lines and paths to picture units; wrap what cannot be mapped."""
    children = list(group)
    for child in children:
        group.remove(child)
    wrapper = None
    for child in children:
        tag = _tag(child)
        mapped: dict[str, str] | None = None
        points_text, path_text = child.get("points"), child.get("d")
        if tag in ("polyline", "polygon") and points_text is not None:
            points = _mapped_points(points_text, matrix)
            mapped = None if points is None else {"points": points}
        elif tag == "path" and path_text is not None:
            path = _mapped_path(path_text, matrix)
            mapped = None if path is None else {"d": path}
        elif tag in ("circle", "ellipse", "rect"):
            mapped = _mapped_shape(tag, child.attrib, matrix)
        if mapped is not None:
            child.attrib.update(mapped)
            child.attrib.pop("vector-effect", None)  # now in picture units: scale with the picture
            group.append(child)
            wrapper = None
            continue
        if wrapper is None:
            wrapper = ET.SubElement(group, f"{{{SVG_NS}}}g", {"transform": transform})
        wrapper.append(child)
    group.attrib.pop("transform")


def _tag(element: ET.Element) -> str:
    return element.tag.rsplit("}", 1)[-1]


def bake_strokes(data: bytes) -> bytes:
    """Return SVG data with thin lines under scaling groups mapped to picture units (see above)."""
    ET.register_namespace("", SVG_NS)
    ET.register_namespace("xlink", "http://www.w3.org/1999/xlink")
    root = ET.fromstring(data)
    for group in list(root.iter(f"{{{SVG_NS}}}g")):
        transform = group.get("transform", "")
        match = _MATRIX.match(transform)
        if match is None or not any(child.get("vector-effect") == _NON_SCALING for child in group):
            continue
        matrix = tuple(float(v) for v in match.group(1).replace(",", " ").split())
        if len(matrix) != 6:
            continue
        if matrix[:4] == (1.0, 0.0, 0.0, 1.0):
            for child in group:  # a shift keeps widths: the attribute only stops lines scaling with zoom
                child.attrib.pop("vector-effect", None)
        else:
            _bake_group(group, matrix, transform)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)

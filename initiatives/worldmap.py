"""The world map drawn on the server: Natural Earth's country shapes (the npm package
`world-atlas`, installed by `make shapes` into var/) turned into SVG paths once per process.

TopoJSON keeps each border once as an "arc" of delta-encoded integer points; a country is
rings of arcs (a negative index, ~i, is arc i walked backwards). The Equal Earth projection
(Šavrič, Patterson and Jenny, 2018) keeps areas true, so a large country does not look
busier than it is.
"""

import json
import math
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from django.conf import settings

WIDTH = 960
HEIGHT = 467
_A1, _A2, _A3, _A4 = 1.340264, -0.081106, 0.000893, 0.003796
_M = math.sqrt(3) / 2
# The projection's extent for longitude ±180° and latitude ±90°.
_X_MAX = 2.7066299836960748
_Y_MAX = 1.3173627591574133


@dataclass(frozen=True)
class Shape:
    numeric: str  # ISO 3166-1 numeric code, as Natural Earth names countries
    path: str  # SVG path data in the map's coordinates
    centre: tuple[float, float]  # the centre of its largest part, where lines meet it


def project(longitude: float, latitude: float) -> tuple[float, float]:
    """Equal Earth: degrees to the map's pixels, north up."""
    lam = math.radians(longitude)
    theta = math.asin(_M * math.sin(math.radians(latitude)))
    t2 = theta * theta
    t6 = t2 * t2 * t2
    x = lam * math.cos(theta) / (_M * (_A1 + 3 * _A2 * t2 + t6 * (7 * _A3 + 9 * _A4 * t2)))
    y = theta * (_A1 + _A2 * t2 + t6 * (_A3 + _A4 * t2))
    return (x / _X_MAX + 1) * WIDTH / 2, (1 - y / _Y_MAX) * HEIGHT / 2


def shapes_path() -> Path:
    return Path(settings.WORLD_SHAPES_PATH)


def shapes_installed() -> bool:
    return shapes_path().is_file()


@lru_cache(maxsize=1)
def shapes() -> dict[str, Shape]:
    """Every country Natural Earth draws at 1:110m, by ISO numeric code; {} when the shapes
    are not installed (the map page then shows its table alone)."""
    if not shapes_installed():
        return {}
    topology = json.loads(shapes_path().read_text(encoding="utf-8"))
    arcs = _decoded_arcs(topology)
    drawn = {}
    for geometry in topology["objects"]["countries"]["geometries"]:
        numeric = geometry.get("id")
        if not numeric or geometry.get("type") not in ("Polygon", "MultiPolygon"):
            continue
        polygons = geometry["arcs"] if geometry["type"] == "MultiPolygon" else [geometry["arcs"]]
        rings = [_ring(arcs, ring) for polygon in polygons for ring in polygon]
        rings = [ring for ring in rings if len(ring) >= 3]
        if rings:
            drawn[numeric] = Shape(numeric=numeric, path=_path_data(rings), centre=_centre(polygons, arcs))
    return drawn


def _decoded_arcs(topology) -> list[list[tuple[float, float]]]:
    """Each arc as projected points, undoing the quantisation and the delta encoding."""
    (sx, sy), (tx, ty) = topology["transform"]["scale"], topology["transform"]["translate"]
    decoded = []
    for arc in topology["arcs"]:
        x = y = 0
        points = []
        for dx, dy in arc:
            x += dx
            y += dy
            points.append(project(x * sx + tx, y * sy + ty))
        decoded.append(points)
    return decoded


def _ring(arcs, indexes) -> list[tuple[float, float]]:
    ring: list[tuple[float, float]] = []
    for index in indexes:
        points = arcs[index] if index >= 0 else arcs[~index][::-1]
        # Consecutive arcs share their meeting point; keep it once.
        ring.extend(points[1:] if ring else points)
    return ring


def _path_data(rings) -> str:
    parts = []
    for ring in rings:
        for piece in _pieces(ring):
            kept = []
            for x, y in piece:
                point = f"{x:.0f},{y:.0f}"
                if not kept or kept[-1] != point:
                    kept.append(point)
            if len(kept) >= 3:
                parts.append("M" + "L".join(kept) + "Z")
    return "".join(parts)


def _pieces(ring):
    """A ring cut where it crosses the antimeridian (Fiji, Chukotka), which would otherwise
    draw a line across the whole map."""
    pieces = [[ring[0]]]
    for previous, point in zip(ring, ring[1:], strict=False):
        if abs(point[0] - previous[0]) > WIDTH / 2:
            pieces.append([])
        pieces[-1].append(point)
    return pieces


def _area_and_centroid(ring) -> tuple[float, tuple[float, float]]:
    area = cx = cy = 0.0
    for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True):
        cross = x0 * y1 - x1 * y0
        area += cross
        cx += (x0 + x1) * cross
        cy += (y0 + y1) * cross
    if not area:
        xs, ys = zip(*ring, strict=True)
        return 0.0, (sum(xs) / len(xs), sum(ys) / len(ys))
    return abs(area) / 2, (cx / (3 * area), cy / (3 * area))


def _centre(polygons, arcs) -> tuple[float, float]:
    """The centroid of the outer ring of the largest part."""
    outer_rings = [_ring(arcs, polygon[0]) for polygon in polygons if polygon]
    measured = [_area_and_centroid(ring) for ring in outer_rings if len(ring) >= 3]
    _area, centre = max(measured, key=lambda pair: pair[0])
    return round(centre[0], 1), round(centre[1], 1)


def arc_between(start: tuple[float, float], end: tuple[float, float]) -> str:
    """A gentle curve from one country's centre to another's, bowed to one side so that
    lines between neighbours and their reverse do not lie on top of each other."""
    (x0, y0), (x1, y1) = start, end
    mx, my = (x0 + x1) / 2, (y0 + y1) / 2
    dx, dy = x1 - x0, y1 - y0
    bow = 0.2
    cx, cy = mx - dy * bow, my + dx * bow
    return f"M{x0:.1f},{y0:.1f}Q{cx:.1f},{cy:.1f} {x1:.1f},{y1:.1f}"

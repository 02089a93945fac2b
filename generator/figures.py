"""Small directed flow diagrams rendered as inline, self-contained SVG.

`render_flow_svg` lays out a handful of labelled boxes joined by arrows and
returns one ``<svg>`` element as a string, ready to be pasted into a Markdown
page as raw HTML.

Layout rule, in short:

* Layers come from `graphlib.TopologicalSorter`: each `get_ready()` batch is one
  layer, drawn top to bottom.  Cycles are broken first by a depth-first search in
  input order (nodes in the order given, out-edges in the order given); the edges
  that close a cycle are ignored for layering but still drawn, as arrows that
  detour up the side of the figure.
* Within a layer nodes keep their input order, at most two side by side; a longer
  layer wraps onto further rows.  The figure is always 340 user units wide, so on a
  360 px phone its 14 px text stays about 14 px.
* An arrow is a straight line from the bottom of its source to the top of its
  target, unless that line would cut through another box; then it runs
  orthogonally through the gap under the source row, down a side gutter and
  through the gap above the target row.

The output is a single line with no indentation (a blank line would end the raw
HTML block in Markdown, an indented one would start a code block).  Every piece
of caller text is XML-escaped, and ASCII punctuation in it is written as numeric
character references, so neither Markdown nor a Jinja-like template pass can
read anything into it.  Characters XML 1.0 cannot carry become U+FFFD and runs of
whitespace collapse to one space.  Same input, byte-identical output.

Python-Markdown does not count ``<svg>`` as a block-level tag: a bare figure on a
line of its own ends up as inline HTML inside a ``<p>`` (valid, as SVG is phrasing
content), and that escaping keeps it intact even then.  Wrapping it in a
``<figure>`` or ``<div>`` makes it a true raw HTML block.  Text carries no
font-family, so inline it inherits the page font; colours come from Material's
CSS custom properties (light and dark schemes) with plain fallbacks.
"""

from __future__ import annotations

import graphlib
import math
import re
import string
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = [
    "EDGE_FONT_SIZE",
    "NODE_FONT_SIZE",
    "NODE_PAD_X",
    "VIEW_WIDTH",
    "FlowEdge",
    "FlowNode",
    "clean_text",
    "render_flow_svg",
    "text_width",
    "wrap_text",
]

# --- public geometry constants (user units == CSS px at 340 px rendered width) ---
VIEW_WIDTH = 340
NODE_FONT_SIZE = 14
EDGE_FONT_SIZE = 12
NODE_PAD_X = 8
"""Horizontal padding inside a node box on each side of the text."""

# --- private layout constants ---
_NODE_PAD_Y = 8
_NODE_LINE = 18  # line height for node text (~1.3 x 14)
_NODE_BASELINE = 13  # baseline offset of a node text line within its line box
_EDGE_LINE = 15  # line height for edge labels
_EDGE_BASELINE = 11
_MARGIN_X = 18  # side gutters; detouring arrows run in them
_MARGIN_TOP = 8
_MARGIN_BOTTOM = 8
_COLUMN_GAP = 16
_PAIR_WIDTH = (VIEW_WIDTH - 2 * _MARGIN_X - _COLUMN_GAP) // 2  # 144
_SINGLE_WIDTH = 240
_MAX_PER_ROW = 2
_GAP_MIN = 28  # vertical gap between rows without edge labels
_GAP_PAD = 6  # space above and below an edge-label block
_ROUTE_BAND = 16  # lowest part of a gap, where detouring arrows run sideways
_LANES = (0, -4, 4)  # offsets that keep parallel detours apart
_LABEL_MAX_WIDTH = 120
_LABEL_OFFSET = 6  # distance between an arrow and its label
_LABEL_SPACING = 8  # minimum horizontal room between two labels side by side
_EDGE_MARGIN = 2  # keep edge labels this far inside the viewBox
_CENTER_X = VIEW_WIDTH / 2
_LEFT_CHANNEL = _MARGIN_X / 2
_RIGHT_CHANNEL = VIEW_WIDTH - _MARGIN_X / 2

# Colours follow Material's light and dark schemes through its CSS custom
# properties, with plain fallbacks.  They live in per-element style attributes,
# not in a <style> element: text between tags is exposed to Markdown's inline
# processing if the figure ends up inside a paragraph (e.g. `smarty` would turn
# the "--" of a custom property into an en dash), attribute values never are.
# The presentation attributes next to them are for renderers without CSS.
_BOX_STYLE = "fill:var(--md-code-bg-color,#f5f5f5);stroke:var(--md-primary-fg-color,#4051b5)"
_TEXT_STYLE = "fill:var(--md-default-fg-color,#222)"
_EDGE_STYLE = "stroke:var(--md-default-fg-color--light,#757575)"
_ARROW_STYLE = "fill:var(--md-default-fg-color--light,#757575)"
_LABEL_STYLE = (
    "fill:var(--md-default-fg-color,#222);stroke:var(--md-default-bg-color,#fff);"
    "stroke-width:3px;stroke-linejoin:round;paint-order:stroke"
)

_SVG_ID = re.compile(r"[A-Za-z][A-Za-z0-9-]*\Z")
_INVALID_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_PUNCTUATION_REFS = {ord(c): f"&#{ord(c)};" for c in string.punctuation}


@dataclass(frozen=True)
class FlowNode:
    """A box in the diagram; `label` is plain text (never markup)."""

    id: str
    label: str


@dataclass(frozen=True)
class FlowEdge:
    """An arrow from node `source` to node `target`, optionally labelled."""

    source: str
    target: str
    label: str | None = None


# --------------------------------------------------------------------------- text


def clean_text(text: str) -> str:
    """Return `text` as the figure shows it.

    Characters XML 1.0 cannot carry (most C0 controls, lone surrogates, U+FFFE,
    U+FFFF) are replaced by U+FFFD, then every run of whitespace (``str.split``
    semantics) becomes one space and the ends are trimmed.
    """
    return " ".join(_INVALID_XML.sub("\ufffd", text).split())


def _char_width(char: str) -> float:
    """Deliberately generous advance width of one character, in em."""
    category = unicodedata.category(char)
    if category in ("Mn", "Me", "Cf"):
        return 0.0
    if unicodedata.east_asian_width(char) in ("W", "F") or category == "So":
        return 1.0
    if char in "MW@%":
        return 0.95
    if char in "mw":
        return 0.85
    if category == "Lu":
        return 0.72
    return 0.6


def text_width(text: str, font_size: float) -> float:
    """Estimate the rendered width of one line of `text` at `font_size`.

    The estimate is conservative for ordinary proportional fonts: 0.6 em for most
    characters, more for capitals and wide Latin letters, 1 em for East Asian wide
    characters and symbols such as emoji, nothing for combining marks.  The layout
    wraps lines with it, so a line never exceeds its box as long as the real font
    is no wider than this.
    """
    return sum(_char_width(c) for c in text) * font_size


def _split_word(word: str, max_width: float, font_size: float) -> list[str]:
    """Cut a word wider than `max_width` into pieces that fit.

    Zero-width characters (combining marks, joiners) stay with the character
    before them, so accents are not separated from their letter.
    """
    pieces: list[str] = []
    current = ""
    width = 0.0
    for char in word:
        advance = _char_width(char) * font_size
        if current and advance and width + advance > max_width:
            pieces.append(current)
            current, width = "", 0.0
        current += char
        width += advance
    if current:
        pieces.append(current)
    return pieces


def wrap_text(text: str, max_width: float, font_size: float) -> list[str]:
    """Greedy word wrap of `text` into lines no wider than `max_width`.

    Width is measured with `text_width`.  Words are separated by whitespace; a
    word too wide for a line on its own is cut into pieces.  Returns no lines for
    blank text.  Joining the lines with spaces gives back the whitespace-collapsed
    text, except where a long word was cut.
    """
    lines: list[str] = []
    current = ""
    for word in text.split():
        if text_width(word, font_size) > max_width:
            if current:
                lines.append(current)
            *full, current = _split_word(word, max_width, font_size)
            lines.extend(full)
        elif not current:
            current = word
        elif text_width(current + " " + word, font_size) <= max_width:
            current += " " + word
        else:
            lines.append(current)
            current = word
    if current:
        lines.append(current)
    return lines


def _fits_in_pair(label: str) -> bool:
    """True when every word of `label` fits a box of half the figure's width."""
    inner = _PAIR_WIDTH - 2 * NODE_PAD_X
    return all(text_width(word, NODE_FONT_SIZE) <= inner for word in clean_text(label).split())


def _esc(text: str) -> str:
    """Escape cleaned text (or an attribute value) for XML and Markdown.

    A superset of ``html.escape(text, quote=True)``: every ASCII punctuation
    character becomes a numeric reference, and so does whitespace other than the
    plain space, so the output stays on one line.
    """
    text = _INVALID_XML.sub("\ufffd", text).translate(_PUNCTUATION_REFS)
    return "".join(f"&#{ord(c)};" if c.isspace() and c != " " else c for c in text)


def _tspans(lines: Sequence[str], x: float, first_baseline: float, line_height: float) -> str:
    """One absolutely positioned ``<tspan>`` per line."""
    return "".join(
        f'<tspan x="{_num(x)}" y="{_num(first_baseline + i * line_height)}">{_esc(line)}</tspan>'
        for i, line in enumerate(lines)
    )


def _num(value: float) -> str:
    """Format a coordinate with at most one decimal, without ``-0``."""
    rounded = round(value, 1)
    if rounded == int(rounded):
        return str(int(rounded)) if rounded != 0 else "0"
    return f"{rounded:.1f}"


# ------------------------------------------------------------------------- layout


@dataclass
class _Box:
    x: float
    y: float
    w: float
    h: float
    lines: list[str]

    @property
    def cx(self) -> float:
        return self.x + self.w / 2

    @property
    def bottom(self) -> float:
        return self.y + self.h


@dataclass(frozen=True)
class _Label:
    x: float  # anchor x of the text
    left: bool  # True: text ends at x (text-anchor end)
    lines: list[str]
    row: int  # row whose gap holds the label
    track: int  # stacking slot within that gap


def _validate(nodes: Sequence[FlowNode], edges: Sequence[FlowEdge], svg_id: str) -> dict[str, int]:
    if not _SVG_ID.match(svg_id):
        raise ValueError(
            f"svg_id {svg_id!r} must start with an ASCII letter and contain only"
            " ASCII letters, digits and '-'"
        )
    if not nodes:
        raise ValueError("a flow figure needs at least one node")
    index: dict[str, int] = {}
    for position, node in enumerate(nodes):
        if node.id in index:
            raise ValueError(
                f"duplicate node id {node.id!r} (nodes {index[node.id]} and {position})"
            )
        index[node.id] = position
    for position, edge in enumerate(edges):
        for end in (edge.source, edge.target):
            if end not in index:
                raise ValueError(
                    f"edge {position} ({edge.source!r} -> {edge.target!r})"
                    f" names unknown node id {end!r}"
                )
    return index


def _back_edges(count: int, edges: Sequence[tuple[int, int]]) -> set[int]:
    """Indices of the edges a DFS in input order finds closing a cycle."""
    outgoing: list[list[int]] = [[] for _ in range(count)]
    for position, (source, _target) in enumerate(edges):
        outgoing[source].append(position)
    state = [0] * count  # 0 unseen, 1 on the stack, 2 finished
    back: set[int] = set()
    for root in range(count):
        if state[root]:
            continue
        state[root] = 1
        stack: list[tuple[int, int]] = [(root, 0)]
        while stack:
            node, next_edge = stack[-1]
            if next_edge == len(outgoing[node]):
                state[node] = 2
                stack.pop()
                continue
            stack[-1] = (node, next_edge + 1)
            position = outgoing[node][next_edge]
            target = edges[position][1]
            if state[target] == 1:
                back.add(position)
            elif state[target] == 0:
                state[target] = 1
                stack.append((target, 0))
    return back


def _layers(count: int, edges: Sequence[tuple[int, int]], back: set[int]) -> list[list[int]]:
    sorter: graphlib.TopologicalSorter[int] = graphlib.TopologicalSorter()
    for node in range(count):
        sorter.add(node)
    for position, (source, target) in enumerate(edges):
        if position not in back:
            sorter.add(target, source)
    sorter.prepare()
    layers: list[list[int]] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        layers.append(ready)
        sorter.done(*ready)
    return layers


def _segment_hits_box(x1: float, y1: float, x2: float, y2: float, box: _Box, pad: float) -> bool:
    """Liang-Barsky: does the segment pass through `box` grown by `pad`?"""
    dx, dy = x2 - x1, y2 - y1
    low, high = 0.0, 1.0
    for p, q in (
        (-dx, x1 - (box.x - pad)),
        (dx, box.x + box.w + pad - x1),
        (-dy, y1 - (box.y - pad)),
        (dy, box.bottom + pad - y1),
    ):
        if p == 0:
            if q < 0:
                return False
        else:
            t = q / p
            if p < 0:
                low = max(low, t)
            else:
                high = min(high, t)
            if low > high:
                return False
    return True


def _spread(start: float, length: float, count: int) -> list[float]:
    return [start + length * (i + 1) / (count + 1) for i in range(count)]


def _label_side(x: float, width: float, prefer_left: bool) -> bool:
    """True if a label `width` wide goes left of x; respects the viewBox."""
    fits_left = x - _LABEL_OFFSET - width >= _EDGE_MARGIN
    fits_right = x + _LABEL_OFFSET + width <= VIEW_WIDTH - _EDGE_MARGIN
    if prefer_left:
        return fits_left or not fits_right
    return not fits_right and fits_left


def render_flow_svg(
    nodes: Sequence[FlowNode],
    edges: Sequence[FlowEdge],
    *,
    title: str,
    description: str,
    svg_id: str,
) -> str:
    """Return a self-contained ``<svg>`` element (one line) drawing the flow.

    `title` and `description` become the ``<title>`` and ``<desc>`` the image is
    labelled by (``role="img"``); `svg_id` is the element id and prefixes every
    other id, so several figures can share a page.  It must start with an ASCII
    letter and contain only ASCII letters, digits and ``-``.

    Raises `ValueError` for an empty node list, a duplicate node id, an edge
    naming an unknown node id, or an unusable `svg_id`.
    """
    index = _validate(nodes, edges, svg_id)
    layout = _Layout(nodes, edges, [(index[e.source], index[e.target]) for e in edges])
    layout.arrange_rows()
    layout.size_boxes()
    layout.attach_arrows()
    layout.place_labels()
    layout.place_rows_vertically()
    return _svg_document(
        svg_id,
        title,
        description,
        layout.total_height,
        [_draw_edge(layout, position, svg_id) for position in range(len(edges))],
        [_draw_node(layout, node) for node in (n for row in layout.rows for n in row)],
        [_draw_label(layout, position, label) for position, label in layout.labels.items()],
    )


class _Layout:
    """Where everything of one figure goes, worked out step by step by its methods:
    rows of boxes, box sizes, where arrows leave and enter boxes, edge labels, heights."""

    def __init__(
        self, nodes: Sequence[FlowNode], edges: Sequence[FlowEdge], pairs: list[tuple[int, int]]
    ) -> None:
        self.nodes = nodes
        self.edges = edges
        self.pairs = pairs  # (source, target) node positions, one per edge
        self.back = _back_edges(len(nodes), pairs)  # edges that close a cycle
        self.rows: list[list[int]] = []
        self.row_of: dict[int, int] = {}
        self.boxes: dict[int, _Box] = {}
        self.side_in: dict[tuple[int, bool], list[int]] = {}
        self.start_x: dict[int, float] = {}
        self.end_x: dict[int, float] = {}
        self.end_y: dict[int, float] = {}
        self.labels: dict[int, _Label] = {}
        self.band_height: list[int] = []
        self.track_height: dict[int, list[int]] = {}
        self.row_top: list[float] = []
        self.total_height = 0
        self.lane_count = 0

    def arrange_rows(self) -> None:
        """Rows: each layer, wrapped at two nodes; a label with a word too long for half the
        width gets a row of its own rather than a word cut in two."""
        for layer in _layers(len(self.nodes), self.pairs, self.back):
            row: list[int] = []
            for node in layer:
                if not _fits_in_pair(self.nodes[node].label):
                    if row:
                        self.rows.append(row)
                        row = []
                    self.rows.append([node])
                    continue
                row.append(node)
                if len(row) == _MAX_PER_ROW:
                    self.rows.append(row)
                    row = []
            if row:
                self.rows.append(row)
        self.row_of = {node: r for r, row in enumerate(self.rows) for node in row}

    def size_boxes(self) -> None:
        """Boxes: widths, x positions and wrapped text (heights and y come later)."""
        for row in self.rows:
            width = _SINGLE_WIDTH if len(row) == 1 else _PAIR_WIDTH
            xs = (
                [_CENTER_X - _SINGLE_WIDTH / 2]
                if len(row) == 1
                else [_MARGIN_X, VIEW_WIDTH - _MARGIN_X - _PAIR_WIDTH]
            )
            for node, x in zip(row, xs, strict=True):
                label = clean_text(self.nodes[node].label)
                lines = wrap_text(label, width - 2 * NODE_PAD_X, NODE_FONT_SIZE)
                height = 2 * _NODE_PAD_Y + max(1, len(lines)) * _NODE_LINE
                self.boxes[node] = _Box(x, 0, width, height, lines)

    def back_channel_left(self, position: int) -> bool:
        """Whether an arrow closing a cycle runs up the left side (else the right)."""
        source, target = self.pairs[position]
        if len(self.rows[self.row_of[target]]) == 1:
            return self.boxes[source].cx <= _CENTER_X
        return self.boxes[target].cx < _CENTER_X

    def _outer(self, position: int) -> int:
        """Longer arrows (the ones likely to detour) go on the side they detour to."""
        source, target = self.pairs[position]
        span = self.row_of[target] - self.row_of[source]
        boxes = self.boxes
        return -span if boxes[source].cx + boxes[target].cx <= 2 * _CENTER_X else span

    def attach_arrows(self) -> None:
        """Where arrows leave boxes (bottom edge) and enter them (top edge, or the outer side
        for arrows closing a cycle), spread out and ordered by the x of the other end so
        that arrows from one box do not cross each other."""
        count = len(self.nodes)
        out_of: dict[int, list[int]] = {n: [] for n in range(count)}
        top_in: dict[int, list[int]] = {n: [] for n in range(count)}
        for position, (source, target) in enumerate(self.pairs):
            out_of[source].append(position)
            if position in self.back:
                key = (target, self.back_channel_left(position))
                self.side_in.setdefault(key, []).append(position)
            else:
                top_in[target].append(position)

        def out_key(p: int) -> tuple[float, int, int]:
            if p in self.back:
                return (_LEFT_CHANNEL if self.back_channel_left(p) else _RIGHT_CHANNEL, 0, p)
            return (self.boxes[self.pairs[p][1]].cx, self._outer(p), p)

        def in_key(p: int) -> tuple[float, int, int]:
            return (self.boxes[self.pairs[p][0]].cx, self._outer(p), p)

        for ends, by_node, order in ((self.start_x, out_of, out_key), (self.end_x, top_in, in_key)):
            for node, positions in by_node.items():
                positions.sort(key=order)
                box = self.boxes[node]
                for p, x in zip(positions, _spread(box.x, box.w, len(positions)), strict=True):
                    ends[p] = x

    def place_labels(self) -> None:
        """Edge labels sit in the gap under the source row, beside the arrow's first
        (vertical) stretch.  Labels that would collide horizontally are stacked."""
        tracks: dict[int, list[list[tuple[float, float]]]] = {r: [] for r in range(len(self.rows))}
        self.track_height = {r: [] for r in range(len(self.rows))}
        for position, edge in enumerate(self.edges):
            lines = wrap_text(clean_text(edge.label or ""), _LABEL_MAX_WIDTH, EDGE_FONT_SIZE)
            if not lines:
                continue
            source = self.pairs[position][0]
            stub_x = self.start_x[position]
            label_width = max(text_width(line, EDGE_FONT_SIZE) for line in lines)
            left = _label_side(stub_x, label_width, self._label_prefers_left(position))
            tx = stub_x - _LABEL_OFFSET if left else stub_x + _LABEL_OFFSET
            span = (tx - label_width, tx) if left else (tx, tx + label_width)
            r = self.row_of[source]
            free = (
                t
                for t, occupied in enumerate(tracks[r])
                if all(
                    span[1] + _LABEL_SPACING <= a or b + _LABEL_SPACING <= span[0]
                    for a, b in occupied
                )
            )
            track = next(free, len(tracks[r]))
            if track == len(tracks[r]):
                tracks[r].append([])
                self.track_height[r].append(0)
            tracks[r][track].append(span)
            height = max(self.track_height[r][track], len(lines) * _EDGE_LINE)
            self.track_height[r][track] = height
            self.labels[position] = _Label(tx, left, lines, r, track)
        self.band_height = [sum(self.track_height[r]) for r in range(len(self.rows))]

    def _label_prefers_left(self, position: int) -> bool:
        """Put the label on the side the arrow does not head to."""
        stub_x = self.start_x[position]
        source = self.pairs[position][0]
        if position in self.back:
            return not self.back_channel_left(position)
        if abs(self.end_x[position] - stub_x) > 0.5:
            return self.end_x[position] > stub_x
        if abs(stub_x - self.boxes[source].cx) > 0.5:
            return stub_x < self.boxes[source].cx
        return stub_x > _CENTER_X

    def gap_height(self, r: int) -> int:
        """The gap under row `r`: room for its labels and for detours."""
        if not self.band_height[r]:
            return _GAP_MIN
        return max(_GAP_MIN, 2 * _GAP_PAD + self.band_height[r] + _ROUTE_BAND)

    def place_rows_vertically(self) -> None:
        """Rows as tall as their tallest box, gaps sized for labels; then where arrows closing
        a cycle enter the side of their box."""
        y: float = _MARGIN_TOP
        last = len(self.rows) - 1
        for r, row in enumerate(self.rows):
            self.row_top.append(y)
            row_height = max(self.boxes[n].h for n in row)
            for node in row:
                self.boxes[node].y, self.boxes[node].h = y, row_height
            y += row_height
            if r < last:
                y += self.gap_height(r)
        last_row_back = any(self.row_of[self.pairs[p][0]] == last for p in self.back)
        self.total_height = math.ceil(
            y + (self.gap_height(last) if last_row_back else _MARGIN_BOTTOM)
        )
        for (node, _left), positions in self.side_in.items():
            box = self.boxes[node]
            for p, side_y in zip(positions, _spread(box.y, box.h, len(positions)), strict=True):
                self.end_y[p] = side_y

    def route_y(self, r: int, lane: float) -> float:
        """y of a sideways detour in the gap below row `r`."""
        gap_bottom = self.row_top[r + 1] if r + 1 < len(self.rows) else self.total_height
        return gap_bottom - _ROUTE_BAND / 2 + lane

    def next_lane(self) -> float:
        """An offset that keeps this detour apart from the previous ones."""
        lane = _LANES[self.lane_count % len(_LANES)]
        self.lane_count += 1
        return lane

    def arrow_path(self, position: int) -> str:
        """The SVG path of one arrow: straight, bent past its label, or detouring."""
        source, target = self.pairs[position]
        sbox, tbox = self.boxes[source], self.boxes[target]
        x1, y1 = self.start_x[position], sbox.bottom
        r = self.row_of[source]
        if position in self.back:
            lane = self.next_lane()
            left = self.back_channel_left(position)
            channel = (_LEFT_CHANNEL if left else _RIGHT_CHANNEL) + lane
            side_x = tbox.x if left else tbox.x + tbox.w
            return (
                f"M{_num(x1)},{_num(y1)}V{_num(self.route_y(r, lane))}H{_num(channel)}"
                f"V{_num(self.end_y[position])}H{_num(side_x)}"
            )
        x2, y2 = self.end_x[position], tbox.y
        # A labelled arrow first drops straight down past its label.
        stub = y1 + _GAP_PAD + self.band_height[r] if position in self.labels else y1
        blocked = any(
            _segment_hits_box(x1, stub, x2, y2, box, 3)
            for n, box in self.boxes.items()
            if n not in (source, target)
        )
        if blocked:
            lane = self.next_lane()
            channel = (_LEFT_CHANNEL if (x1 + x2) / 2 <= _CENTER_X else _RIGHT_CHANNEL) + lane
            return (
                f"M{_num(x1)},{_num(y1)}V{_num(self.route_y(r, lane))}H{_num(channel)}"
                f"V{_num(self.route_y(self.row_of[target] - 1, lane))}H{_num(x2)}V{_num(y2)}"
            )
        if stub != y1 and abs(x2 - x1) > 0.05:
            return f"M{_num(x1)},{_num(y1)}V{_num(stub)}L{_num(x2)},{_num(y2)}"
        return f"M{_num(x1)},{_num(y1)}L{_num(x2)},{_num(y2)}"


def _draw_edge(layout: _Layout, position: int, svg_id: str) -> str:
    """One arrow as a <path> (routes are taken in edge order: detour lanes depend on it)."""
    source, target = layout.pairs[position]
    return (
        f'<path class="flow-edge" data-source="{_esc(layout.nodes[source].id)}" '
        f'data-target="{_esc(layout.nodes[target].id)}" d="{layout.arrow_path(position)}" '
        f'fill="none" stroke="#757575" stroke-width="1.5" style="{_EDGE_STYLE}" '
        f'marker-end="url(#{svg_id}-arrow)"/>'
    )


def _draw_label(layout: _Layout, position: int, label: _Label) -> str:
    """One edge label as <text>, in its track of the gap under its source row."""
    source, target = layout.pairs[position]
    above = sum(layout.track_height[label.row][: label.track])
    top = layout.boxes[source].bottom + _GAP_PAD + above
    tspans = _tspans(label.lines, label.x, top + _EDGE_BASELINE, _EDGE_LINE)
    return (
        f'<text class="flow-edge-label" data-source="{_esc(layout.nodes[source].id)}" '
        f'data-target="{_esc(layout.nodes[target].id)}" font-size="{EDGE_FONT_SIZE}" '
        f'text-anchor="{"end" if label.left else "start"}" style="{_LABEL_STYLE}">'
        f"{tspans}</text>"
    )


def _draw_node(layout: _Layout, node: int) -> str:
    """One box with its text, vertically centred."""
    box = layout.boxes[node]
    text_top = box.y + (box.h - max(1, len(box.lines)) * _NODE_LINE) / 2
    tspans = _tspans(box.lines, box.cx, text_top + _NODE_BASELINE, _NODE_LINE)
    return (
        f'<g class="flow-node" data-node="{_esc(layout.nodes[node].id)}">'
        f'<rect x="{_num(box.x)}" y="{_num(box.y)}" width="{_num(box.w)}" '
        f'height="{_num(box.h)}" rx="6" fill="#f5f5f5" stroke="#4051b5" stroke-width="1.5" '
        f'style="{_BOX_STYLE}"/>'
        f'<text font-size="{NODE_FONT_SIZE}" text-anchor="middle" style="{_TEXT_STYLE}">'
        f"{tspans}</text></g>"
    )


def _svg_document(
    svg_id: str,
    title: str,
    description: str,
    height: int,
    paths: list[str],
    node_parts: list[str],
    label_parts: list[str],
) -> str:
    """The <svg> element: title and description for assistive technology, the arrowhead,
    then arrows, boxes and labels (labels last, on top)."""
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" id="{svg_id}" class="flow-figure" role="img" '
        f'aria-labelledby="{svg_id}-title {svg_id}-desc" viewBox="0 0 {VIEW_WIDTH} {height}" '
        f'width="100%" style="max-width:640px">'
        f'<title id="{svg_id}-title">{_esc(clean_text(title))}</title>'
        f'<desc id="{svg_id}-desc">{_esc(clean_text(description))}</desc>'
        f'<defs><marker id="{svg_id}-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
        f'markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto">'
        f'<path class="flow-arrow" d="M0,0L10,5L0,10z" fill="#757575" style="{_ARROW_STYLE}"/>'
        "</marker></defs>" + "".join(paths) + "".join(node_parts) + "".join(label_parts) + "</svg>"
    )

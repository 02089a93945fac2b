"""Tests for generator.figures: inline SVG flow diagrams embedded in Markdown pages."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations, pairwise

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.figures import (
    EDGE_FONT_SIZE,
    NODE_FONT_SIZE,
    NODE_PAD_X,
    VIEW_WIDTH,
    FlowEdge,
    FlowNode,
    render_flow_svg,
    text_width,
)

NS = "{http://www.w3.org/2000/svg}"
HOSTILE = "<script>alert(1)</script> & {{ x }} *y* | z"

# A typical findings flow: two roots, a wrapped layer of three, a join at the end.
NODES = [
    FlowNode("workload", "Workload pressure from management"),
    FlowNode("support", "Peer support"),
    FlowNode("autonomy", "Loss of autonomy"),
    FlowNode("exhaustion", "Emotional exhaustion"),
    FlowNode("coping", "Coping strategies (humour, 'venting')"),
    FlowNode("leave", "Intention to leave the profession"),
]
EDGES = [
    FlowEdge("workload", "autonomy"),
    FlowEdge("workload", "exhaustion", "directly"),
    FlowEdge("support", "coping", "buffers"),
    FlowEdge("autonomy", "leave"),
    FlowEdge("exhaustion", "leave"),
    FlowEdge("coping", "leave"),
]


# --------------------------------------------------------------------- helpers


@dataclass(frozen=True)
class Rect:
    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def bottom(self) -> float:
        return self.y + self.h

    def overlaps(self, other: Rect) -> bool:
        return (
            self.x < other.right
            and other.x < self.right
            and self.y < other.bottom
            and other.y < self.bottom
        )


def render(
    nodes: Sequence[FlowNode] = NODES, edges: Sequence[FlowEdge] = EDGES, **kwargs: str
) -> str:
    args = {"title": "Flow", "description": "How the themes connect.", "svg_id": "fig-flow"}
    args.update(kwargs)
    return render_flow_svg(nodes, edges, **args)


def parse(svg: str) -> ET.Element:
    root = ET.fromstring(svg)
    assert root.tag == NS + "svg"
    return root


def view_box(root: ET.Element) -> tuple[float, float]:
    x, y, w, h = (float(v) for v in root.attrib["viewBox"].split())
    assert (x, y) == (0, 0)
    return w, h


def boxes(root: ET.Element) -> dict[str, Rect]:
    """Node id -> its rectangle."""
    found = {}
    for group in root.iter(NS + "g"):
        if group.get("class") == "flow-node":
            rect = group.find(NS + "rect")
            assert rect is not None
            found[group.attrib["data-node"]] = Rect(
                *(float(rect.attrib[k]) for k in ("x", "y", "width", "height"))
            )
    return found


def node_lines(root: ET.Element) -> dict[str, list[str]]:
    """Node id -> the text of its <tspan> lines."""
    found = {}
    for group in root.iter(NS + "g"):
        if group.get("class") == "flow-node":
            text = group.find(NS + "text")
            assert text is not None
            assert not (text.text or "").strip(), "node text lives in tspans only"
            found[group.attrib["data-node"]] = [t.text or "" for t in text.iter(NS + "tspan")]
    return found


def edge_labels(root: ET.Element) -> list[ET.Element]:
    return [t for t in root.iter(NS + "text") if t.get("class") == "flow-edge-label"]


def edge_paths(root: ET.Element) -> list[ET.Element]:
    return [p for p in root.iter(NS + "path") if p.get("class") == "flow-edge"]


def path_points(d: str) -> list[tuple[float, float]]:
    """Vertices of an M/L/H/V path (the only commands the module emits for edges)."""
    points: list[tuple[float, float]] = []
    x = y = 0.0
    for command, args in re.findall(r"([MLHV])([^MLHV]*)", d):
        numbers = [float(v) for v in args.replace(",", " ").split()]
        if command in "ML":
            x, y = numbers
        elif command == "H":
            (x,) = numbers
        else:
            (y,) = numbers
        points.append((x, y))
    return points


def segment_enters(p: tuple[float, float], q: tuple[float, float], rect: Rect) -> bool:
    """Does the segment p-q pass through the interior of `rect` (shrunk by 1)?"""
    inner = Rect(rect.x + 1, rect.y + 1, rect.w - 2, rect.h - 2)
    steps = 200
    for i in range(steps + 1):
        t = i / steps
        x, y = p[0] + (q[0] - p[0]) * t, p[1] + (q[1] - p[1]) * t
        if inner.x < x < inner.right and inner.y < y < inner.bottom:
            return True
    return False


def label_rects(root: ET.Element) -> list[Rect]:
    """Estimated extent of every edge-label line (same width estimate as the module)."""
    rects = []
    for text in edge_labels(root):
        anchor = text.attrib["text-anchor"]
        for tspan in text.iter(NS + "tspan"):
            width = text_width(tspan.text or "", EDGE_FONT_SIZE)
            x, baseline = float(tspan.attrib["x"]), float(tspan.attrib["y"])
            left = x - width if anchor == "end" else x
            rects.append(Rect(left, baseline - EDGE_FONT_SIZE, width, EDGE_FONT_SIZE * 1.25))
    return rects


XML_INVALID = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def shown(text: str) -> str:
    """The documented text policy: XML-invalid characters -> U+FFFD, whitespace collapsed."""
    return " ".join(XML_INVALID.sub("\ufffd", text).split())


def assert_markdown_safe(svg: str) -> None:
    """Raw HTML in Markdown: a blank line ends the block, indentation makes code."""
    assert svg.startswith("<svg ")
    assert svg.endswith("</svg>")
    for line in svg.splitlines():
        assert line.strip(), "blank line inside the SVG"
        assert not line.startswith(("    ", "\t")), "indented line inside the SVG"
    for opener in ("{{", "{%", "{#"):
        assert opener not in svg


def assert_geometry(root: ET.Element, nodes: list[FlowNode], edges: list[FlowEdge]) -> None:
    """Invariants a reader would notice when broken, for any input."""
    width, height = view_box(root)
    rects = boxes(root)
    assert set(rects) == {n.id for n in nodes}
    for rect in rects.values():
        assert rect.x >= 0 and rect.right <= width and rect.y >= 0 and rect.bottom <= height
    for a, b in combinations(rects.values(), 2):
        assert not a.overlaps(b)
    for node_id, lines in node_lines(root).items():
        for line in lines:
            assert text_width(line, NODE_FONT_SIZE) <= rects[node_id].w - 2 * NODE_PAD_X, line
    for label in label_rects(root):
        assert label.x >= 0 and label.right <= width
        assert not any(label.overlaps(rect) for rect in rects.values())
    for a, b in combinations(label_rects(root), 2):
        assert not a.overlaps(b), "edge labels collide"
    paths = edge_paths(root)
    assert Counter((p.attrib["data-source"], p.attrib["data-target"]) for p in paths) == Counter(
        (e.source, e.target) for e in edges
    )
    for path in paths:
        points = path_points(path.attrib["d"])
        assert all(0 <= x <= width and 0 <= y <= height for x, y in points)
        ends = {path.attrib["data-source"], path.attrib["data-target"]}
        for node_id, rect in rects.items():
            if node_id not in ends:
                for p, q in pairwise(points):
                    assert not segment_enters(p, q, rect), (path.attrib["d"], node_id)


# ----------------------------------------------------------------------- tests


def test_svg_is_well_formed_and_named_by_its_title_and_description() -> None:
    root = parse(render(title="Why teachers leave", description="Six themes & their links."))
    assert root.attrib["role"] == "img"
    assert root.attrib["id"] == "fig-flow"
    assert root.attrib["aria-labelledby"] == "fig-flow-title fig-flow-desc"
    title, desc = list(root)[:2]
    assert (title.tag, title.attrib["id"], title.text) == (
        NS + "title",
        "fig-flow-title",
        "Why teachers leave",
    )
    assert (desc.tag, desc.attrib["id"], desc.text) == (
        NS + "desc",
        "fig-flow-desc",
        "Six themes & their links.",
    )


def test_figure_is_narrow_and_text_stays_phone_legible() -> None:
    root = parse(render())
    assert view_box(root)[0] == VIEW_WIDTH == 340
    assert root.attrib["width"] == "100%"
    assert "max-width:640px" in root.attrib["style"].replace(" ", "")
    node_sizes = {t.attrib["font-size"] for g in root.iter(NS + "g") for t in g.iter(NS + "text")}
    assert node_sizes == {"14"}
    assert {t.attrib["font-size"] for t in edge_labels(root)} == {"12"}


def test_every_node_label_is_shown_as_text() -> None:
    lines = node_lines(parse(render()))
    for node in NODES:
        assert " ".join(lines[node.id]) == node.label
        assert len(lines[node.id]) >= 1


def test_edge_labels_are_shown_as_text() -> None:
    labels = {
        (t.attrib["data-source"], t.attrib["data-target"]): " ".join(
            s.text or "" for s in t.iter(NS + "tspan")
        )
        for t in edge_labels(parse(render()))
    }
    assert labels == {("workload", "exhaustion"): "directly", ("support", "coping"): "buffers"}


def test_markup_in_labels_stays_text() -> None:
    nodes = [FlowNode("a", HOSTILE), FlowNode("b", "plain")]
    svg = render(nodes, [FlowEdge("a", "b", HOSTILE)], title=HOSTILE, description=HOSTILE)
    root = parse(svg)
    assert not [e for e in root.iter() if e.tag.endswith("script")]
    assert "<script" not in svg
    assert " ".join(node_lines(root)["a"]) == HOSTILE
    (label,) = edge_labels(root)
    # "<script>alert(1)</script>" is too long for one label line and gets cut.
    shown_label = "".join(t.text or "" for t in label.iter(NS + "tspan"))
    assert shown_label.replace(" ", "") == HOSTILE.replace(" ", "")
    assert root.findtext(NS + "title") == HOSTILE
    assert root.findtext(NS + "desc") == HOSTILE
    assert_markdown_safe(svg)


def test_markdown_cannot_touch_a_figure_left_in_a_paragraph() -> None:
    markdown = pytest.importorskip("markdown")
    pytest.importorskip("pymdownx")
    nodes = [FlowNode("a", "*em* _u_ `code` [l](u) :smile: ==m== ~~d~~ ++ctrl++ --> (c)")]
    svg = render(nodes, [FlowEdge("a", "a", "https://example.org $x$ ^^i^^")])
    extensions = [
        "abbr",
        "attr_list",
        "md_in_html",
        "tables",
        "smarty",
        "pymdownx.caret",
        "pymdownx.emoji",
        "pymdownx.keys",
        "pymdownx.magiclink",
        "pymdownx.mark",
        "pymdownx.smartsymbols",
        "pymdownx.tilde",
        "pymdownx.arithmatex",
    ]
    # Python-Markdown does not treat <svg> as a block-level tag, so a bare figure is
    # inline HTML inside a <p>: its text would be Markdown-processed if it could be.
    for page in (f"Intro.\n\n{svg}\n\nOutro.", f"<figure>\n{svg}\n</figure>"):
        assert svg in markdown.markdown(page, extensions=extensions)


def test_boxes_do_not_overlap_and_stay_inside_the_view_box() -> None:
    nodes = [FlowNode(f"n{i}", f"Theme number {i} " * (i % 4 + 1)) for i in range(9)]
    edges = [FlowEdge("n0", f"n{i}", "leads to" if i % 2 else None) for i in range(1, 8)]
    edges += [FlowEdge("n3", "n8"), FlowEdge("n1", "n8"), FlowEdge("n7", "n8", "strongly")]
    root = parse(render(nodes, edges))
    assert_geometry(root, nodes, edges)


def test_no_text_line_is_wider_than_its_box() -> None:
    nodes = [
        FlowNode("long", "Antidisestablishmentarianismus" * 3),
        FlowNode("caps", "WORKLOAD AND MANAGEMENT PRESSURE WWWW MMMM"),
        FlowNode("cjk", "職場のストレスと燃え尽き症候群の関係についての考察"),
        FlowNode("emoji", "😀😀😀😀😀😀😀😀😀😀😀😀😀😀 👩‍🏫👩‍🏫👩‍🏫👩‍🏫👩‍🏫👩‍🏫"),
        FlowNode("accents", "e\u0301" * 40),
    ]
    root = parse(render(nodes, [FlowEdge("long", "caps"), FlowEdge("caps", "cjk")]))
    assert_geometry(root, nodes, [FlowEdge("long", "caps"), FlowEdge("caps", "cjk")])
    lines = node_lines(root)
    assert len(lines["long"]) > 1
    assert "".join(lines["long"]) == nodes[0].label  # a cut word loses no characters
    assert "".join(lines["accents"]) == nodes[4].label  # accents stay with their letters
    assert all(line.startswith("e\u0301") for line in lines["accents"])


def test_at_most_two_boxes_side_by_side() -> None:
    nodes = [FlowNode("root", "Root")] + [FlowNode(f"c{i}", f"Child {i}") for i in range(5)]
    edges = [FlowEdge("root", f"c{i}") for i in range(5)]
    rects = boxes(parse(render(nodes, edges)))
    for rect in rects.values():
        side_by_side = [r for r in rects.values() if r.y < rect.bottom and rect.y < r.bottom]
        assert len(side_by_side) <= 2
    # The layer of five wraps over three rows, in input order, left to right.
    rows = sorted({rects[f"c{i}"].y for i in range(5)})
    assert len(rows) == 3
    order = sorted(range(5), key=lambda i: (rects[f"c{i}"].y, rects[f"c{i}"].x))
    assert order == [0, 1, 2, 3, 4]


def test_layers_run_top_to_bottom_in_a_dag() -> None:
    rects = boxes(parse(render()))
    for edge in EDGES:
        assert rects[edge.source].bottom < rects[edge.target].y, edge
    # Nodes of one layer share a row band and keep their input order.
    assert rects["workload"].y == rects["support"].y
    assert rects["workload"].x < rects["support"].x
    assert_geometry(parse(render()), NODES, EDGES)


def test_output_is_deterministic() -> None:
    assert render() == render()
    assert render(tuple(NODES), tuple(EDGES)) == render()
    assert render_flow_svg(
        list(NODES), list(EDGES), title="Flow", description="How the themes connect.", svg_id="x"
    ) == render(svg_id="x")


def test_cycles_and_self_loops_are_drawn_without_hanging() -> None:
    nodes = [FlowNode(c, f"Step {c}") for c in "abcd"]
    edges = [
        FlowEdge("a", "b"),
        FlowEdge("b", "c", "then"),
        FlowEdge("c", "a", "feeds back"),
        FlowEdge("c", "c", "repeats"),
        FlowEdge("d", "d"),
        FlowEdge("c", "d"),
        FlowEdge("d", "b"),
    ]
    svg = render(nodes, edges)
    root = parse(svg)
    assert_geometry(root, nodes, edges)
    rects = boxes(root)
    # The cycle is broken at the edge that closes it (input order): a, b, c, d go down.
    assert rects["a"].bottom < rects["b"].y < rects["c"].y < rects["d"].y
    marker = f"url(#{root.attrib['id']}-arrow)"
    assert all(p.attrib["marker-end"] == marker for p in edge_paths(root))
    assert svg == render(nodes, edges)


def test_ids_are_prefixed_so_two_figures_can_share_a_page() -> None:
    first, second = parse(render(svg_id="fig-a")), parse(render(svg_id="fig-b"))
    ids_a = {e.attrib["id"] for e in first.iter() if "id" in e.attrib}
    ids_b = {e.attrib["id"] for e in second.iter() if "id" in e.attrib}
    assert ids_a and not ids_a & ids_b
    assert all(i.startswith("fig-a") for i in ids_a)
    for root, ids in ((first, ids_a), (second, ids_b)):
        for element in root.iter():
            for value in element.attrib.values():
                for ref in re.findall(r"url\(#([^)]*)\)", value):
                    assert ref in ids


def test_output_is_one_line_safe_for_markdown() -> None:
    nodes = [FlowNode("a", "first line\n\n    indented\tcode\r\n"), FlowNode("b", "b")]
    svg = render(nodes, [FlowEdge("a", "b", "x\n\ny")], description="one\n\n    two")
    assert "\n" not in svg and "\r" not in svg
    assert_markdown_safe(svg)
    root = parse(svg)
    assert " ".join(node_lines(root)["a"]) == "first line indented code"
    assert root.findtext(NS + "desc") == "one two"


def test_no_script_and_no_external_references() -> None:
    svg = render()
    root = parse(svg)
    assert not {e.tag for e in root.iter()} & {NS + "script", NS + "foreignObject", NS + "image"}
    for element in root.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), name
            assert "href" not in name
            assert "url(" not in value or value.startswith("url(#")
    assert svg.count("http") == 1  # only the xmlns declaration
    assert "@import" not in svg and "<style" not in svg


def test_characters_xml_cannot_carry_become_replacement_characters() -> None:
    label = "nul\x00 esc\x1b bell\x07 nonchar\ufffe lone\ud800 ok"
    svg = render([FlowNode("a", label)], [], title="t\x01")
    root = parse(svg)
    assert " ".join(node_lines(root)["a"]) == shown(label)
    assert shown(label) == "nul\ufffd esc\ufffd bell\ufffd nonchar\ufffd lone\ufffd ok"
    assert root.findtext(NS + "title") == "t\ufffd"


@pytest.mark.parametrize(
    ("nodes", "edges", "message"),
    [
        ([FlowNode("a", "A"), FlowNode("a", "B")], [], "duplicate node id 'a'"),
        ([FlowNode("a", "A")], [FlowEdge("a", "zz")], "unknown node id 'zz'"),
        ([FlowNode("a", "A")], [FlowEdge("zz", "a")], "unknown node id 'zz'"),
        ([], [], "at least one node"),
    ],
)
def test_bad_graphs_raise_value_error(
    nodes: list[FlowNode], edges: list[FlowEdge], message: str
) -> None:
    with pytest.raises(ValueError, match=re.escape(message)):
        render(nodes, edges)


@pytest.mark.parametrize("svg_id", ["", "1fig", "fig one", 'x"y', "fig{{"])
def test_unusable_svg_id_raises_value_error(svg_id: str) -> None:
    with pytest.raises(ValueError, match="svg_id"):
        render(svg_id=svg_id)


@st.composite
def graphs(draw: st.DrawFn) -> tuple[list[FlowNode], list[FlowEdge]]:
    count = draw(st.integers(1, 7))
    labels = draw(st.lists(st.text(), min_size=count, max_size=count))
    nodes = [FlowNode(f"n{i}", label) for i, label in enumerate(labels)]
    pairs = draw(
        st.lists(st.tuples(st.integers(0, count - 1), st.integers(0, count - 1)), max_size=10)
    )
    edges = [FlowEdge(f"n{s}", f"n{t}", draw(st.none() | st.text())) for s, t in pairs]
    return nodes, edges


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graph=graphs(), title=st.text(), description=st.text())
def test_any_text_keeps_the_figure_well_formed_and_round_trips(
    graph: tuple[list[FlowNode], list[FlowEdge]], title: str, description: str
) -> None:
    nodes, edges = graph
    svg = render(nodes, edges, title=title, description=description)
    assert_markdown_safe(svg)
    root = parse(svg)
    assert root.findtext(NS + "title") == shown(title)
    assert root.findtext(NS + "desc") == shown(description)
    assert_geometry(root, nodes, edges)
    lines = node_lines(root)
    for node in nodes:
        expected = shown(node.label)
        # No character is lost or added; only where a word too long for the box
        # had to be cut does joining the lines with spaces differ from the label.
        assert "".join("".join(lines[node.id]).split()) == "".join(expected.split())
        assert all(line == line.strip() and line for line in lines[node.id])
        room = boxes(root)[node.id].w - 2 * NODE_PAD_X
        if all(text_width(w, NODE_FONT_SIZE) <= room for w in expected.split()):
            assert " ".join(lines[node.id]) == expected
    shown_labels = sorted(
        "".join("".join(t.text or "" for t in text.iter(NS + "tspan")).split())
        for text in edge_labels(root)
    )
    expected_labels = sorted(
        "".join(shown(e.label).split()) for e in edges if e.label and shown(e.label)
    )
    assert shown_labels == expected_labels


def test_a_long_word_gets_a_full_width_box_instead_of_being_cut() -> None:
    nodes = [
        FlowNode("a", "Start"),
        FlowNode("b", "Improved entrepreneurship skills"),
        FlowNode("c", "Short"),
    ]
    edges = [FlowEdge("a", "b"), FlowEdge("a", "c")]
    svg = render_flow_svg(nodes, edges, title="t", description="d", svg_id="long")
    root = ET.fromstring(svg)
    lines = ["".join(t.itertext()) for t in root.iter(NS + "tspan")]
    assert "entrepreneurship" in " ".join(lines).split()  # the word is whole on one line

"""A small DOM of an HTML page (stdlib ``html.parser``), to check the report's content by
its structure: sections by heading, tables as rows of cell texts, SVG marks by class."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from html.parser import HTMLParser

VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)


@dataclass
class Node:
    """An element: its tag, attributes and children (elements and text)."""

    tag: str
    attrs: dict[str, str] = field(default_factory=dict)
    children: list[Node | str] = field(default_factory=list)

    def iter(self) -> Iterator[Node]:
        """This element and every element inside it, in document order."""
        yield self
        for child in self.children:
            if isinstance(child, Node):
                yield from child.iter()

    def all(self, tag: str, **attrs: str) -> list[Node]:
        """Every element inside with this tag (and these attribute values)."""
        return [
            n
            for n in self.iter()
            if n.tag == tag and all(n.attrs.get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def one(self, tag: str, **attrs: str) -> Node:
        """The one element inside with this tag (and attributes)."""
        found = self.all(tag, **attrs)
        assert len(found) == 1, f"{len(found)} <{tag} {attrs}>"
        return found[0]

    def text(self) -> str:
        """The text inside, whitespace collapsed."""
        parts: list[str] = []

        def walk(node: Node) -> None:
            for child in node.children:
                if isinstance(child, str):
                    parts.append(child)
                else:
                    walk(child)

        walk(self)
        return " ".join("".join(parts).split())


class _Builder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document")
        self.stack = [self.root]
        self.doctype = ""

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs})
        self.stack[-1].children.append(node)
        if tag not in VOID:
            self.stack.append(node)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.stack[-1].children.append(Node(tag, {k: v or "" for k, v in attrs}))

    def handle_endtag(self, tag: str) -> None:
        if tag in VOID:
            return
        assert self.stack[-1].tag == tag, f"</{tag}> closes <{self.stack[-1].tag}>"
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.stack[-1].children.append(data)


def parse(html: str) -> tuple[str, Node]:
    """(the doctype, the document) of ``html``; every element must be closed in order."""
    builder = _Builder()
    builder.feed(html)
    builder.close()
    assert builder.stack == [builder.root], "unclosed elements"
    return builder.doctype, builder.root


def section(doc: Node, heading: str) -> Node:
    """The <section> whose <h2> says ``heading`` (and is what labels it)."""
    for node in doc.all("section"):
        h2 = node.all("h2")
        if h2 and h2[0].text() == heading:
            assert node.attrs["aria-labelledby"] == h2[0].attrs["id"]
            return node
    raise AssertionError(f"no section {heading!r}")


def rows(table: Node, part: str = "tbody") -> list[list[str]]:
    """The cell texts of each row of a table's ``thead``, ``tbody`` or ``tfoot``."""
    return [
        [cell.text() for cell in row.children if isinstance(cell, Node)]
        for body in table.all(part)
        for row in body.all("tr")
    ]

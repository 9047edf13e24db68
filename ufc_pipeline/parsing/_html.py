"""Tiny shared helpers around :class:`parsel.Selector` (lxml, the engine Scrapy uses)."""

from __future__ import annotations

from parsel import Selector, SelectorList

from ufc_pipeline.parsing.units import normalize_ws


def to_text(html: str | bytes) -> str:
    """Decode page bytes as UTF-8 (both sites serve UTF-8); undecodable bytes are replaced."""
    if isinstance(html, bytes):
        return html.decode("utf-8", errors="replace")
    return html


def selector(html: str | bytes) -> Selector:
    return Selector(text=to_text(html))


def text_of(node: Selector | SelectorList[Selector] | None) -> str:
    """Whitespace-normalised string value of a node (all descendant text); '' when absent."""
    if node is None:
        return ""
    if isinstance(node, SelectorList):
        if not node:
            return ""
        node = node[0]
    return normalize_ws(node.xpath("string()").get())


def has_class(cls: str) -> str:
    """XPath predicate body: the element's class attribute contains the word ``cls``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"

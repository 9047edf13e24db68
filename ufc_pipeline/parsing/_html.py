"""The page trees the parsers read: lxml (the engine Scrapy uses) and lexbor (selectolax)."""

from __future__ import annotations

from typing import Any

from lxml import etree
from selectolax.lexbor import LexborHTMLParser, LexborNode

from ufc_pipeline.parsing.units import normalize_ws


def to_text(html: str | bytes) -> str:
    """Decode page bytes as UTF-8 (both sites serve UTF-8); undecodable bytes are replaced."""
    if isinstance(html, bytes):
        return html.decode("utf-8", errors="replace")
    return html


def has_class(cls: str) -> str:
    """XPath predicate body: the element's class attribute contains the word ``cls``."""
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {cls} ')"


# huge_tree: long real pages (a career of 100+ fights, inline scripts) must not be cut short
_HTML_PARSER = etree.HTMLParser(recover=True, encoding="utf-8", huge_tree=True)


# the ASCII characters ``str.strip`` removes
_ASCII_SPACE = b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f"


def page_bytes(html: str | bytes) -> bytes:
    """``to_text(html).strip().replace("\\x00", "").encode("utf-8")``, the bytes the tree is
    built from. Page bytes that are valid UTF-8, end in ASCII and hold no NUL are those
    bytes already (stripped): they are not decoded and encoded again."""
    if isinstance(html, bytes):
        body = html.strip(_ASCII_SPACE)
        if b"\x00" not in body and (not body or (body[0] < 0x80 and body[-1] < 0x80)):
            if body.isascii():
                return body
            try:
                body.decode("utf-8")  # strict: the slow path replaces what is invalid
            except UnicodeDecodeError:
                pass
            else:
                return body
    return to_text(html).strip().replace("\x00", "").encode("utf-8")


def html_root(html: str | bytes) -> Any:
    """The page as one lxml tree, built as parsel builds it (stripped, NULs removed,
    recovering); never None."""
    body = page_bytes(html)
    root = etree.fromstring(body, parser=_HTML_PARSER) if body else None
    if root is None:
        root = etree.fromstring(b"<html/>", parser=_HTML_PARSER)
    return root


def lexbor_tree(html: str | bytes) -> LexborHTMLParser:
    """The page as one lexbor (HTML5) tree, from the same bytes as :func:`html_root`
    (stripped, NULs removed, invalid UTF-8 replaced): a parse in C about a third cheaper
    than libxml2's, read with CSS selectors matched in C. Used for the pages read thousands
    of times a run."""
    return LexborHTMLParser(page_bytes(html))


def lexbor_text(node: LexborNode | None) -> str:
    """Whitespace-normalised string value of a lexbor node (all descendant text, comments
    left out); '' when absent."""
    return normalize_ws(node.text()) if node is not None else ""


def lexbor_classes(node: LexborNode) -> list[str]:
    """The words of a lexbor node's class attribute."""
    return (node.attributes.get("class") or "").split()


def lexbor_children(node: LexborNode, tag: str) -> list[LexborNode]:
    """The ``tag`` children of a lexbor node (``./tag``; ``iter()`` also yields comments)."""
    return [child for child in node.iter() if child.tag == tag]

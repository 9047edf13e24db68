"""Real Sherdog pages as render templates: found with lxml, cut once at import.

A template (``templates/sherdog/``, provenance in its ``SOURCES.md``) is a real page kept
byte for byte. At import it is parsed once with lxml, every start tag carrying its offset in
the page's text (an attribute added to a copy of the text before parsing), so a node found
with the parsers' selectors maps back to the exact characters of the real page. The text is
then cut at those nodes into literal fragments and named holes (:class:`Cut`): rendering a
page joins precomputed strings with the values of its holes, never walks a tree.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Mapping
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "sherdog"
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
_MARK = "data-sherdog-offset"
Span = tuple[int, int]


class TemplateError(ValueError):
    """A template lacks a node the renderer needs (names the file and the selector)."""


def read_template(name: str) -> str:
    """The text of ``templates/sherdog/<name>`` (UTF-8, line ends kept as they are)."""
    with (TEMPLATE_DIR / name).open(encoding="utf-8", newline="") as fh:
        return fh.read()


def e(value: object) -> str:
    """Escape text content (``None`` -> empty); quotes stay literal."""
    return "" if value is None else html.escape(str(value), quote=False)


def ea(value: object) -> str:
    """Escape an attribute value (quotes too)."""
    return "" if value is None else html.escape(str(value), quote=True)


class _Tags(HTMLParser):
    """Start and end tags of a text with exact offsets; script and style bodies skipped."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=False)
        self.text = text
        self.lines = [0]
        self.lines.extend(i + 1 for i, ch in enumerate(text) if ch == "\n")
        self.starts: list[tuple[int, int, str]] = []  # (offset of "<", offset after ">", tag)
        self.ends: dict[int, int] = {}  # start index -> offset after its end tag
        self._open: dict[str, list[int]] = {}
        self.feed(text)
        self.close()

    def _at(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self._at()
        raw = self.get_starttag_text() or ""
        self.starts.append((at, at + len(raw), tag))
        if tag not in VOID:
            self._open.setdefault(tag, []).append(len(self.starts) - 1)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        at = self._at()
        raw = self.get_starttag_text() or ""
        self.starts.append((at, at + len(raw), tag))
        self.ends[len(self.starts) - 1] = at + len(raw)

    def handle_endtag(self, tag: str) -> None:
        at = self._at()
        stack = self._open.get(tag)
        if stack:
            self.ends[stack.pop()] = self.text.index(">", at) + 1


class Page:
    """A real page: its text, lxml's tree of it and the text span of every element."""

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        tags = _Tags(text)
        self._starts = tags.starts
        self._ends = tags.ends
        marked: list[str] = []
        at = 0
        for i, (lo, _hi, tag) in enumerate(tags.starts):
            cut = lo + 1 + len(tag)
            marked.append(text[at:cut])
            marked.append(f' {_MARK}="{i}"')
            at = cut
        marked.append(text[at:])
        self.root: HtmlElement = lxml.html.document_fromstring("".join(marked))

    # -- selection -------------------------------------------------------------------------
    def css(self, selector: str, within: HtmlElement | None = None) -> list[HtmlElement]:
        """Elements matching a CSS selector (under ``within`` and not it, or in the page)."""
        if within is None:
            return list(CSSSelector(selector)(self.root))
        return [el for el in CSSSelector(selector)(within) if el is not within]

    def one(self, selector: str, within: HtmlElement | None = None, nth: int = 0) -> HtmlElement:
        """The ``nth`` match of ``selector``; :class:`TemplateError` when there is none."""
        found = self.css(selector, within)
        if len(found) <= nth:
            raise TemplateError(
                f"template {self.name}: {selector!r} matched {len(found)} nodes, "
                f"node {nth + 1} needed"
            )
        return found[nth]

    def has(self, selector: str, within: HtmlElement | None = None) -> bool:
        """True when ``selector`` matches."""
        return bool(self.css(selector, within))

    # -- offsets ---------------------------------------------------------------------------
    def _index(self, el: HtmlElement) -> int:
        mark = el.get(_MARK)
        if mark is None:
            raise TemplateError(
                f"template {self.name}: <{el.tag}> has no start tag in the text "
                "(implied by the parser?)"
            )
        return int(mark)

    def outer(self, el: HtmlElement) -> Span:
        """From the ``<`` of the start tag to after the ``>`` of the matching end tag."""
        i = self._index(el)
        lo, hi, tag = self._starts[i]
        if tag in VOID:
            return lo, hi
        end = self._ends.get(i)
        if end is None:
            raise TemplateError(f"template {self.name}: <{tag}> at {lo} is never closed")
        return lo, end

    def inner(self, el: HtmlElement) -> Span:
        """Between the start tag and the end tag."""
        i = self._index(el)
        lo, end = self.outer(el)
        _, hi, tag = self._starts[i]
        if tag in VOID:
            return hi, hi
        return hi, self.text.rindex("<", lo, end)

    def attr(self, el: HtmlElement, name: str) -> Span:
        """The value of attribute ``name`` (quoted with ``"`` or ``'``) in the start tag."""
        lo, hi, tag = self._starts[self._index(el)]
        raw = self.text[lo:hi]
        for quote in ('"', "'"):
            key = f"{name}={quote}"
            at = raw.find(key)
            while at > 0 and not raw[at - 1].isspace():
                at = raw.find(key, at + 1)
            if at > 0:
                start = lo + at + len(key)
                return start, self.text.index(quote, start)
        raise TemplateError(f"template {self.name}: <{tag}> at {lo} has no quoted {name}=")

    def find(self, literal: str, span: Span, nth: int = 0) -> Span:
        """The ``nth`` occurrence of ``literal`` inside ``span``."""
        lo, hi = span
        at = lo - 1
        for _ in range(nth + 1):
            at = self.text.find(literal, at + 1, hi)
            if at < 0:
                raise TemplateError(
                    f"template {self.name}: {literal!r} not found (occurrence {nth + 1}) "
                    f"at {lo}-{hi}"
                )
        return at, at + len(literal)

    def slice(self, span: Span) -> str:
        """The text of ``span``."""
        return self.text[span[0] : span[1]]

    def between(self, a: HtmlElement, b: HtmlElement) -> str:
        """The text from the end of ``a`` to the start of ``b``."""
        return self.text[self.outer(a)[1] : self.outer(b)[0]]

    def check(self, el: HtmlElement) -> None:
        """The text span of ``el`` holds what lxml read for it (same visible text)."""
        alone = lxml.html.fragment_fromstring(self.slice(self.outer(el)), create_parent="div")
        got, want = alone.text_content().split(), el.text_content().split()
        if got != want:
            raise TemplateError(
                f"template {self.name}: <{el.tag}> at {self.outer(el)[0]} spans text that "
                f"does not read as the node ({' '.join(got)[:60]!r} vs {' '.join(want)[:60]!r})"
            )


class Cut:
    """A stretch of real text with named holes; ``fill`` joins fragments and values."""

    __slots__ = ("consts", "head", "keys", "pairs", "text")

    def __init__(self, text: str, span: Span, holes: Iterable[tuple[Span, str]], name: str):
        lo, hi = span
        consts: list[str] = []
        keys: list[str] = []
        at = lo
        for (start, end), key in sorted(holes, key=lambda h: h[0]):
            if not lo <= at <= start <= end <= hi:
                raise TemplateError(
                    f"template {name}: hole {key!r} at {start}-{end} overlaps another hole or "
                    f"lies outside {lo}-{hi}"
                )
            if key in keys:
                raise TemplateError(f"template {name}: hole {key!r} twice")
            consts.append(text[at:start])
            keys.append(key)
            at = end
        consts.append(text[at:hi])
        self._set(tuple(consts), tuple(keys), text[lo:hi])

    def _set(self, consts: tuple[str, ...], keys: tuple[str, ...], text: str) -> None:
        self.consts = consts
        self.keys = keys
        self.text = text
        self.head = consts[0]
        self.pairs = tuple(zip(keys, consts[1:], strict=True))

    @classmethod
    def of(cls, page: Page, span: Span, holes: Iterable[tuple[Span, str]]) -> Cut:
        """A cut of ``page``'s text."""
        return cls(page.text, span, holes, page.name)

    def fill(self, values: Mapping[str, str]) -> str:
        """The stretch with each hole replaced by ``values[key]`` (one join, no parsing)."""
        out = [self.head]
        for key, const in self.pairs:
            out.append(values[key])
            out.append(const)
        return "".join(out)

    def replace(self, old: str, new: str) -> Cut:
        """A copy whose literal fragments have ``old`` replaced by ``new`` (a cloned part)."""
        copy = object.__new__(Cut)
        consts = tuple(c.replace(old, new) for c in self.consts)
        copy._set(consts, self.keys, self.text.replace(old, new))
        return copy


def ancestor(el: HtmlElement, tag: str) -> HtmlElement:
    """The nearest ``<tag>`` above ``el``."""
    node = el.getparent()
    while node is not None and node.tag != tag:
        node = node.getparent()
    if node is None:
        raise TemplateError(f"<{el.tag}> has no <{tag}> ancestor")
    return node


def joiner(page: Page, items: list[HtmlElement], default: str = "\n") -> str:
    """The real text between two consecutive ``items`` (``default`` for a single one)."""
    if len(items) < 2:
        return default
    text = page.between(items[0], items[1])
    if text.strip():
        raise TemplateError(f"template {page.name}: non-blank text between repeated nodes")
    return text


def leaks(cut: Cut, words: Iterable[str]) -> list[str]:
    """The ``words`` still present in the literal fragments of ``cut`` (should be none)."""
    return [w for w in words if any(w in c for c in cut.consts)]

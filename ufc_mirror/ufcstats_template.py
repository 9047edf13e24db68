"""Real UFCStats pages as render templates, cut once at import.

A template file (``templates/ufcstats/``, provenance in its ``SOURCES.md``) is parsed with
lxml; the data-bearing nodes are found with the selectors of SELECTORS.md; the page's own
text is then cut at those nodes into literal fragments and named holes. Rendering fills
the holes with ``str.format_map`` over the precomputed fragments, so every byte between
two holes (chrome, scripts, comments, whitespace) is the real page's own and a page costs
one string format per row, not a tree walk.

Offsets come from :class:`html.parser.HTMLParser` (exact positions of every start and end
tag); an lxml element is tied to its start tag by source line, tag, attributes and order.
"""

from __future__ import annotations

import functools
import html
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path

import lxml.html
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement

TEMPLATE_DIR = Path(__file__).resolve().parent / "templates" / "ufcstats"
VOID = frozenset(
    {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
)
Span = tuple[int, int]


class TemplateError(ValueError):
    """A template lacks a node the renderer needs (names the file and the selector)."""


def read_template(name: str) -> str:
    """The text of ``templates/ufcstats/<name>`` (UTF-8, newlines kept as they are)."""
    with (TEMPLATE_DIR / name).open(encoding="utf-8", newline="") as fh:
        return fh.read()


@functools.cache
def template_page(name: str) -> Page:
    """``templates/ufcstats/<name>`` read and parsed (once per process)."""
    return Page(read_template(name), name)


def esc(value: object) -> str:
    """Text content escaped as the real site writes it (``None`` -> ''; quotes literal)."""
    if value is None:
        return ""
    text = str(value)
    if "&" in text or "<" in text or ">" in text:
        return html.escape(text, quote=False)
    return text


@dataclass(frozen=True, slots=True)
class _Tag:
    start: int  # offset of "<"
    end: int  # offset after ">"
    tag: str
    closing: bool


class _Tokens(HTMLParser):
    """Every start and end tag of a text, with exact offsets."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.text = text
        self.lines = [0]
        for i, ch in enumerate(text):
            if ch == "\n":
                self.lines.append(i + 1)
        self.tags: list[_Tag] = []
        self.starts: dict[tuple[str, tuple[tuple[str, str], ...]], list[tuple[int, int, int]]] = {}
        self.feed(text)
        self.close()

    def _offset(self) -> int:
        line, col = self.getpos()
        return self.lines[line - 1] + col

    def _start(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        raw = self.get_starttag_text() or ""
        at = self._offset()
        line = self.getpos()[0]
        key = (tag, tuple(sorted((k, v or "") for k, v in attrs)))
        last = line + raw.count("\n")
        self.starts.setdefault(key, []).append((line, last, len(self.tags)))
        self.tags.append(_Tag(at, at + len(raw), tag, False))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs)

    def handle_endtag(self, tag: str) -> None:
        at = self._offset()
        end = self.text.index(">", at) + 1
        self.tags.append(_Tag(at, end, tag, True))


class Page:
    """A real page: its text, lxml's tree of it and the text span of every element."""

    def __init__(self, text: str, name: str) -> None:
        self.text = text
        self.name = name
        self.root: HtmlElement = lxml.html.document_fromstring(text)
        self._tokens = _Tokens(text)
        self._index: dict[HtmlElement, int] = {}
        used: dict[tuple[str, tuple[tuple[str, str], ...]], int] = {}
        for el in self.root.iter():
            if not isinstance(el.tag, str) or el.sourceline is None:
                continue
            key = (el.tag, tuple(sorted(el.attrib.items())))
            tokens = self._tokens.starts.get(key, [])
            for k in range(used.get(key, 0), len(tokens)):
                first, last, index = tokens[k]
                if first <= el.sourceline <= last:  # lxml: a line of the start tag
                    self._index[el] = index
                    used[key] = k + 1
                    break
                if first > el.sourceline:
                    break  # an element the parser implied: no start tag of its own

    # -- selection -------------------------------------------------------------------------
    def css(self, selector: str, within: HtmlElement | None = None) -> list[HtmlElement]:
        """Elements matching a CSS selector (under ``within``, or the whole page)."""
        return CSSSelector(selector)(self.root if within is None else within)

    def one(self, selector: str, within: HtmlElement | None = None, nth: int = 0) -> HtmlElement:
        """The ``nth`` match of ``selector``; :class:`TemplateError` when there is none."""
        found = self.css(selector, within)
        if len(found) <= nth:
            raise TemplateError(
                f"template {self.name}: {selector!r} matched {len(found)} nodes, "
                f"node {nth + 1} needed"
            )
        return found[nth]

    # -- offsets ---------------------------------------------------------------------------
    def _open(self, el: HtmlElement) -> int:
        try:
            return self._index[el]
        except KeyError:
            raise TemplateError(
                f"template {self.name}: <{el.tag}> of line {el.sourceline} has no start tag "
                "in the text (implied by the parser?)"
            ) from None

    def _close(self, el: HtmlElement) -> _Tag:
        """The end tag matching ``el``'s start tag (its start tag for a void element)."""
        i = self._open(el)
        tags = self._tokens.tags
        if el.tag in VOID:
            return tags[i]
        depth = 0
        for t in tags[i:]:
            if t.tag != el.tag:
                continue
            depth += -1 if t.closing else 1
            if depth == 0:
                return t
        raise TemplateError(f"template {self.name}: <{el.tag}> of line {el.sourceline} unclosed")

    def outer(self, el: HtmlElement) -> Span:
        """From the ``<`` of the start tag to after the ``>`` of the matching end tag."""
        return self._tokens.tags[self._open(el)].start, self._close(el).end

    def inner(self, el: HtmlElement) -> Span:
        """Between the start tag and the end tag."""
        return self._tokens.tags[self._open(el)].end, self._close(el).start

    def attr(self, el: HtmlElement, name: str, part: str | None = None) -> Span:
        """The value of attribute ``name`` (or of the substring ``part`` of it)."""
        tag = self._tokens.tags[self._open(el)]
        raw = self.text[tag.start : tag.end]
        for quote in ('"', "'"):
            key = f"{name}={quote}"
            at = raw.find(key)
            if at >= 0 and (at == 0 or raw[at - 1].isspace()):
                lo = tag.start + at + len(key)
                hi = self.text.index(quote, lo)
                if part is None:
                    return lo, hi
                sub = self.text.find(part, lo, hi)
                if sub < 0:
                    break
                return sub, sub + len(part)
        raise TemplateError(
            f"template {self.name}: <{el.tag}> of line {el.sourceline} has no {name}="
            + (f" holding {part!r}" if part else "")
        )

    def strip(self, span: Span) -> Span:
        """``span`` without its leading and trailing whitespace.

        An all-blank span gives the empty span just before its last line break, which is
        where the real pages put a value between the opening and closing indentation.
        """
        lo, hi = span
        chunk = self.text[lo:hi]
        if not chunk.strip():
            cut = chunk.rfind("\n")
            at = lo + (cut if cut >= 0 else len(chunk))
            return at, at
        left = len(chunk) - len(chunk.lstrip())
        right = len(chunk.rstrip())
        return lo + left, lo + right

    def text_of(self, el: HtmlElement) -> Span:
        """The stripped content of ``el`` (text and any child markup)."""
        return self.strip(self.inner(el))

    def tail_of(self, el: HtmlElement) -> Span:
        """The stripped text after ``el`` up to its next sibling or its parent's end tag."""
        end = self.outer(el)[1]
        nxt = el.getnext()
        while nxt is not None and not isinstance(nxt.tag, str):
            nxt = nxt.getnext()
        if nxt is not None:
            stop = self.outer(nxt)[0]
        else:
            parent = el.getparent()
            assert parent is not None
            stop = self.inner(parent)[1]
        return self.strip((end, stop))

    def lead_of(self, el: HtmlElement) -> Span:
        """The stripped text of ``el`` before its first child element."""
        lo, hi = self.inner(el)
        kids = [c for c in el if isinstance(c.tag, str)]
        if kids:
            hi = self.outer(kids[0])[0]
        return self.strip((lo, hi))

    def between(self, a: HtmlElement, b: HtmlElement) -> str:
        """The text between the end of ``a`` and the start of ``b``."""
        return self.text[self.outer(a)[1] : self.outer(b)[0]]


class Template:
    """A stretch of a real page with named holes; ``render`` is one ``format_map``."""

    __slots__ = ("fmt", "keys", "literal")

    def __init__(self, page: Page, span: Span, holes: Iterable[tuple[Span, str]]) -> None:
        holes = list(holes)
        lo, hi = span
        parts: list[str] = []
        keys: list[str] = []
        at = lo
        for (start, end), key in sorted(holes, key=lambda h: h[0]):
            if not lo <= at <= start <= end <= hi:
                raise TemplateError(
                    f"template {page.name}: hole {key!r} at {start}-{end} overlaps or lies "
                    f"outside {lo}-{hi}"
                )
            parts.append(_brace(page.text[at:start]))
            parts.append("{" + key + "}")
            keys.append(key)
            at = end
        parts.append(_brace(page.text[at:hi]))
        self.fmt = "".join(parts)
        self.keys = tuple(keys)
        self.literal = page.text[lo:hi] if not keys else ""
        own: dict[str, set[str]] = {}
        for (start, end), key in holes:
            own.setdefault(key, set()).add(page.text[start:end])
        if all(len(v) == 1 for v in own.values()):  # the holes' own text gives the page back
            values = {k: next(iter(v)) for k, v in own.items()}
            if self.render(values) != page.text[lo:hi]:
                raise TemplateError(f"template {page.name}: {lo}-{hi} does not cut losslessly")

    def render(self, values: Mapping[str, str]) -> str:
        """The stretch with every hole filled from ``values``."""
        return self.fmt.format_map(values) if self.keys else self.literal


def _brace(text: str) -> str:
    return text.replace("{", "{{").replace("}", "}}")


@dataclass(frozen=True, slots=True)
class Rows:
    """How a list of real rows sits in its container: (before, between, after).

    ``before`` is the container's text up to the first row, ``between`` the text that
    separates two rows, ``after`` what follows the last row; ``join`` puts rendered rows
    in their place. Blank runs that repeat ``between`` right after the last row are what a
    trimmed page keeps of its removed rows; they are dropped from ``after``.
    """

    before: str
    between: str
    after: str

    @classmethod
    def of(
        cls, page: Page, items: list[HtmlElement], span: Span | None = None, between: str = ""
    ) -> Rows:
        """The rows ``items`` inside ``span`` (default: their parent's content)."""
        if span is None:
            parent = items[0].getparent()
            assert parent is not None
            span = page.inner(parent)
        lo, hi = span
        before = page.text[lo : page.outer(items[0])[0]]
        if len(items) > 1:
            between = page.between(items[0], items[1])
        after = page.text[page.outer(items[-1])[1] : hi]
        if between and not between.strip():
            while after.startswith(between) and len(after) > len(between):
                after = after[len(between) :]
        return cls(before, between, after)

    def join(self, rendered: Iterable[str]) -> str:
        """``before`` + the rows separated by ``between`` + ``after``."""
        return self.before + self.between.join(rendered) + self.after


@dataclass(frozen=True, slots=True)
class Loop:
    """Rows as a real page's template loop writes them: ``start`` once, then per row
    ``lead`` + row + ``after`` (``start`` alone when there is no row).

    The real fighter page writes its completed bouts so: the text between two rows is
    ``after + lead``, and with no bout at all the table body ends with ``start``.
    """

    start: str
    lead: str
    after: str

    @classmethod
    def of(cls, page: Page, items: list[HtmlElement], end: int) -> Loop:
        """The loop of the rows ``items`` (two at least), which end at offset ``end``.

        ``start`` is what stands between the element before the first row and the first
        row, without the row's ``lead``.
        """
        if len(items) < 2:
            raise TemplateError(f"template {page.name}: a loop needs two rows to be cut")
        after = page.text[page.outer(items[-1])[1] : end]
        between = page.between(items[0], items[1])
        prev = items[0].getprevious()
        while prev is not None and not isinstance(prev.tag, str):
            prev = prev.getprevious()
        gap = page.between(prev, items[0]) if prev is not None else ""
        lead = between[len(after) :]
        if not between.startswith(after) or not gap.endswith(lead):
            raise TemplateError(f"template {page.name}: rows are not one loop")
        return cls(gap[: len(gap) - len(lead)], lead, after)

    def join(self, rendered: Iterable[str]) -> str:
        """``start`` + each row between ``lead`` and ``after``."""
        rows = list(rendered)
        if not rows:
            return self.start
        return self.start + self.lead + (self.after + self.lead).join(rows) + self.after

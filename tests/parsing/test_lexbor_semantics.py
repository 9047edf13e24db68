"""What the lexbor-based parsers rely on in selectolax, held here so that a new selectolax
that changes it fails these tests rather than the parsers' output: the parsers' records
were checked equal to those of the lxml code they replaced under exactly these rules."""

from __future__ import annotations

from ufc_pipeline.parsing._html import lexbor_tree
from ufc_pipeline.parsing.sherdog import _ldown, _linside, _lrows
from ufc_pipeline.parsing.ufcstats import _SEL_ROWS

NESTED = (
    b'<div class="a" id="outer"><p>x</p><div class="a" id="inner">'
    b'<span class="a" id="leaf">y</span></div></div>'
)


def test_css_on_a_node_includes_the_node_itself() -> None:
    outer = lexbor_tree(NESTED).css_first("#outer")
    assert outer is not None
    assert [n.attributes["id"] for n in outer.css(".a")] == ["outer", "inner", "leaf"]
    found = _ldown([outer], "div.a")  # at or under
    assert found is not None and found.attributes["id"] == "outer"
    inside = _linside([outer], "div.a")  # strictly under
    assert inside is not None and inside.attributes["id"] == "inner"


def test_a_selector_list_answers_in_document_order() -> None:
    page = lexbor_tree(
        b"<table>"
        b'<tr class="b-fight-details__table-row_type_first"><td>1</td></tr>'
        b'<tr class="b-fight-details__table-row__hover"><td>2</td></tr>'
        b'<tr class="b-fight-details__table-row_type_first"><td>3</td></tr>'
        b"</table><h2>t</h2><table><tr><td>4</td></tr></table>"
    )
    assert [tr.text() for tr in page.css(_SEL_ROWS)] == ["1", "2", "3"]
    assert [el.tag for el in page.css("table, h2")] == ["table", "h2", "table"]


def test_text_leaves_comments_out_and_children_are_filtered_by_tag() -> None:
    """``iter()`` gives the element and comment children (never text): every parser that
    walks children keeps those of one tag."""
    li = lexbor_tree(b"<ul><li>own<!-- note -->x<i>T</i> y</li></ul>").css_first("li")
    assert li is not None
    assert li.text() == "ownxT y"
    assert li.text(deep=False, separator="|") == "own|x| y"  # the li's own text nodes
    assert [child.tag for child in li.iter()] == ["-comment", "i"]


def test_table_rows_come_through_the_implied_tbody() -> None:
    """HTML5 puts a table's bare rows in a tbody (libxml2 does not): rows are read from
    either."""
    table = lexbor_tree(b"<table><tr><td>1</td></tr><tr><td>2</td></tr></table>").css_first("table")
    assert table is not None
    assert [child.tag for child in table.iter()] == ["tbody"]
    assert [tr.text() for tr in _lrows(table)] == ["1", "2"]

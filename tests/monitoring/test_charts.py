"""The SVG charts: well-formed, scaled to the largest value, labels escaped."""

from __future__ import annotations

from xml.etree import ElementTree

from hypothesis import given
from hypothesis import strategies as st

from payung.monitoring import charts, indicators


@given(st.lists(st.integers(0, 10**7), min_size=1, max_size=12))
def test_a_trend_is_well_formed_svg_whatever_the_values(values):
    svg = charts.trend(
        [f"B{i}" for i in range(len(values))], [("Orang <&>", "people", values)], title="T & U"
    )
    root = ElementTree.fromstring(svg)
    (line,) = root.findall("{http://www.w3.org/2000/svg}polyline")
    ys = [float(p.split(",")[1]) for p in line.get("points").split()]
    assert all(charts.TOP - 0.1 <= y <= charts.HEIGHT - charts.BOTTOM + 0.1 for y in ys)


def test_bars_show_each_share():
    svg = charts.bars([("DLHK", 448, 450), ("SD Inpres <1>", 0, 13)], title="Kesenjangan")
    assert "100 %" in svg and "0 %" in svg and "&lt;1&gt;" in svg


def test_the_score_is_the_weighted_mean_of_what_could_be_measured():
    chosen = indicators.indicator_set()
    facts = {
        "regulation": True,
        "budget": None,
        "agreement": True,
        "programs": ["JKK", "JKM"],
        "groups": {"non_asn": {"people": 10, "covered": 5}},
        "year_billed": 0,
        "year_paid": 0,
    }
    values = {i.key: indicators.value(i, facts) for i in chosen}
    assert values["budget"] is None and values["rentan"] is None and values["programs"] == 0.5
    measured = [i for i in chosen if values[i.key] is not None]
    expected = 100 * sum(i.weight * values[i.key] for i in measured) / sum(i.weight for i in measured)
    assert indicators.score(values, chosen) == round(expected, 1)
    assert indicators.rank({"a": 50.0, "b": 70.0, "c": 50.0, "d": None}) == {
        "a": 2,
        "b": 1,
        "c": 2,
        "d": None,
    }


def test_a_trend_breaks_where_a_month_is_unknown():
    svg = charts.trend(["a", "b", "c", "d", "e"], [("Dibayar", "paid", [None, None, 5, 7, 0])], title="T")
    root = ElementTree.fromstring(svg)
    (line,) = root.findall("{http://www.w3.org/2000/svg}polyline")
    assert len(line.get("points").split()) == 3  # the two unknown months are not drawn as 0
    gapped = charts.trend(["a", "b", "c"], [("Dibayar", "paid", [4, None, 6])], title="T")
    assert len(ElementTree.fromstring(gapped).findall("{http://www.w3.org/2000/svg}polyline")) == 2

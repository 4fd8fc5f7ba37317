"""Selection.explain (issue 10 item 7): one agent's list with scores in parts,
the rule that removed each other candidate, why each preferred candidate went
elsewhere; the same text and JSON as `techmatch explain`."""
import json
import subprocess

import pytest

import techmatch as tm
from conftest import CLI, SEED

SITES = """序号,名称,类型,行业,卫生服务站,需求,最低职称,服务年限,名额,横坐标,纵坐标,地址,意向特派员
1,顶点科技,高新技术企业,电子信息,,关键技术研发,中级,1,1,1,0,,丙；甲
2,中坚电子,高新技术企业,电子信息,,关键技术研发,中级,1,1,2,0,,
3,食品厂,高新技术企业,食品加工,,关键技术研发,中级,1,1,0,0,,
4,长期项目公司,高新技术企业,电子信息,,关键技术研发,中级,3,1,0,0,,
5,其他单位,其他,电子信息,,关键技术研发,中级,1,1,0,0,,
6,空位软件,高新技术企业,电子信息,,关键技术研发,中级,1,1,15,0,,
"""
COMMISSIONERS = """序号,姓名,职称,派出单位,单位类型,单位支持,团队人数,专长,技能,服务年限,服务点数,横坐标,纵坐标,地址,评分,意向派驻点
1,甲,教授,郑州大学,高校,是,1,电子信息:3,关键技术研发,2,1,0,0,,90,顶点科技；中坚电子
2,丙,教授,郑州大学,高校,是,1,电子信息:2,关键技术研发,2,1,0,0,,60,顶点科技
"""


@pytest.fixture
def hand(tmp_path):
    (tmp_path / "sites.csv").write_text(SITES, encoding="utf-8")
    (tmp_path / "commissioners.csv").write_text(COMMISSIONERS, encoding="utf-8")
    return tmp_path


def cli(*args):
    r = subprocess.run([str(CLI), "explain", "--lang", "en", *map(str, args)],
                       capture_output=True)
    return r.returncode, r.stdout.decode("utf-8"), r.stderr.decode("utf-8")


def test_rows_known_by_hand(hand):
    sel = tm.Programme.from_forms(hand).select()
    e = sel.explain("甲")
    assert (e.side, e.name, e.outcome, e.partners) == ("commissioner", "甲", "matched", ["中坚电子"])
    df = e.candidates.set_index("name")
    assert list(e.candidates["name"][:3]) == ["顶点科技", "中坚电子", "空位软件"]
    top = df.loc["顶点科技"]
    assert (top.status, top["rank"], top.their_rank, top.partner) == ("listed", 1, 2, False)
    assert top.why == "holds_preferred" and top.holders == ["丙"] and top.holder_ranks == [1]
    assert top.why_text == "顶点科技 holds 丙 (its #1), whom it prefers to 甲 (its #2)"
    assert df.loc["中坚电子"].partner and df.loc["中坚电子"].why is None
    assert (df.loc["食品厂"].status, df.loc["食品厂"].rule) == ("rule", "P_SECTOR")
    assert df.loc["食品厂"].pair_rules == ["P_SECTOR"] and df.loc["食品厂"].fault
    assert (df.loc["长期项目公司"].status, df.loc["长期项目公司"].rule) == ("rule", "P_YEARS")
    other = df.loc["其他单位"]
    assert (other.status, other.rule, other.refused_by) == ("ineligible", "S_KIND", "site")
    assert df.loc["食品厂"]["rank"] is pd_na()
    # the scores are the library's, in parts that add up
    for name, row in df.iterrows():
        d = sel.programme.explain("甲", name)
        assert row.commissioner_score == d.commissioner_score
        assert row.site_score == d.site_score
        for comp in tm.SCORE_COMPONENTS:
            assert row[comp] == d.components[comp]
        for side in ("commissioner", "site"):
            parts = sum(row[f"{side}_{c}"] for c in tm.SCORE_COMPONENTS)
            assert parts == pytest.approx(row[f"{side}_score"], abs=1e-12)


def pd_na():
    import pandas as pd
    return pd.NA


def test_site_side_and_lookup(hand):
    sel = tm.Programme.from_forms(hand).select()
    spare = sel.explain("空位软件")
    assert spare.side == "site" and spare.outcome == "outranked" and spare.partners == []
    jia = spare.candidates.set_index("name").loc["甲"]
    assert jia.why_text == "甲 holds 中坚电子 (its #2), whom it prefers to 空位软件 (its #3)"
    by_id = sel.explain(sel.programme.site_id("空位软件"), side="site")
    assert by_id.to_json() == spare.to_json()
    assert sel.explain(0, side="commissioner").name == "甲"
    with pytest.raises(tm.InvalidArgumentError, match="needs side"):
        sel.explain(0)
    with pytest.raises(tm.OutOfRangeError):
        sel.explain(9, side="site")
    with pytest.raises(tm.UnknownNameError, match="无名氏"):
        sel.explain("无名氏")
    with pytest.raises(tm.UnknownNameError, match='no site is called "甲"'):
        sel.explain("甲", side="site")
    with pytest.raises(tm.InvalidArgumentError):
        sel.explain("甲", side="both")
    d = spare.to_dict()
    assert d["name"] == "空位软件" and len(d["candidates"]) == 2
    assert repr(spare) == "<Explanation site '空位软件': outranked>"


def test_ambiguous_name(hand):
    (hand / "sites.csv").write_text(SITES + "7,丙,高新技术企业,食品加工,,关键技术研发,中级,1,1,0,0,,\n",
                                    encoding="utf-8")
    sel = tm.Programme.from_forms(hand).select()
    with pytest.raises(tm.InvalidArgumentError, match='"丙" is both a commissioner and a site'):
        sel.explain("丙")
    assert sel.explain("丙", side="commissioner").side == "commissioner"
    assert sel.explain("丙", side="site").side == "site"


def test_same_as_the_cli(hand):
    e = tm.Programme.from_forms(hand).select().explain("甲")
    code, out, err = cli(hand, "甲")
    assert code == 0, err
    assert out == e.to_text() == str(e)
    code, out, err = cli(hand, "甲", "--json")
    assert code == 0, err
    assert out == e.to_json()
    doc = json.loads(out)
    assert doc["agent"]["name"] == "甲" and len(doc["candidates"]) == 6


def test_seed():
    sel = tm.Programme.from_forms(SEED).select()
    p = sel.programme
    e = sel.explain("王建华")
    assert len(e.candidates) == p.n_sites
    assert e.merit_position is None or e.merit_position >= 1
    assert (e.candidates.status == "listed").sum() >= 1
    assert set(e.candidates.status) <= {"listed", "excluded", "ineligible", "rule", "not_named",
                                        "not_ranked"}
    s = sel.explain("金水文化创意产业园")
    assert s.side == "site" and len(s.candidates) == p.n_commissioners
    assert "金水文化创意产业园 — site (派驻点)" in s.to_text()
    code, out, _ = cli(SEED, "金水文化创意产业园", "--all")
    assert code == 0 and out == s.to_text(all=True)

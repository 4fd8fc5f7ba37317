"""The language of a programme's documents and the output options
(lang.h, output.h) from Python: the forms' headers decide what "auto" means,
Selection.write() takes lang and plain_csv, bad languages raise."""
import csv
import io
import pathlib

import pytest

import techmatch as tm

SEED = pathlib.Path(__file__).resolve().parents[3] / "seeds" / "jinshui-2011"
BOM = "\ufeff"
# the canonical English headers of the seed's Chinese ones (docs/forms.md)
ENGLISH = {"名称": "name", "类型": "kind", "行业": "sector", "卫生服务站": "clinic",
           "需求": "needs", "最低职称": "min_title", "服务年限": "years", "名额": "capacity",
           "横坐标": "x", "纵坐标": "y", "地址": "location", "意向特派员": "ranked",
           "任务类型": "tasks", "只接受所列意向": "consent", "姓名": "name", "职称": "title",
           "派出单位": "unit", "单位类型": "unit_kind", "单位支持": "unit_support",
           "团队人数": "team_size", "专长": "expertise", "技能": "skills",
           "服务点数": "capacity", "评分": "merit", "意向派驻点": "wishes", "序号": "no"}


@pytest.fixture(scope="module")
def programme():
    return tm.Programme.from_forms(SEED)


def test_language_from_the_headers(programme, tmp_path):
    assert programme.language == "zh"  # the seed's forms have Chinese headers
    # the same forms with English headers read as an English programme
    en = tmp_path / "en"
    en.mkdir()
    for name in ("sites.csv", "commissioners.csv"):
        lines = (SEED / name).read_text(encoding="utf-8").split("\n")
        lines[0] = ",".join(ENGLISH.get(h, h) for h in lines[0].split(","))
        (en / name).write_text("\n".join(lines), encoding="utf-8")
    english = tm.Programme.from_forms(en)
    assert english.language == "en"
    assert english.n_sites == programme.n_sites
    assert english.n_commissioners == programme.n_commissioners
    p = tm.Programme.from_forms(SEED)
    p.language = "en"
    assert p.language == "en"
    p.language = "zh_CN.UTF-8"
    assert p.language == "zh"
    with pytest.raises(tm.InvalidArgumentError):
        p.language = "auto"
    with pytest.raises(ValueError, match="unknown language 'fr'"):
        p.language = "fr"


def test_write_csv_bom_and_plain(programme, tmp_path):
    sel = programme.select()
    sel.write(tmp_path / "auto")
    text = (tmp_path / "auto" / "assignments.csv").read_text(encoding="utf-8")
    assert text.startswith(BOM)
    sel.write(tmp_path / "plain", plain_csv=True)
    plain = (tmp_path / "plain" / "assignments.csv").read_text(encoding="utf-8")
    assert not plain.startswith(BOM)
    assert plain == sel.assignments_csv()  # plain: exactly the machine CSV
    rows = list(csv.reader(io.StringIO(plain)))
    assert rows[0][:2] == ["commissioner", "site"]
    assert len(rows) - 1 == sel.matching.n_pairs
    # the same rows whatever the flavour (headers aside), the sector and the
    # site kind in words for people
    people = list(csv.reader(io.StringIO(text[len(BOM):])))
    assert [r[:2] + r[4:] for r in people[1:]] == [r[:2] + r[4:] for r in rows[1:]]


def test_write_bad_language(programme, tmp_path):
    sel = programme.select()
    with pytest.raises(ValueError, match="unknown language"):
        sel.write(tmp_path / "x", lang="klingon")
    assert not (tmp_path / "x").exists()
    with pytest.raises(TypeError):
        sel.write(tmp_path / "x", lang=2)

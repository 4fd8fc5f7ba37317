"""Results from Python equal the CLI's (`techmatch solve`) on the JSON
instances of tests/cli/data: the same document byte for byte (the same C
writer), and the same pairs read back through the Python objects."""
import json
import subprocess

import pytest

import techmatch as tm
from conftest import CLI, CLI_DATA

GOOD = [p for p in sorted(CLI_DATA.glob("*.json"))
        if not p.name.startswith(("bad_", "matching_")) and p.name != "tie.json"]


@pytest.mark.parametrize("path", GOOD, ids=lambda p: p.name)
@pytest.mark.parametrize("optimal", ["supply", "demand"])
def test_solve_equals_cli(path, optimal):
    m = tm.Market.from_json(path)
    cli = subprocess.run([str(CLI), "solve", str(path), "--optimal", optimal],
                         capture_output=True, text=True)
    if m.groups is not None and optimal == "demand":
        assert cli.returncode == 2
        with pytest.raises(tm.UnsupportedError):
            m.solve(optimal)
        return
    assert cli.returncode == 0, cli.stderr
    mt = m.solve(optimal)
    assert mt.to_json().rstrip("\n") == cli.stdout.rstrip("\n")
    doc = json.loads(cli.stdout)
    names = [[m.supply_names[s], m.demand_names[d]] for s, d in mt.pairs.tolist()]
    assert sorted(names) == sorted(doc["pairs"])
    assert mt.stable == doc["stable"]
    assert mt.stats.proposals == doc["stats"]["proposals"]


@pytest.mark.parametrize("path", sorted(CLI_DATA.glob("matching_*.json")), ids=lambda p: p.name)
def test_check_equals_cli(path):
    instance = CLI_DATA / ("tie.json" if "tie" in path.name else "good.json")
    cli = subprocess.run([str(CLI), "check", str(instance), str(path)], capture_output=True,
                         text=True)
    m = tm.Market.from_json(instance)
    if cli.returncode == 2:
        with pytest.raises(tm.Error) as e:
            tm.Matching.from_json(m, path)
        assert e.value.message in cli.stderr
        return
    mt = tm.Matching.from_json(m, path)
    pairs = json.loads(path.read_text(encoding="utf-8"))["pairs"]
    by_names = tm.Matching.from_pairs(m, [tuple(p) for p in pairs])
    assert by_names.pairs.tolist() == mt.pairs.tolist()
    v = mt.check()
    assert v.stable == (cli.returncode == 0)
    doc = json.loads(cli.stdout)
    got = [[m.supply_names[s], m.demand_names[d]] for s, d in v.blocking_pairs.tolist()]
    assert got == doc["blocking_pairs"]
    assert len(v.violations) == len(doc["violations"])

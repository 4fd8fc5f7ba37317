"""Every library error code becomes its exception class; checks made in
Python name the argument at fault."""
import re
import resource
import subprocess
import sys

import numpy as np
import pytest

import techmatch as tm
from techmatch import core
from conftest import CLI, CLI_DATA

EXPECTED = {
    "INVALID_ARGUMENT": tm.InvalidArgumentError, "OUT_OF_RANGE": tm.OutOfRangeError,
    "DUPLICATE": tm.DuplicateError, "NEGATIVE_CAPACITY": tm.NegativeCapacityError,
    "OVERFLOW": tm.SizeOverflowError, "NO_MEMORY": tm.NoMemoryError,
    "CANCELLED": tm.CancelledError, "PARSE": tm.ParseError, "IO": tm.FileError,
    "UNSUPPORTED": tm.UnsupportedError, "UNKNOWN_NAME": tm.UnknownNameError,
    "INFEASIBLE": tm.InfeasibleError, "NO_SUCH_MATCHING": tm.NoSuchMatching,
}


def test_hierarchy_built_from_code_names():
    code, seen = 1, {}
    while core.tm_error_code_name(code) is not None:
        seen[core.tm_error_code_name(code)] = tm.error_class(code)
        code += 1
    assert seen == EXPECTED
    for name, cls in EXPECTED.items():
        assert issubclass(cls, tm.Error) and cls.code_name == name
    assert issubclass(tm.InputError, ValueError)
    assert issubclass(tm.ParseError, tm.InputError)
    assert issubclass(tm.NoMemoryError, MemoryError)
    assert issubclass(tm.FileError, OSError)
    assert issubclass(tm.DtypeError, TypeError)
    assert not issubclass(tm.CancelledError, tm.InputError)


def a(*v):
    return np.array(v, dtype=np.int32)


def raw_market(s_ids=(0, 1, 1, 0, 0), s_cap=None):
    return core.tm_market_new_from_ranked_arrays(
        3, 2, None if s_cap is None else a(*s_cap), None, a(0, 2, 4, 5), a(*s_ids), None, 5,
        a(0, 3, 5), a(2, 0, 1, 0, 1), None, 5)


def test_c_errors_map_to_classes():
    with pytest.raises(tm.InvalidArgumentError) as e:
        core.tm_solve(None, None, None)
    assert e.value.code == 1 and e.value.code_name == "INVALID_ARGUMENT"
    with pytest.raises(tm.OutOfRangeError, match="demand agent 7"):
        raw_market(s_ids=(0, 7, 1, 0, 0))
    with pytest.raises(tm.DuplicateError):
        raw_market(s_ids=(0, 0, 1, 0, 0))
    with pytest.raises(tm.NegativeCapacityError):
        raw_market(s_cap=(1, -1, 1))
    c = tm.Cancel()
    c.trigger()
    m = tm.Market.from_lists({"a": ["x"]}, {"x": ["a"]})
    with pytest.raises(tm.CancelledError):
        m.solve(cancel=c)
    c.reset()
    assert m.solve(cancel=c).n_pairs == 1


@pytest.mark.parametrize("path", sorted(CLI_DATA.glob("bad_*.json")), ids=lambda p: p.name)
def test_json_errors_equal_the_cli(path):
    """Each bad instance raises the class of its code, with the CLI's message."""
    cli = subprocess.run([str(CLI), "solve", str(path)], capture_output=True, text=True)
    assert cli.returncode == 2
    with pytest.raises(tm.Error) as e:
        tm.Market.from_json(path).solve()
    assert e.value.message in cli.stderr
    assert type(e.value) is EXPECTED[e.value.code_name]


def test_parse_error_position():
    path = CLI_DATA / "bad_not_json.json"
    cli = subprocess.run([str(CLI), "solve", str(path)], capture_output=True, text=True)
    want = re.search(re.escape(str(path)) + r":(\d+):(\d+): ", cli.stderr)
    assert want, cli.stderr  # the CLI names FILE:LINE:COLUMN
    with pytest.raises(tm.ParseError) as e:
        tm.Market.from_json(path)
    assert e.value.file == str(path)
    assert (e.value.line, e.value.column) == (int(want.group(1)), int(want.group(2)))
    with pytest.raises(tm.ParseError) as e:
        tm.Config.from_string("[rules]\nC_TITLE=maybe\n", "my.ini")
    assert (e.value.file, e.value.line, e.value.column) == ("my.ini", 2, None)
    with pytest.raises(tm.ParseError) as e:
        tm.Market.from_json(CLI_DATA / "bad_missing_name.json")
    assert e.value.file.endswith("bad_missing_name.json") and e.value.line is None


def test_io_and_unsupported():
    with pytest.raises(tm.FileError) as e:
        tm.Market.from_json("/nonexistent/x.json")
    assert isinstance(e.value, OSError) and "/nonexistent/x.json" in str(e.value)
    assert tm.Market.from_json(CLI_DATA / "tie.json").solve().check().stable  # tie breaking
    with pytest.raises(tm.UnsupportedError):
        tm.Market.from_json(CLI_DATA / "groups_cap.json").solve("demand")


def test_no_memory_in_a_subprocess():
    code = """
import resource, techmatch as tm
resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))
try:
    tm.core.tm_market_builder_new(2_000_000_000, 2_000_000_000)
    print("no error")
except tm.NoMemoryError as e:
    assert isinstance(e, MemoryError) and e.code_name == "NO_MEMORY"
    print("NoMemoryError", e)
"""
    r = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert r.returncode == 0, r.stderr
    assert r.stdout.startswith("NoMemoryError"), r.stdout


# ---- checks made in Python, before C -------------------------------------

S_OFF, S_IDS, D_OFF, D_IDS = [0, 2, 4, 5], [0, 1, 1, 0, 0], [0, 3, 5], [2, 0, 1, 0, 1]


def build(**kw):
    args = dict(supply_offsets=S_OFF, supply_ids=S_IDS, demand_offsets=D_OFF, demand_ids=D_IDS)
    args.update(kw)
    return tm.Market.from_arrays(**args)


def test_python_checks_name_the_argument():
    assert build().n_pairs == 5
    with pytest.raises(tm.DtypeError, match="supply_ids: expected integers, got dtype float64"):
        build(supply_ids=np.array(S_IDS, dtype=float))
    with pytest.raises(tm.DtypeError, match="demand_ids"):
        build(demand_ids=["a", "b", "c", "d", "e"])
    with pytest.raises(tm.InvalidArgumentError, match="supply_ids: expected a 1-D array"):
        build(supply_ids=np.array(S_IDS).reshape(5, 1))
    with pytest.raises(tm.InvalidArgumentError, match="demand_ids: the array is not contiguous"):
        build(demand_ids=np.array(D_IDS + D_IDS, dtype=np.int32)[::2])
    with pytest.raises(tm.OutOfRangeError, match=r"supply_ids\[1\] is 5: outside \[0, 2\)"):
        build(supply_ids=[0, 5, 1, 0, 0])
    with pytest.raises(tm.OutOfRangeError, match=r"demand_ids\[0\] is -1"):
        build(demand_ids=np.array([-1, 0, 1, 0, 1], dtype=np.int64))
    with pytest.raises(tm.OutOfRangeError, match="does not fit in int32"):
        build(supply_offsets=np.array([0, 2, 4, 2**40], dtype=np.int64))
    with pytest.raises(tm.InvalidArgumentError, match=r"supply_capacity\[1\] is nan"):
        build(supply_capacity=np.array([1, np.nan, 1]))
    with pytest.raises(tm.InvalidArgumentError, match=r"demand_capacity\[0\] is 1.5"):
        build(demand_capacity=[1.5, 1])
    with pytest.raises(tm.NegativeCapacityError, match=r"supply_capacity\[2\] is -3"):
        build(supply_capacity=[1, 1, -3])
    with pytest.raises(tm.InvalidArgumentError, match="supply_capacity: expected 3 entries"):
        build(supply_capacity=[1, 1])
    with pytest.raises(tm.InvalidArgumentError, match=r"supply_offsets\[-1\] is 5 but"):
        build(supply_ids=[0, 1, 1, 0])
    with pytest.raises(tm.InvalidArgumentError, match=r"demand_offsets\[2\] is 1: offsets decrease"):
        build(demand_offsets=[0, 3, 1], demand_ids=[2, 0, 1])
    with pytest.raises(tm.InvalidArgumentError, match="supply_ranks: expected 5 entries"):
        build(supply_ranks=[0, 1])
    with pytest.raises(tm.InvalidArgumentError, match="decreas"):
        build(supply_ranks=[1, 0, 0, 1, 0])  # C: ranks must not decrease
    # a float capacity that is a whole number is fine (pandas columns with NaN elsewhere)
    assert build(supply_capacity=np.array([1.0, 2.0, 0.0])).capacities("supply").tolist() == [1, 2, 0]
    m = build()
    with pytest.raises(tm.OutOfRangeError, match="outside"):
        m.solve().partners(7)
    with pytest.raises(tm.UnknownNameError):
        m.solve().partners("nobody")
    with pytest.raises(tm.InvalidArgumentError, match="optimal"):
        m.solve(optimal="both")
    with pytest.raises(tm.InvalidArgumentError, match="pairs: expected shape"):
        tm.Matching.from_pairs(m, np.zeros((2, 3), dtype=np.int32))
    with pytest.raises(tm.OutOfRangeError, match=r"pairs\[:, 1\]\[0\] is 9"):
        tm.Matching.from_pairs(m, [[0, 9]])
    with pytest.raises(tm.DuplicateError):
        tm.Matching.from_pairs(m, [[0, 1], [0, 1]])


def test_raw_typemaps_refuse_wrong_arrays():
    """The raw module checks dtype, contiguity and writeability itself too."""
    m = build()
    with pytest.raises(TypeError, match="wrong dtype"):
        core.tm_market_get_capacities(m._ptr, 0, np.empty(3, dtype=np.int64), 3)
    with pytest.raises(ValueError, match="read-only"):
        out = np.empty(3, dtype=np.int32)
        out.flags.writeable = False
        core.tm_market_get_capacities(m._ptr, 0, out, 3)
    with pytest.raises(ValueError, match="not C-contiguous"):
        core.tm_market_get_capacities(m._ptr, 0, np.empty(6, dtype=np.int32)[::2], 3)
    with pytest.raises(tm.InvalidArgumentError, match="entries"):
        core.tm_market_get_capacities(m._ptr, 0, np.empty(2, dtype=np.int32), 2)

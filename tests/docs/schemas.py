#!/usr/bin/env python3
"""docs.schemas: every JSON document the suite's programs write is valid
against its schema in docs/schema/ (draft 2020-12, python3-jsonschema), and
the schemas can fail.

  schemas.py TECHMATCH SOURCE_DIR WORK_DIR

- instance.schema.json: every instance of tests/cli/data (and ties/) and
  examples/market.json that `techmatch solve` accepts is valid; and every
  instance the schema refuses, the CLI refuses too (the schema is never
  stricter than the reader).
- solve.schema.json: the output of `techmatch solve` on each accepted
  instance under several options (default, --optimal demand, --stability,
  --objective, --all, --count) and of `techmatch check` on the matchings of
  tests/cli/data.
- assignments.schema.json: assignments.json of `techmatch run` on the seed
  (its programme.ini; --quota-counts assignments; --objective
  supply-optimal; --config none --quota none), and its `config` member
  reproduces the run:
  written back as a --config file it gives the same assignments.
- explain.schema.json: `techmatch explain --json` of every agent of the
  seed, both sides.
- Mutations: each required member removed, and a rank or the rank base set
  to 0, must make a valid document invalid.
"""
import copy
import glob
import json
import os
import subprocess
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("schemas: python3-jsonschema is missing (scripts/install-deps.sh installs it)")

TM, SRC, WORK = sys.argv[1:4]
os.makedirs(WORK, exist_ok=True)
SCHEMA_DIR = os.path.join(SRC, "docs", "schema")
failures = []
counts = {}


def validator(name):
    with open(os.path.join(SCHEMA_DIR, name), encoding="utf-8") as f:
        schema = json.load(f)
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(schema)


def check(v, doc, what, kind):
    errors = sorted(v.iter_errors(doc), key=lambda e: list(e.path))
    if errors:
        e = errors[0]
        failures.append(f"{what}: {'/'.join(map(str, e.path))}: {e.message[:300]}")
    counts[kind] = counts.get(kind, 0) + 1


def run(*args):
    return subprocess.run([TM, *args], capture_output=True, text=True, check=False)


def must_fail(v, doc, what):
    if v.is_valid(doc):
        failures.append(f"mutation not caught: {what}")
    counts["mutations"] = counts.get("mutations", 0) + 1


def mutate_required(v, doc, schema_name, path=()):
    """Removes each required member of the top-level object (and of
    stats/config for assignments) and expects failure."""
    for key in list(doc):
        bad = copy.deepcopy(doc)
        del bad[key]
        if key in v.schema.get("required", []):
            must_fail(v, bad, f"{schema_name}: without {key}")


instance_v = validator("instance.schema.json")
solve_v = validator("solve.schema.json")
assign_v = validator("assignments.schema.json")

# ---- instances and the solver's output ------------------------------------
data = os.path.join(SRC, "tests", "cli", "data")
files = sorted(glob.glob(os.path.join(data, "*.json")) + glob.glob(os.path.join(data, "ties", "*.json")))
files.append(os.path.join(SRC, "examples", "market.json"))
OPTIONS = [[], ["--optimal", "demand"], ["--stability", "strong"], ["--stability", "super"],
           ["--objective", "egalitarian"], ["--objective", "max-weight"], ["--all"], ["--count"]]
accepted = []
for path in files:
    name = os.path.relpath(path, SRC)
    if os.path.basename(path).startswith("matching_") or path.endswith(("_matching.json", "_strong.json", "_weak.json")):
        continue  # matchings, for check
    r = run("solve", path)
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError):
        doc = None
    if r.returncode == 0:
        accepted.append(path)
        check(instance_v, doc, name, "instances")
    elif doc is not None and not instance_v.is_valid(doc):
        counts["instances refused by both"] = counts.get("instances refused by both", 0) + 1
    for opts in OPTIONS if r.returncode == 0 else []:
        out = run("solve", *opts, path)
        if out.returncode == 0:
            check(solve_v, json.loads(out.stdout), f"solve {' '.join(opts)} {name}", "solve outputs")
# every instance the schema refuses is refused by the CLI too
for path in files:
    try:
        with open(path, encoding="utf-8") as f:
            doc = json.load(f)
    except (UnicodeDecodeError, json.JSONDecodeError):
        continue
    if isinstance(doc, dict) and "pairs" in doc and "supply" not in doc:
        continue
    if not instance_v.is_valid(doc) and path in accepted:
        failures.append(f"{os.path.relpath(path, SRC)}: the schema refuses what solve accepts")

for m in sorted(glob.glob(os.path.join(data, "matching_*.json"))):
    for inst in ("good.json", "groups_floor.json"):
        out = run("check", os.path.join(data, inst), m)
        if out.returncode in (0, 1) and out.stdout.startswith("{"):
            check(solve_v, json.loads(out.stdout), f"check {inst} {os.path.basename(m)}", "check outputs")

# ---- the programme's assignments.json -------------------------------------
seed = os.path.join(SRC, "seeds", "jinshui-2011")
RUNS = {"seed": [], "assignments": ["--quota-counts", "assignments"],
        "objective": ["--objective", "supply-optimal"],
        "defaults": ["--config", "none", "--quota", "none"]}
docs = {}
for label, opts in RUNS.items():
    out_dir = os.path.join(WORK, label)
    r = run("run", seed, "--out", out_dir, *opts)
    if r.returncode != 0:
        failures.append(f"techmatch run {' '.join(opts)}: exit {r.returncode}: {r.stderr[:300]}")
        continue
    with open(os.path.join(out_dir, "assignments.json"), encoding="utf-8") as f:
        docs[label] = json.load(f)
    check(assign_v, docs[label], f"run {label}: assignments.json", "assignments.json")

# the ranks agree with assignments.csv (1-based there too)
if "seed" in docs:
    with open(os.path.join(WORK, "seed", "assignments.csv"), encoding="utf-8") as f:
        rows = [line.rstrip("\n").split(",") for line in f][1:]
    csv_ranks = [(r[0], r[1], int(r[4]), int(r[5])) for r in rows]
    json_ranks = [(a["commissioner"], a["site"], a["commissioner_rank"], a["site_rank"])
                  for a in docs["seed"]["assignments"]]
    if csv_ranks != json_ranks:
        failures.append("assignments.json ranks differ from assignments.csv")
    if [list(p) for p in docs["seed"]["pairs"]] != [[a, b] for a, b, _, _ in json_ranks]:
        failures.append("assignments differ from pairs")

# the configuration carried reproduces the run
for label in ("seed", "assignments", "defaults"):
    if label not in docs:
        continue
    cfg = docs[label]["config"]
    ini = [cfg["rules_ini"], "[quota]",
           "total=" + (str(cfg["quota"]["total"]) if cfg["quota"]["total"] >= 0 else "none"),
           "counts=" + cfg["quota"]["unit"], ""]
    for code, lim in cfg["sector_limits"].items():
        ini += [f"[sector.{code}]", "cap=" + ("none" if lim["cap"] is None else str(lim["cap"])),
                f"floor={lim['floor']}", ""]
    ini_path = os.path.join(WORK, label + ".ini")
    with open(ini_path, "w", encoding="utf-8") as f:
        f.write("\n".join(ini))
    again = os.path.join(WORK, label + "-again")
    r = run("run", seed, "--out", again, "--config", ini_path)
    if r.returncode != 0:
        failures.append(f"rerun from {label}'s config: exit {r.returncode}: {r.stderr[:300]}")
        continue
    with open(os.path.join(again, "assignments.json"), encoding="utf-8") as f:
        doc2 = json.load(f)
    if doc2["assignments"] != docs[label]["assignments"] or doc2["config"] != docs[label]["config"]:
        failures.append(f"rerun from {label}'s config gives other assignments or config")
    counts["reruns"] = counts.get("reruns", 0) + 1

# ---- explain --json: every agent of the seed, both sides ---------------
explain_v = validator("explain.schema.json")
explained = []
if "seed" in docs:
    outcomes = docs["seed"]["outcomes"]
    for side, word in (("supply", "commissioner"), ("demand", "site")):
        for agent in outcomes[side]:
            out = run("explain", seed, agent, "--side", word, "--json")
            if out.returncode != 0:
                failures.append(f"explain {agent}: exit {out.returncode}: {out.stderr[:300]}")
                continue
            explained.append(json.loads(out.stdout))
            check(explain_v, explained[-1], f"explain --side {word} {agent} --json", "explanations")

# ---- the schemas can fail -------------------------------------------------
if "seed" in docs:
    d = docs["seed"]
    mutate_required(assign_v, d, "assignments")
    for key in d["config"]:
        bad = copy.deepcopy(d)
        del bad["config"][key]
        must_fail(assign_v, bad, f"assignments: config without {key}")
    bad = copy.deepcopy(d)
    bad["assignments"][0]["commissioner_rank"] = 0
    must_fail(assign_v, bad, "assignments: a 0-based rank")
    bad = copy.deepcopy(d)
    bad["rank_base"] = 0
    must_fail(assign_v, bad, "assignments: rank_base 0")
    bad = copy.deepcopy(d)
    del bad["config"]["weights"]["demand"]["merit"]
    must_fail(assign_v, bad, "assignments: a weight missing")
if accepted:
    with open(accepted[0], encoding="utf-8") as f:
        inst = json.load(f)
    mutate_required(instance_v, inst, "instance")
    bad = copy.deepcopy(inst)
    del bad["supply"][0]["name"]
    must_fail(instance_v, bad, "instance: an agent without a name")
    out = json.loads(run("solve", accepted[0]).stdout)
    mutate_required(solve_v, out, "solve")
    bad = copy.deepcopy(out)
    del bad["stats"]["supply"]["rank_max"]
    must_fail(solve_v, bad, "solve: stats without rank_max")

if explained:
    mutate_required(explain_v, explained[0], "explain")
    bad = copy.deepcopy(explained[0])
    bad["candidates"][0]["rank"] = 0
    must_fail(explain_v, bad, "explain: a 0-based rank")

MINIMUM = {"explanations": 60, "instances": 10, "solve outputs": 40, "check outputs": 5, "assignments.json": 4,
           "reruns": 3, "mutations": 25}
for kind, least in MINIMUM.items():
    if counts.get(kind, 0) < least:
        failures.append(f"only {counts.get(kind, 0)} {kind} checked (expected at least {least})")
print("schemas: " + ", ".join(f"{n} {k}" for k, n in sorted(counts.items())))
for f in failures:
    print("FAIL", f)
sys.exit(1 if failures else 0)

#!/usr/bin/python3
"""Smoke test of tm_bench_suite --write-instance (ctest bench.suite.edges.*).

    check_edges.py TM_BENCH_SUITE WORKDIR EXT -- <tm_bench_suite options>

Runs tm_bench_suite twice with the same options: once with --write-instance WORKDIR/x.EXT
(the edge-list format of EDGES-FORMAT: directives, header, one line per pair) and once with
--tsv (its row).  Parses the file strictly and checks: the first line is the format directive;
the supply/demand/capacity directives match the options; the header is exact; the number of
pair lines equals the row's entries; no pair repeats; every supply agent's lines come in rank
order 0, 1, ...; every demand agent's ranks are a permutation of 0..len-1.  Then it runs its own
deferred acceptance (an independent implementation, many-to-many with capacities) on the
parsed lists, proposing side as in the options, and requires the same number of proposals and
matched pairs as the row: a wrong rank in the file (or a wrong proposal count in the library)
breaks it.  Exit status 0 when all hold.
"""
import heapq
import os
import subprocess
import sys


def fail(msg):
    print("check_edges: FAIL:", msg)
    sys.exit(1)


def option(args, name, default):
    return args[args.index(name) + 1] if name in args else default


def parse(path, sep):
    with open(path, encoding="utf-8") as f:
        lines = f.read().split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    if not lines or lines[0] != "#! techmatch-edges 1":
        fail("first line is not the format directive: %r" % (lines[:1],))
    directives = {}
    i = 0
    while i < len(lines) and lines[i].startswith("#"):
        if lines[i].startswith("#!"):
            words = lines[i][2:].split()
            directives[" ".join(words[:-1])] = int(words[-1]) if words[-1].isdigit() else words[-1]
        i += 1
    header = lines[i].split(sep)
    if header != ["supply", "demand", "supply_rank", "demand_rank"]:
        fail("bad header %r" % lines[i])
    pairs = []
    for ln in lines[i + 1:]:
        if ln.startswith("#") or not ln:
            fail("comment or blank line among the pairs")
        f = ln.split(sep)
        if len(f) != 4:
            fail("line with %d fields: %r" % (len(f), ln))
        pairs.append(tuple(int(x) for x in f))
    return directives, pairs


def da(n_prop, n_recv, prop_lists, recv_rank, cap_p, cap_r):
    """Proposer-proposing DA; returns (proposals, matched pairs)."""
    nxt = [0] * n_prop
    held = [0] * n_prop
    heaps = [[] for _ in range(n_recv)]  # (-rank, proposer): worst on top
    free = list(range(n_prop - 1, -1, -1))
    proposals = 0
    while free:
        p = free.pop()
        lst = prop_lists[p]
        while held[p] < cap_p and nxt[p] < len(lst):
            r = lst[nxt[p]]
            nxt[p] += 1
            proposals += 1
            rk = recv_rank[r][p]
            h = heaps[r]
            if len(h) < cap_r:
                heapq.heappush(h, (-rk, p))
                held[p] += 1
            elif -h[0][0] > rk:
                _, q = heapq.heapreplace(h, (-rk, p))
                held[p] += 1
                held[q] -= 1
                free.append(q)
    return proposals, sum(len(h) for h in heaps)


def main():
    if len(sys.argv) < 5 or sys.argv[4] != "--":
        fail("usage: check_edges.py TM_BENCH_SUITE WORKDIR EXT -- OPTIONS")
    exe, workdir, ext, args = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[5:]
    os.makedirs(workdir, exist_ok=True)
    path = os.path.join(workdir, "instance." + ext)
    tsv = os.path.join(workdir, "row.tsv")
    if os.path.exists(tsv):
        os.remove(tsv)
    subprocess.run([exe, *args, "--write-instance", path], check=True)
    subprocess.run([exe, *args, "--tsv", tsv], check=True, stdout=subprocess.DEVNULL)
    with open(tsv, encoding="utf-8") as f:
        head, row = [ln.rstrip("\n").split("\t") for ln in f][:2]
    row = dict(zip(head, row))

    directives, pairs = parse(path, "," if ext == "csv" else "\t")
    n_s, n_d = int(row["n_supply"]), int(row["n_demand"])
    cap_s, cap_d = int(row["cap_supply"]), int(row["cap_demand"])
    if directives.get("supply") != n_s or directives.get("demand") != n_d:
        fail("supply/demand directives %r, row %d x %d" % (directives, n_s, n_d))
    if directives.get("capacity supply", 1) != cap_s or directives.get("capacity demand", 1) != cap_d:
        fail("capacity directives %r, row %d/%d" % (directives, cap_s, cap_d))
    if len(pairs) != int(row["entries"]):
        fail("%d pair lines, row says %s entries" % (len(pairs), row["entries"]))
    if len(set((s, d) for s, d, _, _ in pairs)) != len(pairs):
        fail("a repeated (supply, demand) pair")

    s_lists = [[] for _ in range(n_s)]
    d_rank = [dict() for _ in range(n_d)]
    last_s = -1
    for s, d, sr, dr in pairs:
        if not (0 <= s < n_s and 0 <= d < n_d):
            fail("id out of range: %d %d" % (s, d))
        if s < last_s:
            fail("not supply-major")
        last_s = s
        if sr != len(s_lists[s]):
            fail("supply %d: rank %d where %d was due" % (s, sr, len(s_lists[s])))
        s_lists[s].append(d)
        d_rank[d][s] = dr
    for d in range(n_d):
        if sorted(d_rank[d].values()) != list(range(len(d_rank[d]))):
            fail("demand %d: its ranks are not 0..%d" % (d, len(d_rank[d]) - 1))
    s_rank = [{d: r for r, d in enumerate(lst)} for lst in s_lists]
    d_lists = [sorted(d_rank[d], key=d_rank[d].get) for d in range(n_d)]

    if option(args, "--side", "supply") == "supply":
        props, matched = da(n_s, n_d, s_lists, d_rank, cap_s, cap_d)
    else:
        props, matched = da(n_d, n_s, d_lists, s_rank, cap_d, cap_s)
    if props != int(row["proposals"]) or matched != int(row["matched"]):
        fail("independent DA: %d proposals, %d pairs; tm_bench_suite: %s, %s"
             % (props, matched, row["proposals"], row["matched"]))
    print("check_edges: ok: %d pairs, %d proposals, %d matched" % (len(pairs), props, matched))


if __name__ == "__main__":
    main()

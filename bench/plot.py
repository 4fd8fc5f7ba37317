#!/usr/bin/python3
"""Plots the suite's TSV (bench/suite.sh): time and memory against list entries.

    plot.py SUITE.TSV OUT.PNG

One row of panels per generator.  Left: seconds against entries L (log-log), per shape
(colour) and proposing side (solid = supply, dashed = demand): solve (circles),
build + solve (thin line, no marker) and the touch baseline measured in the same process
(dotted, triangles), so solve/touch reads off as a vertical distance.  Right: peak RSS
(VmHWM) in MiB against L, with the market's bytes (tm_market_bytes) and the input arrays'
bytes as grey reference lines.  matplotlib with the Agg backend (no display needed).
"""
import csv
import sys

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402

GENERATORS = ["uniform", "master", "sector", "adversarial", "congested", "noise", "solo"]
SHAPES = {"one-to-one": "tab:blue", "many-to-one": "tab:orange",
          "one-to-many": "tab:purple", "many-to-many": "tab:green"}
SIDES = {"supply": "-", "demand": "--"}


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: plot.py SUITE.TSV OUT.PNG")
    with open(sys.argv[1], encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter="\t"))
    gens = [g for g in GENERATORS if any(r["generator"] == g for r in rows)]
    gens += sorted({r["generator"] for r in rows} - set(gens))
    fig, axes = plt.subplots(len(gens), 2, figsize=(12, 3.2 * len(gens)), squeeze=False)
    for gi, gen in enumerate(gens):
        ax_t, ax_m = axes[gi]
        mem_ref = {}
        for shape, colour in SHAPES.items():
            for side, style in SIDES.items():
                sel = sorted((r for r in rows if r["generator"] == gen and r["shape"] == shape
                              and r["side"] == side), key=lambda r: int(r["entries"]))
                if not sel:
                    continue
                L = [int(r["entries"]) for r in sel]
                solve = [float(r["solve_s"]) for r in sel]
                both = [float(r["build_s"]) + float(r["solve_s"]) for r in sel]
                touch = [float(r["touch_s"]) for r in sel]
                label = "%s, %s proposing" % (shape, side)
                ax_t.plot(L, solve, style, color=colour, marker="o", ms=3, label="solve: " + label)
                ax_t.plot(L, both, style, color=colour, lw=0.7, alpha=0.6)
                ax_t.plot(L, touch, ":", color=colour, marker="^", ms=3, lw=0.8, alpha=0.8)
                ax_m.plot(L, [float(r["peak_rss_mib"]) for r in sel], style, color=colour,
                          marker="o", ms=3, label=label)
                for r in sel:
                    e = int(r["entries"])
                    mem_ref[e] = (float(r["market_bytes_per_entry"]) * e / 2**20,
                                  int(r["input_bytes"]) / 2**20)
        if mem_ref:
            es = sorted(mem_ref)
            ax_m.plot(es, [mem_ref[e][0] for e in es], color="grey", lw=1.5, alpha=0.5,
                      label="market bytes")
            ax_m.plot(es, [mem_ref[e][1] for e in es], color="black", lw=0.8, ls="-.",
                      alpha=0.5, label="input bytes")
        for ax in (ax_t, ax_m):
            ax.set_xscale("log")
            ax.set_yscale("log")
            ax.grid(True, which="major", alpha=0.3)
            ax.set_xlabel("list entries L")
        ax_t.set_ylabel("seconds")
        ax_t.set_title("%s: solve (o), build+solve (thin), touch (dotted ^)" % gen, fontsize=9)
        ax_m.set_ylabel("MiB")
        ax_m.set_title("%s: peak RSS (VmHWM)" % gen, fontsize=9)
        ax_t.legend(fontsize=6, loc="upper left")
        ax_m.legend(fontsize=6, loc="upper left")
    fig.tight_layout()
    fig.savefig(sys.argv[2], dpi=90)


if __name__ == "__main__":
    main()

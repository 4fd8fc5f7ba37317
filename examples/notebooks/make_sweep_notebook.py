"""Writes policy-sweep.ipynb (the cells below) and executes it with nbclient,
so the committed notebook holds the real outputs of a run:

    PYTHONPATH=$PWD/build/bindings/python /usr/bin/python3 examples/notebooks/make_sweep_notebook.py

The ctest python.notebook executes it again headless and fails on any error.
"""
import os
import pathlib
import sys

import nbformat
from nbclient import NotebookClient

HERE = pathlib.Path(__file__).resolve().parent
md, code = nbformat.v4.new_markdown_cell, nbformat.v4.new_code_cell

cells = [
    md("# A policy sweep: the quota and the weighting of the Jinshui 2011 selection\n\n"
       "How many commissioners should the district send, and how should the two sides weigh "
       "each other? This notebook runs the bundled programme (`seeds/jinshui-2011`) under "
       "every quota from 20 to 60 in steps of 2 and three weightings of the scores — 63 "
       "selections — with `techmatch.parallel.sweep`, on a Dask cluster of two local worker "
       "processes, and plots how sector coverage and the merit cutoff move with the quota. "
       "Each job is the same as `techmatch run` with the job's settings written over "
       "`programme.ini` (`techmatch sweep DIR --grid FILE` runs the same grid from the "
       "shell). Applicants are admitted in merit order, so the weights decide who goes "
       "where rather than who goes."),
    code("import os\n"
         "import pathlib\n"
         "import matplotlib.pyplot as plt\n"
         "import pandas as pd\n"
         "import techmatch as tm\n"
         "from techmatch import parallel\n"
         "\n"
         "# the source tree's top (the notebook runs from examples/notebooks or the top)\n"
         "top = next(p for p in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents]\n"
         "           if (p / 'seeds' / 'jinshui-2011').is_dir())\n"
         "seed = pathlib.Path(os.path.relpath(top / 'seeds' / 'jinshui-2011'))\n"
         "tm.Config.for_dir(seed)"),
    md("## The grid\n\n"
       "One axis per setting, in the dict form of `techmatch.parallel` (docs/parallel.md): "
       "`setting` + `values` varies one `programme.ini` setting, `variants` switches between "
       "named sets of settings (an empty one is `programme.ini` as it is). The last axis "
       "varies fastest. `parallel.write_grid(grid, 'grid.ini')` writes the same grid as a "
       "file for `techmatch sweep`."),
    code("grid = {\n"
         "    'quota': {'setting': 'quota/total', 'values': range(20, 61, 2)},\n"
         "    'weighting': {'variants': {\n"
         "        'balanced': {},                                   # programme.ini's weights\n"
         "        'merit': {'weights.site/merit': 6},               # sites favour merit\n"
         "        'near': {'weights.commissioner': {'distance': 6}},  # commissioners favour near sites\n"
         "    }},\n"
         "}\n"
         "g = parallel.Grid.from_dict(grid)\n"
         "print(g)\n"
         "print(g.text)"),
    md("## Running it\n\n"
       "`sweep` checks every job's configuration first, then runs the jobs. Without "
       "`client=` it starts a `LocalCluster` of two worker processes (one thread each) for "
       "the call and closes it afterwards; `client='serial'` runs them here, one after the "
       "other, with the same rows.\n\n"
       "On a real cluster, start a scheduler and workers (`dask scheduler`, `dask worker "
       "tcp://host:8786`) on machines that see the programme folder at the same path, "
       "and pass the client (or just the address):\n\n"
       "```python\n"
       "from dask.distributed import Client\n"
       "client = Client('tcp://host:8786')\n"
       "df = parallel.sweep('/shared/programmes/jinshui-2011', grid, client=client)\n"
       "# or: parallel.sweep(..., scheduler='tcp://host:8786')\n"
       "```"),
    md("One row per job: `job`, one `axis.NAME` column per axis, `status` and `error`, "
       "then the job's figures — the columns of `techmatch sweep`'s summary CSV "
       "(docs/parallel.md lists them)."),
    code("df = parallel.sweep(seed, grid, progress=False)\n"
         "print(len(df), 'jobs,', (df.status == 'ok').sum(), 'ok')\n"
         "df[['job', 'axis.quota', 'axis.weighting', 'selected', 'assignments', 'sites_served',\n"
         "    'merit_cutoff', 'mean_rank_commissioner', 'mean_rank_site']].head(9)"),
    md("## Sector coverage against the quota\n\n"
       "`coverage.CODE` is the share of a sector's registered sites that get a "
       "commissioner (`served.CODE` counts them, `assignments.CODE` counts the pairs)."),
    code("sectors = [c[len('coverage.'):] for c in df.columns if c.startswith('coverage.')]\n"
         "weightings = list(grid['weighting']['variants'])\n"
         "fig, axes = plt.subplots(1, 3, figsize=(12, 3.4), sharey=True)\n"
         "for ax, w in zip(axes, weightings):\n"
         "    part = df[df['axis.weighting'] == w].set_index('axis.quota')\n"
         "    for s in sectors:\n"
         "        ax.plot(part.index, part[f'coverage.{s}'], marker='.', label=s)\n"
         "    ax.set_title(f'weighting: {w}')\n"
         "    ax.set_xlabel('quota (commissioners or teams)')\n"
         "axes[0].set_ylabel('sites served / registered')\n"
         "axes[-1].legend(fontsize='small')\n"
         "plt.tight_layout()\n"
         "plt.show()"),
    md("## The merit cutoff against the quota\n\n"
       "`merit_cutoff` is the merit score of the first applicant the quota turned away; it "
       "is empty once the quota turns nobody away. It is the same under the three "
       "weightings (admission runs in merit order); the weights show in who gets which "
       "site: the mean rank each side gives its partners (1 = first choice)."),
    code("fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 3.4))\n"
         "for i, w in enumerate(weightings):\n"
         "    part = df[df['axis.weighting'] == w]\n"
         "    ax.plot(part['axis.quota'], part.merit_cutoff, marker='o', color=f'C{i}',\n"
         "            markersize=9 - 3 * i, label=w)  # the three lines coincide\n"
         "    ax2.plot(part['axis.quota'], part.mean_rank_site, marker='.', color=f'C{i}',\n"
         "             label=f'sites, {w}')\n"
         "    ax2.plot(part['axis.quota'], part.mean_rank_commissioner, linestyle='--',\n"
         "             color=f'C{i}', label=f'commissioners, {w}')\n"
         "ax.set_xlim(19, 61)\n"
         "ax.set_xlabel('quota (commissioners or teams)')\n"
         "ax.set_ylabel('merit of the first one cut')\n"
         "ax.legend()\n"
         "ax2.set_xlabel('quota (commissioners or teams)')\n"
         "ax2.set_ylabel('mean rank of the partner')\n"
         "ax2.legend(fontsize='x-small', ncol=2)\n"
         "plt.tight_layout()\n"
         "plt.show()\n"
         "df.pivot(index='axis.quota', columns='axis.weighting', values='merit_cutoff').head(8)"),
    code("df.pivot(index='axis.quota', columns='axis.weighting', values='assignments').iloc[::2]"),
    md("## Who changes between a quota of 20 and one of 30, and why\n\n"
       "`parallel.compare` runs two configurations (here two grid points) and lists every "
       "commissioner and site whose partners differ, with each run's reason as the report "
       "states it."),
    code("changes = parallel.compare(seed, {'quota/total': 20}, {'quota/total': 30},\n"
         "                          side='commissioner')\n"
         "print(changes.change.value_counts().to_dict())\n"
         "changes[['name', 'change', 'partners_a', 'partners_b', 'reason_a']].head(8)"),
]

nb = nbformat.v4.new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                   "language": "python"},
    "language_info": {"name": "python"}})
if __name__ == "__main__":
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(HERE)}}).execute()
    out = HERE / "policy-sweep.ipynb"
    nbformat.write(nb, str(out))
    print("wrote", out, file=sys.stderr)

"""Writes jinshui-2011.ipynb (the cells below) and executes it with nbclient,
so the committed notebook holds the real outputs of a run:

    PYTHONPATH=build/bindings/python /usr/bin/python3 examples/notebooks/make_notebook.py

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
    md("# Jinshui 2011: matching science-and-technology commissioners with sites\n\n"
       "The bundled example of the Jinshui district (Zhengzhou) 2011 action plan: the "
       "demand registration form (需求登记表) and the application form (申请表) are read, the "
       "programme's rules screen both sides, two-way scores rank the acceptable pairs, and "
       "applicants are admitted in merit order (择优), each placed by deferred acceptance "
       "(two-way choice decides where), until 30 commissioners or teams are sent under the "
       "sector limits of `programme.ini` — the same result as `techmatch run`."),
    code("import os\n"
         "import pathlib\n"
         "import matplotlib.pyplot as plt\n"
         "import pandas as pd\n"
         "import techmatch as tm\n"
         "\n"
         "# the source tree's top (the notebook runs from examples/notebooks or the top)\n"
         "top = next(p for p in [pathlib.Path.cwd(), *pathlib.Path.cwd().parents]\n"
         "           if (p / 'seeds' / 'jinshui-2011').is_dir())\n"
         "seed = pathlib.Path(os.path.relpath(top / 'seeds' / 'jinshui-2011'))\n"
         "programme = tm.Programme.from_forms(seed)\n"
         "programme, programme.config"),
    code("programme.sites[['name', 'kind', 'sector', 'capacity', 'min_title']].head()"),
    code("programme.commissioners[['name', 'title', 'unit_kind', 'expertise', 'merit']].head()"),
    md("## Screening and selection"),
    code("screening = programme.screen()\n"
         "selection = programme.select()\n"
         "print(screening)\n"
         "print(selection)\n"
         "print('merit cutoff:', selection.merit_cutoff)\n"
         "selection.assignments.drop(columns=['commissioner_id', 'site_id']).head(10)"),
    md("## Supply-optimal and demand-optimal stable matchings\n\n"
       "The selection admits applicants in merit order under the quota and sector limits "
       "(commissioners propose). Without those limits the same market has a lattice of "
       "stable matchings between the commissioner-optimal and the site-optimal one; here "
       "are both ends (`market.lattice()` gives every one between them)."),
    code("market = selection.market\n"
         "sup, dem = market.solve('supply'), market.solve('demand')\n"
         "print(market)\n"
         "print(sup)\n"
         "print(dem)\n"
         "rows = []\n"
         "for label, m in [('supply-optimal', sup), ('demand-optimal', dem),\n"
         "                 ('selection (quota, caps)', selection.matching)]:\n"
         "    st = m.stats\n"
         "    rows.append({'matching': label, 'pairs': st.pairs,\n"
         "                 'commissioners matched': st.supply.matched_agents,\n"
         "                 'sites served': st.demand.matched_agents,\n"
         "                 'mean commissioner rank': round(st.supply.rank_mean + 1, 2),\n"
         "                 'mean site rank': round(st.demand.rank_mean + 1, 2),\n"
         "                 'proposals': st.proposals})\n"
         "pd.DataFrame(rows).set_index('matching')"),
    code("a = sup.to_dataframe().set_index('supply_name')['demand_name']\n"
         "b = dem.to_dataframe().set_index('supply_name')['demand_name']\n"
         "diff = pd.DataFrame({'supply-optimal': a, 'demand-optimal': b}).dropna()\n"
         "diff = diff[diff['supply-optimal'] != diff['demand-optimal']]\n"
         "print(f'{len(diff)} commissioners are placed differently' if len(diff) else\n"
         "      'the two ends coincide: this market has exactly one stable matching')\n"
         "diff"),
    md("## Sector coverage"),
    code("cov = selection.sector_coverage().set_index('sector')\n"
         "ax = cov[['registered', 'eligible', 'served', 'assignments']].plot.bar(figsize=(8, 3.5))\n"
         "ax.set_title('Sites per sector: registered, eligible, served; assignments')\n"
         "ax.set_ylabel('count')\n"
         "plt.tight_layout()\n"
         "plt.show()\n"
         "cov"),
    md("## Rank distributions of both sides (1 = first choice)"),
    code("fig, axes = plt.subplots(1, 2, figsize=(9, 3.2), sharey=True)\n"
         "for ax, side, title in [(axes[0], 'supply', 'commissioners: rank of their site'),\n"
         "                        (axes[1], 'demand', 'sites: rank of their commissioner')]:\n"
         "    for label, m in [('supply-optimal', sup), ('demand-optimal', dem),\n"
         "                     ('selection', selection.matching)]:\n"
         "        h = m.rank_histogram(side, 10)\n"
         "        ax.plot(range(1, 11), h, marker='o', label=label)\n"
         "    ax.set_title(title)\n"
         "    ax.set_xlabel('rank')\n"
         "axes[0].set_ylabel('pairs')\n"
         "axes[1].legend()\n"
         "plt.tight_layout()\n"
         "plt.show()"),
    md("## Why applicants were not selected"),
    code("oc = selection.outcomes\n"
         "missed = oc[(oc.side == 'commissioner') & ~oc.outcome.isin(['matched', 'partly'])]\n"
         "print(len(missed), 'of', programme.n_commissioners, 'applicants were not selected')\n"
         "pick = pd.concat([missed[missed.outcome == o].head(1) for o in missed.outcome.unique()])\n"
         "pick = pd.concat([pick, missed.drop(pick.index)]).head(3)\n"
         "pick[['name', 'outcome', 'text']]"),
    code("screening.ineligible()[['side', 'name', 'reason', 'failures']]"),
    md("## Why a pair ranks where it does\n\n"
       "Each side ranks the other by a weighted mean of eight score components "
       "(`config.weights`); `Scorer.explain` shows them for one pair. Here: the first "
       "three sites on the list of the first selected commissioner (its wishes come first, "
       "whatever their score)."),
    code("scorer = programme.scorer()\n"
         "c = int(selection.assignments.commissioner_id.iloc[0])\n"
         "top3 = selection.market.lists('supply')[c][:3]\n"
         "pd.DataFrame([scorer.explain(c, int(s)).as_dict() for s in top3]).round(3)"),
    code("pd.DataFrame(programme.config.weights)"),
    md("The same documents as `techmatch run`:"),
    code("print(selection.report_markdown()[:600])"),
]

nb = nbformat.v4.new_notebook(cells=cells, metadata={
    "kernelspec": {"name": "python3", "display_name": "Python 3 (ipykernel)",
                   "language": "python"},
    "language_info": {"name": "python"}})
if __name__ == "__main__":
    os.environ.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(HERE)}}).execute()
    out = HERE / "jinshui-2011.ipynb"
    nbformat.write(nb, str(out))
    print("wrote", out, file=sys.stderr)

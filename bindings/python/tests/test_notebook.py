"""examples/notebooks/jinshui-2011.ipynb runs headless (nbclient) without an
error, with Debian's kernel (/usr/bin/python3) and the package of this build,
and shows its two figures and the three applicants' reasons."""
import os

import nbformat
from nbclient import NotebookClient

from conftest import BUILD_DIR, SOURCE_DIR


def _texts(nb):
    for c in nb.cells:
        if c.cell_type != "code":
            continue
        for o in c.outputs:
            yield o.get("text", "")
            for k, v in o.get("data", {}).items():
                if not k.startswith("image/"):
                    yield v if isinstance(v, str) else "".join(v)


def test_stored_outputs_carry_no_absolute_path():
    """The committed outputs show paths relative to the notebook's folder:
    nothing of the machine that ran make_notebook.py (/work/..., /home/...)."""
    path = SOURCE_DIR / "examples" / "notebooks" / "jinshui-2011.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    text = "".join(_texts(nb))
    assert "<Config ../../seeds/jinshui-2011/programme.ini: quota 30, 6 sectors>" in text
    for marker in (str(SOURCE_DIR), "/work/", "/home/", "/tmp/", "/usr/"):
        assert marker not in text, marker


def test_notebook_executes(tmp_path):
    path = SOURCE_DIR / "examples" / "notebooks" / "jinshui-2011.ipynb"
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:  # run from scratch, not from the stored outputs
        if cell.cell_type == "code":
            cell.outputs = []
    os.environ["PYTHONPATH"] = str(BUILD_DIR / "bindings" / "python")
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(path.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 2
    text = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)
    # 41: C_YEARS off and S_SECTOR on (issue 10)
    assert "<Selection 30 commissioners selected, 41 assignments, quota 30 people, stable>" in text
    assert "12 of 42 applicants were not selected" in text
    assert str(SOURCE_DIR) not in "".join(_texts(nb))  # nor when run here, now


SWEEP = SOURCE_DIR / "examples" / "notebooks" / "policy-sweep.ipynb"


def test_sweep_notebook_stored_outputs_carry_no_absolute_path():
    nb = nbformat.read(str(SWEEP), as_version=4)
    text = "".join(_texts(nb))
    assert "<Config ../../seeds/jinshui-2011/programme.ini: quota 30, 6 sectors>" in text
    assert "63 jobs, 63 ok" in text
    for marker in (str(SOURCE_DIR), "/work/", "/home/", "/tmp/", "/usr/"):
        assert marker not in text, marker


def test_sweep_notebook_executes():
    """policy-sweep.ipynb runs its 63 jobs on a LocalCluster of two worker
    processes (which inherit PYTHONPATH) and draws its two figures."""
    nb = nbformat.read(str(SWEEP), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs = []
    os.environ["PYTHONPATH"] = str(BUILD_DIR / "bindings" / "python")
    os.environ["PYDEVD_DISABLE_FILE_VALIDATION"] = "1"
    NotebookClient(nb, timeout=300, kernel_name="python3",
                   resources={"metadata": {"path": str(SWEEP.parent)}}).execute()
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert sum("image/png" in o.get("data", {}) for o in outputs) == 2
    text = "".join(o.get("text", "") + o.get("data", {}).get("text/plain", "") for o in outputs)
    assert "<Grid 63 jobs: quota x21, weighting x3>" in text
    assert "63 jobs, 63 ok" in text
    assert str(SOURCE_DIR) not in "".join(_texts(nb))

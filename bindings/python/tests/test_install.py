"""The README's install path: a venv with --system-site-packages and
pip install --no-index --no-build-isolation of the built package, then
`import techmatch` from elsewhere, solving a market."""
import os
import subprocess
import sys

from conftest import BUILD_DIR


def test_pip_install_into_venv(tmp_path):
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--system-site-packages", "--without-pip",
                    str(venv)], check=True)
    py = venv / "bin" / "python"
    pkg = BUILD_DIR / "bindings" / "python"
    # a copy, so that pip's build folders never land in the build tree
    work = tmp_path / "pkg"
    subprocess.run(["cp", "-r", str(pkg / "techmatch"), str(pkg / "setup.py"), "--target-directory",
                    str(tmp_path)], check=True)
    work.mkdir()
    os.replace(tmp_path / "techmatch", work / "techmatch")
    os.replace(tmp_path / "setup.py", work / "setup.py")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    r = subprocess.run([str(py), "-m", "pip", "install", "--no-index", "--no-build-isolation",
                        "--quiet", str(work)], env=env, capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    code = ("import techmatch, numpy as np;"
            "m = techmatch.Market.from_lists({'a': ['x']}, {'x': ['a']});"
            "mt = m.solve(); assert mt.pairs.tolist() == [[0, 0]] and mt.stable;"
            "print(techmatch.__file__)")
    r = subprocess.run([str(py), "-c", code], env=env, cwd=str(tmp_path), capture_output=True,
                       text=True)
    assert r.returncode == 0, r.stderr
    assert str(venv) in r.stdout, r.stdout  # imported from the venv, not the build tree
    assert (venv / "lib").exists()
    typed = list(venv.glob("lib/python3*/site-packages/techmatch/py.typed"))
    assert typed, "py.typed is installed"

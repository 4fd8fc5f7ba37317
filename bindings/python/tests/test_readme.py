"""Every ```python block of README.md (and of docs/config.md) runs as shown,
from the top of the source tree (in a scratch folder linking its seeds/ and examples/), with the
package of this build."""
import os
import re
import subprocess
import sys

from conftest import BUILD_DIR, SOURCE_DIR


def blocks(name="README.md"):
    text = (SOURCE_DIR / name).read_text(encoding="utf-8")
    return re.findall(r"^```python\n(.*?)^```", text, flags=re.S | re.M)


def test_readme_has_python_blocks():
    assert len(blocks()) >= 3 and len(blocks("docs/config.md")) >= 1


def test_config_doc_python_blocks_run(tmp_path):
    os.symlink(SOURCE_DIR / "seeds", tmp_path / "seeds")
    env = dict(os.environ, PYTHONPATH=str(BUILD_DIR / "bindings" / "python"))
    for i, code in enumerate(blocks("docs/config.md")):
        r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                           capture_output=True, text=True)
        assert r.returncode == 0, f"docs/config.md python block {i}:\n{code}\n{r.stderr}"
        assert "[weights.site]" in r.stdout and "P_DISTANCE=true" in r.stdout


def test_readme_python_blocks_run(tmp_path):
    os.symlink(SOURCE_DIR / "seeds", tmp_path / "seeds")
    os.symlink(SOURCE_DIR / "examples", tmp_path / "examples")
    env = dict(os.environ, PYTHONPATH=str(BUILD_DIR / "bindings" / "python"))
    for i, code in enumerate(blocks()):
        r = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, env=env,
                           capture_output=True, text=True)
        assert r.returncode == 0, f"README python block {i}:\n{code}\n{r.stderr}"
        for want in re.findall(r"# (<[A-Z][^>]*>)", code):  # the reprs shown in comments
            assert want in r.stdout, (i, want, r.stdout)
    assert (tmp_path / "techmatch-out" / "report.md").exists()

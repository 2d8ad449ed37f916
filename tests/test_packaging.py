"""The supported CPython range is stated once and the same everywhere: requires-python,
the version classifiers and the wheels cibuildwheel builds (pyproject.toml), and the
README's install section."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

tomllib = pytest.importorskip("tomllib", reason="tomllib is in the standard library from 3.11")


@pytest.fixture(scope="module")
def project():
    with open(ROOT / "pyproject.toml", "rb") as f:
        return tomllib.load(f)


def minor_range(lo, hi):
    return [(3, m) for m in range(lo[1], hi[1] + 1)]


def test_classifiers_wheels_and_requires_python_agree(project):
    meta = project["project"]
    floor = re.fullmatch(r">=\s*3\.(\d+)", meta["requires-python"])
    assert floor, f"requires-python is not of the form >=3.N: {meta['requires-python']}"
    classified = sorted(
        (3, int(m.group(1)))
        for c in meta["classifiers"]
        if (m := re.fullmatch(r"Programming Language :: Python :: 3\.(\d+)", c))
    )
    assert classified, "no Programming Language :: Python :: 3.N classifier"
    oldest, newest = classified[0], classified[-1]
    assert oldest == (3, int(floor.group(1))), (classified, meta["requires-python"])
    assert classified == minor_range(oldest, newest), f"a gap in the classifiers: {classified}"

    build = project["tool"]["cibuildwheel"]["build"].split()
    wheels = sorted((3, int(re.fullmatch(r"cp3(\d+)-\*", b).group(1))) for b in build)
    assert wheels == classified, f"cibuildwheel builds {build}, the classifiers say {classified}"


def test_readme_states_the_same_range(project):
    classified = [c.rsplit(":: ", 1)[1] for c in project["project"]["classifiers"]
                  if re.fullmatch(r"Programming Language :: Python :: 3\.\d+", c)]
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    stated = re.search(r"CPython (3\.\d+) to (3\.\d+)", readme)
    assert stated, "README.md does not say 'CPython 3.N to 3.M'"
    assert (stated.group(1), stated.group(2)) == (classified[0], classified[-1])


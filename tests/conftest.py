"""Shared fixtures: where the real reports are, and their texts.

The tests import the *installed* govdisclose (run plain `pytest` after
`pip install '.[test]'`), so that its compiled _core is the one under test.
"""
import os
from pathlib import Path

import pytest
from hypothesis import settings

REPO = Path(__file__).resolve().parent.parent
# The tests read English messages unless they ask for Chinese (lang="zh"),
# whatever the locale of the machine (govdisclose.messages).
os.environ["GOVDISCLOSE_LANG"] = "en"

try:
    import govdisclose  # noqa: F401
    import govdisclose._core  # noqa: F401
except ImportError as e:  # pragma: no cover - a setup problem, said clearly
    raise ImportError(
        f"{e}: install the package first (pip install '.[test]') and run plain `pytest`, "
        "not `python -m pytest`, so the installed build is imported"
    ) from e


# In CI (any CI=... but CI=false/0) Hypothesis draws the same examples every run, so a
# failure there reproduces from the commit alone; at a desk it keeps exploring (and
# keeps its failures in .hypothesis/).
settings.register_profile("ci", derandomize=True, database=None, print_blob=True)
if os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
    settings.load_profile("ci")


def corpus_dir() -> Path:
    """The corpus folder: $GOVDISCLOSE_CORPUS, else <repo>/../shared/corpus."""
    env = os.environ.get("GOVDISCLOSE_CORPUS")
    return Path(env) if env else REPO.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """The folder of real reports and gold files.  Missing is a failure, never a skip."""
    path = corpus_dir()
    if not (path / "gold").is_dir():
        pytest.fail(
            f"the test corpus is missing: {path} (with gold/ inside) does not exist. "
            "Tests need the real reports of ../shared/corpus beside the repository, "
            "or GOVDISCLOSE_CORPUS pointing to such a folder.",
            pytrace=False,
        )
    return path


@pytest.fixture(scope="session")
def examples() -> Path:
    return REPO / "examples"


@pytest.fixture(scope="session")
def dazu_bytes(corpus) -> bytes:
    return (corpus / "dazu-gaj-2021.txt").read_bytes()


@pytest.fixture(scope="session")
def dazu_text(dazu_bytes) -> str:
    return dazu_bytes.decode("utf-8")

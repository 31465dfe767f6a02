"""The suite's own machinery, run as pytest runs it: groups kept whole on one xdist
worker (a module's fixtures built once), and the tier clock's listing of long tests."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.demo_databases import SOURCES, source_key

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[2]
CONFTEST = """
from tests.conftest import pytest_collection_modifyitems, pytest_itemcollected  # noqa: F401
pytest_plugins = ["tests.tiers"]
"""
RECORDING_MODULE = """
import json, os, pytest

@pytest.mark.parametrize("n", range(12))
def test_where(n):
    with open({out!r}, "a") as f:
        f.write(json.dumps([__name__, os.environ["PYTEST_XDIST_WORKER"]]) + "\\n")
"""


@pytest.fixture
def project(pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch) -> pytest.Pytester:
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    pytester.makeconftest(CONFTEST)
    pytester.makeini("[pytest]\nmarkers =\n    long(reason): why\n    xdist_group(name): g\n")
    return pytester


@pytest.mark.long(reason="starts pytest with two xdist workers, each importing the project")
def test_each_module_runs_whole_on_one_worker(project: pytest.Pytester) -> None:
    out = project.path / "where.jsonl"
    for name in ("test_first", "test_second"):
        project.makepyfile(**{name: RECORDING_MODULE.format(out=str(out))})

    result = project.runpytest_subprocess("-n", "2", "--dist", "loadgroup", "-p", "no:randomly")

    result.assert_outcomes(passed=24)
    workers: dict[str, set[str]] = {}
    for line in out.read_text().splitlines():
        module, worker = json.loads(line)
        workers.setdefault(module, set()).add(worker)
    assert workers.keys() == {"test_first", "test_second"}
    assert all(len(seen) == 1 for seen in workers.values()), workers


def test_a_long_test_without_a_reason_is_listed(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CMDB_TEST_LONG_S", "0.05")
    project.makepyfile(
        test_slow="""
import time, pytest

def test_unexplained():
    time.sleep(0.1)

@pytest.mark.long(reason="it must")
def test_explained():
    time.sleep(0.1)
"""
    )

    result = project.runpytest("-p", "no:randomly")  # in this process: no start-up to pay

    result.assert_outcomes(passed=2)
    listed = [line for line in result.outlines if "no long mark saying why" in line]
    assert len(listed) == 1 and "test_unexplained" in listed[0], result.outlines
    assert "sqlite: 2 tests" in result.stdout.str()  # a tier line (not under tests/unit)


def test_the_cached_demo_is_rebuilt_when_its_sources_change(tmp_path: Path) -> None:
    for folder in SOURCES:
        (tmp_path / folder / "__pycache__").mkdir(parents=True)
        (tmp_path / folder / "module.py").write_text("A = 1\n")
    first = source_key(tmp_path)

    (tmp_path / "cmdb" / "__pycache__" / "module.cpython-311.pyc").write_bytes(b"\0")
    assert source_key(tmp_path) == first  # compiled files are not sources

    (tmp_path / "migrations" / "module.py").write_text("A = 2\n")
    assert source_key(tmp_path) != first

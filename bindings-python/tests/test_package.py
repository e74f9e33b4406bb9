"""Issue 25: the wheel is ready for PyPI. Its metadata has the license expression and both
license files, the README as long description, the project URLs, keywords and classifiers PyPI
accepts, and `twine check --strict` passes. The wheel is the one test.sh installed
(QFPAY_TEST_WHEEL: the shipped one under make test); twine and trove-classifiers come from
requirements-check.txt, which test.sh installs when it tests the shipped wheel."""

from __future__ import annotations

import email
import os
import subprocess
import sys
import zipfile
from email.message import Message
from pathlib import Path

import pytest

import qfpay

from conftest import REPO

WHEEL = os.environ.get("QFPAY_TEST_WHEEL")
SHIPPED = bool(os.environ.get("QFPAY_ARTIFACTS"))
pytestmark = pytest.mark.skipif(not WHEEL, reason="QFPAY_TEST_WHEEL is set by bindings-python/test.sh")


def _dist_info(z: zipfile.ZipFile) -> str:
    return f"qfpay-{qfpay.__version__}.dist-info"


def _metadata() -> Message:
    assert WHEEL
    with zipfile.ZipFile(WHEEL) as z:
        return email.message_from_bytes(z.read(f"{_dist_info(z)}/METADATA"))


def test_license_files_are_the_repositorys() -> None:
    assert WHEEL
    with zipfile.ZipFile(WHEEL) as z:
        for name in ("LICENSE-MIT", "LICENSE-APACHE"):
            assert z.read(f"{_dist_info(z)}/licenses/{name}") == (REPO / name).read_bytes(), name
    meta = _metadata()
    assert meta["License-Expression"] == "MIT OR Apache-2.0"
    assert sorted(meta.get_all("License-File") or []) == ["LICENSE-APACHE", "LICENSE-MIT"]


def test_readme_is_the_long_description() -> None:
    meta = _metadata()
    assert meta["Description-Content-Type"].startswith("text/markdown")
    body = meta.get_payload()
    assert isinstance(body, str)
    assert body.strip() == (REPO / "bindings-python" / "README.md").read_text("utf-8").strip()
    # Rendered on PyPI: no link may be relative to the repository, and none says "not published".
    assert "](../" not in body and "](docs/" not in body and "not published" not in body.lower()


def test_urls_keywords_classifiers() -> None:
    meta = _metadata()
    urls = dict(u.split(", ", 1) for u in meta.get_all("Project-URL") or [])
    assert set(urls) == {"Homepage", "Documentation", "Repository", "Issues", "Changelog"}
    assert all(u.startswith("https://github.com/qfpay-sdk/qfpay") for u in urls.values())
    assert "payments" in meta["Keywords"]
    classifiers = meta.get_all("Classifier") or []
    assert "Typing :: Typed" in classifiers and "Programming Language :: Python :: 3.11" in classifiers
    try:
        from trove_classifiers import classifiers as known
    except ImportError:
        if SHIPPED:
            raise
        pytest.skip("trove-classifiers is installed with requirements-check.txt (QFPAY_ARTIFACTS)")
    assert [c for c in classifiers if c not in known] == []


def test_twine_check() -> None:
    twine = Path(sys.executable).parent / "twine"
    if not twine.exists():
        if SHIPPED:
            raise AssertionError("twine is missing: test.sh installs requirements-check.txt")
        pytest.skip("twine is installed with requirements-check.txt (QFPAY_ARTIFACTS)")
    proc = subprocess.run([str(twine), "check", "--strict", str(WHEEL)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0 and "PASSED" in proc.stdout, proc.stdout + proc.stderr

"""Open a page in headless Chromium and check what a reader sees: the key sentences, and
no NaN, no "e-07" numbers, no code names with underscores outside code elements."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest

CHROMIUM = shutil.which("chromium") or ("/usr/bin/chromium"
                                        if os.path.exists("/usr/bin/chromium") else None)
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed "
                                    "(Debian package 'chromium'); the browser check needs it")


def chromium(*args: str, user_dir: Path, timeout_s: float = 90) -> subprocess.CompletedProcess:
    return subprocess.run(
        [CHROMIUM, "--headless", "--no-sandbox", "--disable-gpu",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--no-first-run", f"--user-data-dir={user_dir}", *args],
        capture_output=True, text=True, timeout=timeout_s, check=False)


class _Visible(HTMLParser):
    """The text a reader sees, less scripts, styles, code and the charts' own SVG text
    (the charts are checked through their data)."""

    SKIP = {"script", "style", "code", "svg", "title"}

    def __init__(self):
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag in self.SKIP:
            self.depth += 1

    def handle_endtag(self, tag):
        if tag in self.SKIP and self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if not self.depth:
            self.parts.append(data)


def visible_text(page: str) -> str:
    parser = _Visible()
    parser.feed(page)
    return " ".join(" ".join(parser.parts).split())


CODE_NAME = re.compile(r"\b[a-z0-9]+_[a-z0-9_]+\b")
SCIENTIFIC = re.compile(r"\d[eE][-+]0\d")
NAN = re.compile(r"\bnan\b", re.IGNORECASE)


def page_problems(text: str) -> list[str]:
    """What a reader should not see in ``text``."""
    problems = [f"NaN: ...{text[max(m.start() - 60, 0):m.end() + 20]}..."
                for m in NAN.finditer(text)]
    problems += [f"scientific notation: {text[max(m.start() - 40, 0):m.end() + 10]}"
                 for m in SCIENTIFIC.finditer(text)]
    problems += [f"code name: {m.group(0)} in ...{text[max(m.start() - 50, 0):m.end() + 10]}"
                 for m in CODE_NAME.finditer(text) if not m.group(0).endswith(".csv")]
    return problems


def page_checks(path: Path, user_dir: Path, expected: list[str],
                screenshot: Path | None = None) -> str:
    """Render ``path`` in Chromium; assert ``expected`` texts and no problems; return the
    visible text. Writes ``screenshot`` when given."""
    if CHROMIUM is None:
        pytest.skip("Chromium is not installed")
    url = Path(path).resolve().as_uri()
    dom = chromium("--virtual-time-budget=5000", "--dump-dom", url, user_dir=user_dir / "a")
    assert dom.returncode == 0, dom.stderr[-2000:]
    text = visible_text(dom.stdout)
    for sentence in expected:
        assert sentence in text, f"{sentence!r} not on the page {path}"
    assert page_problems(text) == [], path
    if screenshot is not None:
        done = chromium(f"--screenshot={screenshot}", "--window-size=1400,4000", url,
                        user_dir=user_dir / "b")
        assert done.returncode == 0 and screenshot.stat().st_size > 10_000, done.stderr[-2000:]
    return text

#!/usr/bin/env python3
"""Runs every fenced code block of the project's README files (see tests/snippets/README.md).

Standard library only. Each runnable block gets a fresh local sandbox (`qfpay sandbox --port 0`)
whose credentials are in QFPAY_BASE_URL / QFPAY_APP_CODE / QFPAY_CLIENT_KEY, a timeout, and is
reported by file:line. Exit status 1 if any block fails (or is unmarked and cannot be run).

Usage: python3 tests/snippets/run.py [--list] [--only SUBSTRING] [FILE.md ...]
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Optional

ROOT = Path(__file__).resolve().parents[2]
DEFAULT_TIMEOUT = 90.0

# The marker grammar (documented in tests/snippets/README.md).
MARKER_RE = re.compile(r"^\s*<!--\s*snippet:\s*(?P<body>.*?)\s*-->\s*$")
FENCE_RE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")

RUNNABLE = {"python", "py", "js", "javascript", "mjs", "ts", "typescript", "java", "php"}
OUTPUT_LANGS = {"text", "json", "console"}
NOT_RUN_LANGS = {"bash", "sh", "shell", "console", "text", "json", "xml", "toml", "yaml", "kotlin", "kt"}


@dataclass
class Block:
    path: Path
    line: int  # 1-based line of the opening fence
    lang: str
    code: str
    marker: Optional[str]  # the marker body, or None
    marker_line: int = 0

    @property
    def where(self) -> str:
        return f"{self.path.relative_to(ROOT)}:{self.line}"


@dataclass
class Directive:
    kind: str  # "run" | "fragment" | "output"
    covered_by: list[str] = field(default_factory=list)
    customer_pays: bool = False
    timeout: float = DEFAULT_TIMEOUT
    error: Optional[str] = None


def parse_marker(body: Optional[str]) -> Directive:
    if body is None:
        return Directive("run")
    parts = [p.strip() for p in body.split(",")]
    head = parts[0]
    if head == "fragment":
        rest = ",".join(parts[1:]).strip()
        m = re.fullmatch(r"covered by\s+(.+)", rest)
        if not m:
            return Directive("fragment", error="a fragment marker must say `covered by <path>`")
        paths = [p.strip().strip("`") for p in re.split(r"\s*(?:,|\band\b)\s*", m.group(1)) if p.strip()]
        return Directive("fragment", covered_by=paths)
    if head == "output":
        if len(parts) > 1:
            return Directive("output", error="`output` takes no options")
        return Directive("output")
    if head == "run":
        d = Directive("run")
        for opt in parts[1:]:
            if opt == "customer pays":
                d.customer_pays = True
            elif (m := re.fullmatch(r"timeout\s+(\d+(?:\.\d+)?)\s*s?", opt)) is not None:
                d.timeout = float(m.group(1))
            else:
                d.error = f"unknown run option {opt!r} (known: `customer pays`, `timeout N`)"
        return d
    return Directive("run", error=f"unknown snippet marker {body!r} (expected fragment, output or run)")


def extract(path: Path) -> list[Block]:
    lines = path.read_text(encoding="utf-8").splitlines()
    blocks: list[Block] = []
    i = 0
    while i < len(lines):
        m = FENCE_RE.match(lines[i])
        if not m:
            i += 1
            continue
        fence, indent = m.group("fence"), len(m.group("indent"))
        info = m.group("info").strip()
        lang = info.split()[0].split(",")[0].lower() if info else ""
        start = i
        body: list[str] = []
        i += 1
        while i < len(lines):
            close = lines[i].strip()
            if close.startswith(fence[0] * len(fence)) and set(close) == {fence[0]}:
                break
            line = lines[i]
            # Strip the fence's own indentation (list items).
            body.append(line[indent:] if line[:indent].strip() == "" else line.lstrip())
            i += 1
        i += 1
        # The marker is the nearest non-blank line before the fence.
        j = start - 1
        while j >= 0 and lines[j].strip() == "":
            j -= 1
        mm = MARKER_RE.match(lines[j]) if j >= 0 and j == start - 1 else None
        blocks.append(
            Block(path, start + 1, lang, "\n".join(body) + "\n", mm.group("body") if mm else None, j + 1)
        )
    return blocks


def readme_files() -> list[Path]:
    """Every markdown file of the repository: tracked, or new and not ignored by git."""
    out = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "--", "*.md"],
        cwd=ROOT, capture_output=True, text=True, check=True,
    ).stdout.split()
    return sorted({(ROOT / x).resolve() for x in out if (ROOT / x).is_file()})


# ---------------------------------------------------------------- links and prose

LINK_RE = re.compile(r"\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REPO_URL = "https://github.com/qfpay-sdk/qfpay/"


def prose_lines(path: Path) -> list[tuple[int, str]]:
    """The file's lines outside fenced code blocks and HTML comments, numbered from 1."""
    out: list[tuple[int, str]] = []
    fence: Optional[str] = None
    for n, line in enumerate(path.read_text(encoding="utf-8").split("\n"), 1):
        m = FENCE_RE.match(line)
        if fence is None and m:
            fence = m.group("fence")[0] * len(m.group("fence"))
            continue
        if fence is not None:
            if line.strip().startswith(fence) and line.strip().strip(fence[0]) == "":
                fence = None
            continue
        out.append((n, line))
    return out


def check_links(files: list[Path]) -> list[str]:
    """Relative links, and links into this repository on GitHub, must name a file or
    directory that exists (anchors are not checked)."""
    problems = []
    for f in files:
        for n, line in prose_lines(f):
            for m in LINK_RE.finditer(line):
                target = m.group(1)
                if target.startswith(REPO_URL):
                    rest = target[len(REPO_URL):]
                    parts = rest.split("/", 2)
                    if len(parts) < 3 or parts[0] not in ("blob", "tree") or not parts[1] == "main":
                        continue
                    where = ROOT / parts[2].split("#")[0]
                elif re.match(r"^[a-z][a-z0-9+.-]*:", target) or target.startswith("#"):
                    continue
                else:
                    where = f.parent / target.split("#")[0]
                if not where.exists():
                    problems.append(f"{f.relative_to(ROOT)}:{n}: link to a missing file: {target}")
    return problems


def paragraphs(path: Path) -> list[tuple[int, str]]:
    """The file's prose paragraphs (not headings, tables, lists' first markers or code),
    whitespace-normalised, with their first line."""
    out: list[tuple[int, str]] = []
    cur: list[str] = []
    first = 0
    for n, line in prose_lines(path) + [(0, "")]:
        t = line.strip()
        if not t or t.startswith(("#", "|", "<!--")):
            if cur:
                out.append((first, " ".join(cur)))
            cur = []
            continue
        if not cur:
            first = n
        cur.append(t)
    return out


def check_prose(files: list[Path]) -> list[str]:
    """No paragraph of prose (80 characters or more) appears in two files: one home per text."""
    seen: dict[str, str] = {}
    problems = []
    for f in files:
        for n, text in paragraphs(f):
            key = re.sub(r"\s+", " ", text.lstrip("-*0123456789. ")).strip()
            if len(key) < 80:
                continue
            here = f"{f.relative_to(ROOT)}:{n}"
            other = seen.get(key)
            if other is not None and other.split(":")[0] != here.split(":")[0]:
                problems.append(f"{here}: the same paragraph as {other}: link to one home instead")
            else:
                seen.setdefault(key, here)
    return problems


def core_doctests_readme(path: Path) -> bool:
    """True if core's sources include this file as doc-tests (`include_str!` of it)."""
    rel = os.path.relpath(path, ROOT / "core" / "src")
    for src in (ROOT / "core").rglob("*.rs"):
        text = src.read_text(encoding="utf-8", errors="replace")
        if "include_str!" in text and path.name in text:
            for m in re.finditer(r'include_str!\(\s*"([^"]+)"\s*\)', text):
                if (src.parent / m.group(1)).resolve() == path.resolve():
                    return True
    del rel
    return False


# ---------------------------------------------------------------- sandbox


class SandboxProc:
    def __init__(self, binary: Path) -> None:
        self.proc = subprocess.Popen(
            [str(binary), "sandbox", "--port", "0"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
            start_new_session=True,
        )
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        try:
            info = json.loads(line)
        except json.JSONDecodeError:
            self.stop()
            raise RuntimeError(f"sandbox printed {line!r} instead of its JSON line")
        self.base_url: str = info["base_url"]
        self.app_code: str = info["app_code"]
        self.client_key: str = info["client_key"]
        self._stop = threading.Event()
        self._customer: Optional[threading.Thread] = None

    def env(self) -> dict[str, str]:
        return {
            "QFPAY_BASE_URL": self.base_url,
            "QFPAY_APP_CODE": self.app_code,
            "QFPAY_CLIENT_KEY": self.client_key,
        }

    def start_customer(self) -> None:
        """A simulated customer who scans while the merchant waits: every order that the client
        queries (`/trade/v1/query` naming its out_trade_no or syssn) is paid, so a quick start
        that waits for its payment finishes, and an order nobody waits for stays unpaid."""

        def loop() -> None:
            seen: set[tuple[str, str]] = set()
            while not self._stop.wait(0.2):
                try:
                    with urllib.request.urlopen(self.base_url + "/sandbox/requests", timeout=2) as r:
                        entries = json.load(r)["requests"]
                except Exception:
                    continue
                for e in entries:
                    if not str(e.get("path", "")).startswith("/trade/v1/query"):
                        continue
                    form = urllib.parse.parse_qs(str(e.get("body", "")))
                    for key in ("out_trade_no", "syssn"):
                        for value in form.get(key, []):
                            for one in value.split(","):
                                if not one or (key, one) in seen:
                                    continue
                                seen.add((key, one))
                                req = urllib.request.Request(
                                    self.base_url + "/sandbox/pay",
                                    data=json.dumps({key: one}).encode(),
                                    headers={"Content-Type": "application/json"},
                                    method="POST",
                                )
                                try:
                                    urllib.request.urlopen(req, timeout=2).close()
                                except Exception:
                                    pass  # unknown, already paid, closed: nothing to scan

        self._customer = threading.Thread(target=loop, daemon=True)
        self._customer.start()

    def stop(self) -> None:
        self._stop.set()
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()


# ---------------------------------------------------------------- runners


class Failure(Exception):
    pass


def run_cmd(cmd: list[str], *, cwd: Path, env: dict[str, str], timeout: float, what: str) -> str:
    try:
        p = subprocess.run(
            cmd, cwd=cwd, env=env, timeout=timeout, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
            text=True, start_new_session=True,
        )
    except subprocess.TimeoutExpired as e:
        out = e.stdout if isinstance(e.stdout, str) else (e.stdout or b"").decode(errors="replace")
        raise Failure(f"{what}: timed out after {timeout:.0f} s\n{out}")
    except FileNotFoundError as e:
        raise Failure(f"{what}: {e}")
    if p.returncode != 0:
        raise Failure(f"{what}: exit {p.returncode}\n{p.stdout}")
    return p.stdout


class Runners:
    def __init__(self, work: Path) -> None:
        self.work = work
        self._java_cp: Optional[str] = None
        self._node_ready = False

    # python: mypy --strict, then python, with the repository's .venv (bindings-python/test.sh)
    def python(self, b: Block, d: Directive, env: dict[str, str], tmp: Path) -> Optional[str]:
        py = ROOT / ".venv" / "bin" / "python"
        if not py.exists():
            raise Failure("no .venv (bindings-python/test.sh builds it and installs the wheel)")
        f = tmp / "snippet.py"
        f.write_text(b.code)
        run_cmd([str(py), "-m", "mypy", "--strict", "--no-incremental", "--cache-dir", str(tmp / ".mypy"), f.name],
                cwd=tmp, env=env, timeout=d.timeout, what="mypy --strict")
        run_cmd([str(py), f.name], cwd=tmp, env=env, timeout=d.timeout, what="python")
        return None

    def _node_project(self, tmp: Path) -> None:
        pkg = ROOT / "bindings-node"
        if not list(pkg.glob("*.node")):
            raise Failure("bindings-node has no built addon (bindings-node/test.sh builds it)")
        nm = tmp / "node_modules"
        nm.mkdir(exist_ok=True)
        (nm / "qfpay").symlink_to(pkg)
        # Packages a README block may import besides qfpay (express, @types/node...) come from
        # bindings-node's own node_modules.
        for dep in (pkg / "node_modules").iterdir():
            if dep.name != "qfpay" and not (nm / dep.name).exists() and not dep.name.startswith("."):
                (nm / dep.name).symlink_to(dep)

    def js(self, b: Block, d: Directive, env: dict[str, str], tmp: Path) -> Optional[str]:
        self._node_project(tmp)
        f = tmp / "snippet.mjs"
        f.write_text(b.code)
        run_cmd(["node", f.name], cwd=tmp, env=env, timeout=d.timeout, what="node (ES module)")
        return None

    def ts(self, b: Block, d: Directive, env: dict[str, str], tmp: Path) -> Optional[str]:
        self._node_project(tmp)
        tsc = ROOT / "bindings-node" / "node_modules" / ".bin" / "tsc"
        if not tsc.exists():
            raise Failure("bindings-node/node_modules/.bin/tsc missing (bindings-node/test.sh runs npm ci)")
        (tmp / "snippet.mts").write_text(b.code)
        (tmp / "package.json").write_text('{"type": "module", "private": true}\n')
        (tmp / "tsconfig.json").write_text(json.dumps({
            "compilerOptions": {
                "strict": True, "target": "ES2022", "module": "nodenext", "moduleResolution": "nodenext",
                "types": ["node"], "outDir": "out", "skipLibCheck": False,
            },
            "files": ["snippet.mts"],
        }))
        run_cmd([str(tsc), "-p", "."], cwd=tmp, env=env, timeout=d.timeout, what="tsc --strict")
        run_cmd(["node", "out/snippet.mjs"], cwd=tmp, env=env, timeout=d.timeout, what="node")
        return None

    def java_classpath(self) -> str:
        if self._java_cp is None:
            jar = ROOT / "bindings-java" / "target" / "qfpay.jar"
            if not jar.exists():
                raise Failure("bindings-java/target/qfpay.jar missing (bindings-java/test.sh builds it)")
            out = self.work / "java-cp.txt"
            run_cmd(["mvn", "-B", "-q", "-o", "-f", str(ROOT / "bindings-java" / "pom.xml"),
                     "dependency:build-classpath", "-DincludeScope=runtime", f"-Dmdep.outputFile={out}"],
                    cwd=ROOT, env=dict(os.environ), timeout=300, what="mvn dependency:build-classpath")
            deps = out.read_text().strip()
            self._java_cp = str(jar) + (os.pathsep + deps if deps else "")
        return self._java_cp

    def java(self, b: Block, d: Directive, env: dict[str, str], tmp: Path) -> Optional[str]:
        cp = self.java_classpath()
        code = b.code
        m = re.search(r"^\s*public\s+(?:final\s+)?class\s+(\w+)", code, re.M)
        if m and "static void main" in code:
            name = m.group(1)
        else:
            # Statements: imports hoisted, the rest inside main.
            imports = [ln for ln in code.splitlines() if re.match(r"^\s*import\s", ln)]
            body = [ln for ln in code.splitlines() if not re.match(r"^\s*import\s", ln)]
            name = "Snippet"
            code = "\n".join(imports) + "\n\npublic class Snippet {\n    public static void main(String[] args) throws Exception {\n" + \
                "\n".join("        " + ln for ln in body) + "\n    }\n}\n"
        src = tmp / f"{name}.java"
        src.write_text(code)
        run_cmd(["javac", "-Xlint:all", "-Werror", "-cp", cp, "-d", "classes", src.name], cwd=tmp, env=env,
                timeout=d.timeout, what="javac")
        run_cmd(["java", "-cp", "classes" + os.pathsep + cp, name], cwd=tmp, env=env, timeout=d.timeout, what="java")
        return None

    def php(self, b: Block, d: Directive, env: dict[str, str], tmp: Path) -> Optional[str]:
        ext = php_extension()
        if ext is None or shutil.which("php") is None:
            return "skipped: the PHP binding is absent (no qfpay.so built by bindings-php/test.sh)"
        code = b.code if b.code.lstrip().startswith("<?php") else "<?php\n" + b.code
        f = tmp / "snippet.php"
        f.write_text(code)
        run_cmd(["php", "-n", "-l", f.name], cwd=tmp, env=env, timeout=d.timeout, what="php -l")
        run_cmd(["php", "-n", "-d", f"extension={ext}", f.name], cwd=tmp, env=env, timeout=d.timeout, what="php")
        return None


def php_extension() -> Optional[Path]:
    env = os.environ.get("QFPAY_PHP_EXTENSION")
    if env:
        return Path(env)
    if not (ROOT / "bindings-php").is_dir():
        return None
    for cand in [ROOT / "dist" / "php" / "qfpay.so", *sorted((ROOT / "target" / "debug").glob("lib*php*.so")),
                 *sorted((ROOT / "bindings-php").glob("**/qfpay.so"))]:
        if cand.exists():
            return cand
    return None


def runner_for(lang: str, r: Runners) -> Optional[Callable[[Block, Directive, dict[str, str], Path], Optional[str]]]:
    return {
        "python": r.python, "py": r.python,
        "js": r.js, "javascript": r.js, "mjs": r.js,
        "ts": r.ts, "typescript": r.ts,
        "java": r.java, "php": r.php,
    }.get(lang)


# ---------------------------------------------------------------- main


def check_static(b: Block, d: Directive, doctested: bool) -> Optional[str]:
    """Problems found without running the block (None if it is fine)."""
    if d.error:
        return d.error
    if b.lang == "":
        return "untagged fence: give it a language (rustdoc would compile an untagged block as Rust)"
    if d.kind == "fragment":
        if not d.covered_by:
            return "fragment marker without a covering path"
        missing = [p for p in d.covered_by if not (ROOT / p).exists()]
        if missing:
            return f"fragment covered by a path that does not exist: {', '.join(missing)}"
        if b.lang == "rust" and doctested:
            return "rust blocks in this file are doc-tested by core: do not mark them"
        return None
    if d.kind == "output":
        if b.lang not in OUTPUT_LANGS:
            return f"`output` marker on a `{b.lang}` block (only {', '.join(sorted(OUTPUT_LANGS))})"
        return None
    # run
    if b.lang == "rust":
        return None  # doc-tested by core (a warning is printed if core does not include this file)
    if b.lang in RUNNABLE:
        return None
    if b.lang in NOT_RUN_LANGS:
        return (f"`{b.lang}` blocks are not run: mark it `<!-- snippet: fragment, covered by <path> -->`"
                + (" or `<!-- snippet: output -->`" if b.lang in OUTPUT_LANGS else ""))
    return f"no runner for language `{b.lang}`"


def read_pending() -> set[str]:
    """Files whose unmarked blocks are reported, not failed (tests/snippets/pending.txt)."""
    f = ROOT / "tests" / "snippets" / "pending.txt"
    if not f.exists():
        return set()
    return {ln.split("#", 1)[0].strip() for ln in f.read_text().splitlines() if ln.split("#", 1)[0].strip()}


def qfpay_binary() -> Path:
    """The sandbox binary: $QFPAY_SANDBOX_BIN, else `cargo build -p qfpay-cli`'s target/debug/qfpay."""
    env = os.environ.get("QFPAY_SANDBOX_BIN")
    if env:
        return Path(env)
    b = ROOT / "target" / "debug" / "qfpay"
    if subprocess.run(["cargo", "build", "-q", "-p", "qfpay-cli"], cwd=ROOT).returncode != 0:
        if not b.exists():
            raise SystemExit("cargo build -p qfpay-cli failed and there is no target/debug/qfpay")
        print("WARN cargo build -p qfpay-cli failed: using the existing target/debug/qfpay", flush=True)
    return b


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("files", nargs="*", type=Path)
    ap.add_argument("--list", action="store_true", help="list the blocks and what happens to each, run nothing")
    ap.add_argument("--only", help="run only blocks whose file:line contains this")
    ap.add_argument("--lang", action="append", help="run only blocks of this info string (repeatable)")
    args = ap.parse_args()

    files = [p.resolve() for p in args.files] or readme_files()
    blocks = [b for f in files for b in extract(f)]
    # Links and prose are checked over every markdown file, whichever files' blocks run.
    every = readme_files()
    doc_problems = check_links(every) + check_prose(every)
    for problem in doc_problems:
        print(f"FAIL {problem}", flush=True)
    if args.only:
        blocks = [b for b in blocks if args.only in b.where]
    if args.lang:
        blocks = [b for b in blocks if b.lang in args.lang]

    pending_files = read_pending()
    pending: list[tuple[Block, str]] = []
    failures: list[tuple[Block, str]] = []
    counts = {"ran": 0, "fragment": 0, "output": 0, "rust (doc-tested)": 0, "skipped": 0}
    doctested_cache: dict[Path, bool] = {}
    todo: list[tuple[Block, Directive]] = []
    for b in blocks:
        d = parse_marker(b.marker)
        doctested = doctested_cache.setdefault(b.path, core_doctests_readme(b.path))
        problem = check_static(b, d, doctested)
        if problem:
            rel = str(b.path.relative_to(ROOT))
            (pending if rel in pending_files else failures).append((b, problem))
            continue
        if d.kind == "fragment":
            counts["fragment"] += 1
        elif d.kind == "output":
            counts["output"] += 1
        elif b.lang == "rust":
            counts["rust (doc-tested)"] += 1
            if not doctested:
                print(f"WARN {b.where}: rust block, but no `include_str!` of {b.path.name} in core/ doc-tests it yet",
                      flush=True)
        else:
            todo.append((b, d))
        if args.list:
            print(f"{b.where}: {b.lang}: {d.kind}" + (f" ({', '.join(d.covered_by)})" if d.covered_by else ""))

    if args.list:
        for b, problem in pending:
            print(f"{b.where}: {b.lang or '(untagged)'}: PENDING (tests/snippets/pending.txt): {problem}")
        for b, problem in failures:
            print(f"{b.where}: {b.lang or '(untagged)'}: PROBLEM: {problem}")
        return 1 if failures or doc_problems else 0

    if todo:
        binary = qfpay_binary()
        work = Path(tempfile.mkdtemp(prefix="qfpay-snippets-"))
        runners = Runners(work)
        try:
            for n, (b, d) in enumerate(todo):
                fn = runner_for(b.lang, runners)
                assert fn is not None
                tmp = work / f"{n:03d}-{b.path.stem}-{b.line}"
                tmp.mkdir()
                started = time.monotonic()
                sandbox = SandboxProc(binary)
                env = dict(os.environ)
                for k in list(env):
                    if k.startswith("QFPAY_"):
                        del env[k]
                env.update(sandbox.env())
                if d.customer_pays:
                    sandbox.start_customer()
                try:
                    note = fn(b, d, env, tmp)
                except Failure as e:
                    failures.append((b, str(e)))
                    print(f"FAIL {b.where} ({b.lang}, {time.monotonic() - started:.1f} s)", flush=True)
                    continue
                finally:
                    sandbox.stop()
                if note:
                    counts["skipped"] += 1
                    print(f"SKIP {b.where} ({b.lang}): {note}", flush=True)
                else:
                    counts["ran"] += 1
                    print(f"ok   {b.where} ({b.lang}, {time.monotonic() - started:.1f} s)", flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)

    for b, problem in failures:
        print(f"\n{b.where}: {b.lang or '(untagged)'} block failed (line N of snippet.* is "
              f"{b.path.relative_to(ROOT)}:{b.line}+N):\n  " + problem.rstrip().replace("\n", "\n  "),
              file=sys.stderr)
    for b, problem in pending:
        print(f"PENDING {b.where}: {b.lang or '(untagged)'}: {problem}")
    if pending:
        print(f"{len(pending)} unmarked blocks in files listed in tests/snippets/pending.txt "
              "(not failures until their owners mark them; remove a file from the list once it is clean)")
    stale = [] if (args.lang or args.only or args.files) else sorted(
        f for f in pending_files if not any(str(b.path.relative_to(ROOT)) == f for b, _ in pending))
    for f in stale:
        print(f"NOTE {f} is clean: remove it from tests/snippets/pending.txt")
    summary = ", ".join(f"{v} {k}" for k, v in counts.items())
    print(f"\nsnippets: {len(blocks)} blocks in {len(files)} files: {summary}, {len(pending)} pending, "
          f"{len(failures)} failed")
    return 1 if failures or doc_problems else 0


if __name__ == "__main__":
    signal.signal(signal.SIGINT, signal.default_int_handler)
    sys.exit(main())

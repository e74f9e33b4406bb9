#!/usr/bin/env python3
"""Checks that every artifact's cargo build resolves the same features for every dependency.

Cargo unifies features only across the packages one command builds, so the CLI, the Node addon,
the JVM library, the PHP extension and the Python wheel, each built by its
own command, would each compile the shared dependency tree again when one of them turns on one
more feature of a shared crate (syn, serde_core, tracing-core...). tools/workspace-hack (managed
by `cargo hakari`) turns on the union for all of them. This fails, naming the crates, when a new
dependency makes the selections differ again: run `cargo hakari generate` (cargo install
cargo-hakari) and commit the result. Reads `cargo tree` only; builds nothing. (The debug tree of
`cargo test --workspace` and the uniffi-bindgen build tool are not artifacts and may differ.)
"""

import json
import re
import subprocess
import sys

# What each artifact's build selects (scripts/dist.sh, the bindings' dist.sh and pom.xml).
SELECTIONS = {
    "cli": ["-p", "qfpay-cli"],
    "node": ["-p", "qfpay-node"],
    "jvm": ["-p", "qfpay-jvm"],
    "php": ["-p", "qfpay-php", "--features", "qfpay-php/php"],
    "python": ["-p", "qfpay-python"],
}
LINE = re.compile(r"(\S+) (v\S+)(?: \([^)]*\))* \[(.*)\]")


def features(args: list[str]) -> dict[tuple[str, str], str]:
    out = subprocess.run(
        ["cargo", "tree", "-q", "-e", "normal,build", "--prefix", "none", "-f", "{p} [{f}]", *args],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    found = {}
    for line in out.splitlines():
        m = LINE.match(line.replace(" (*)", "").strip())
        if m:
            found[(m.group(1), m.group(2))] = m.group(3)
    return found


def members() -> set[str]:
    meta = subprocess.run(
        ["cargo", "metadata", "-q", "--no-deps", "--format-version", "1"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    return {p["name"] for p in json.loads(meta)["packages"]}


def main() -> int:
    ours = members()
    resolved = {name: features(args) for name, args in SELECTIONS.items()}
    base = resolved["cli"]
    problems = []
    for name, found in resolved.items():
        for crate, feats in sorted(found.items()):
            if crate[0] not in ours and crate in base and base[crate] != feats:
                problems.append(f"{name}: {crate[0]} {crate[1]} [{feats}], cli [{base[crate]}]")
    if problems:
        print("artifacts resolve different features (each would compile its own copy):", file=sys.stderr)
        print("\n".join("  " + p for p in problems), file=sys.stderr)
        print("fix: cargo hakari generate && cargo hakari manage-deps", file=sys.stderr)
        return 1
    crates = len(set().union(*resolved.values()))
    print(f"one feature set for {crates} crates across {', '.join(SELECTIONS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

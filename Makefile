# The two commands a newcomer needs:
#   make demo   the whole story on an embedded sandbox (create a WeChat QR payment, scan, notify, refund)
#   make test   every test in every language (Rust, Python, Node, JVM, PHP), the README snippets,
#               make dist and the install tests of dist/
# Packaging:
#   make dist      every distributable for this machine's target into dist/ (scripts/dist.sh)
#   make dist-all  dist (with the Dokka -javadoc jar) plus the cross targets: linux-aarch64 (wheel,
#                  npm, the jar's library, CLI), musl (static CLIs, npm x64); by hand, not by make
#                  test; its result is in BENCHMARKS.md (scripts/dist-all.sh)
.PHONY: demo test test-rust test-python test-node test-jvm test-php test-snippets test-install dist dist-all bench bench-transactions sandbox

demo:
	cargo run -q -p qfpay-cli -- demo

test:
	bash scripts/test-all.sh

test-rust:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo test --workspace
	cargo run -q -p qfpay-surface -- --check

test-python:
	bash bindings-python/test.sh

test-node:
	bash bindings-node/test.sh

test-jvm:
	bash bindings-java/test.sh

test-php:
	bash bindings-php/test.sh

test-snippets:
	python3 tests/snippets/run.py

test-install:
	bash tests/install/run.sh dist

dist:
	bash scripts/dist.sh dist

dist-all:
	bash scripts/dist-all.sh dist

sandbox:
	cargo run -q -p qfpay-cli -- sandbox

bench:
	bash bench/run.sh

# Every transaction of a seeded year of 100,000 records, SDK against a hand-written loop, per language.
bench-transactions:
	BENCH_SUITE=transactions bash bench/run.sh

# The two commands a newcomer needs:
#   make demo   the whole story on an embedded sandbox (create a WeChat QR payment, scan, notify, refund)
#   make test   every test in every language (Rust, Python, Node, JVM)
.PHONY: demo test test-rust test-python test-node test-jvm bench sandbox

demo:
	cargo run -q -p qfpay-cli -- demo

test:
	bash scripts/test-all.sh

test-rust:
	cargo fmt --all -- --check
	cargo clippy --workspace --all-targets -- -D warnings
	cargo test --workspace

test-python:
	bash bindings-python/test.sh

test-node:
	bash bindings-node/test.sh

test-jvm:
	bash bindings-java/test.sh

sandbox:
	cargo run -q -p qfpay-cli -- sandbox

bench:
	bash bench/run.sh

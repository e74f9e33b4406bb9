//! `cargo run -p uniffi-bindgen -- generate ...`: uniffi's generator, pinned to this workspace.
fn main() {
    uniffi::uniffi_bindgen_main()
}

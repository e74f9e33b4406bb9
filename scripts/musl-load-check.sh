#!/usr/bin/env bash
# scripts/musl-load-check.sh ADDON: loads a Node addon built for musl (dist-all's linux-x64-musl
# package) with musl's own dynamic loader, as Alpine's node would, with its napi_* imports (which
# node itself provides) stubbed: every other import must resolve in musl's libc, and the addon
# must export napi_register_module_v1. Needs musl-gcc (Debian's musl-tools). No musl Node runs
# here, so this is as far as the addon can be checked; a glibc addon fails it (libc.so.6,
# libgcc_s.so.1 not found).
set -euo pipefail
addon=$1
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
{
  echo '#include <stdlib.h>'
  nm -D --undefined-only "$addon" | awk '$1 == "U" {print $2}' | grep '^napi_' | sort -u |
    sed 's/.*/void &(void) { abort(); }/'
} >"$work/napi.c"
musl-gcc -shared -fPIC -o "$work/libnapi.so" "$work/napi.c"
cat >"$work/load.c" <<'C'
#include <dlfcn.h>
#include <stdio.h>
int main(int argc, char **argv) {
  if (argc != 3 || !dlopen(argv[1], RTLD_NOW | RTLD_GLOBAL)) { fprintf(stderr, "napi stubs: %s\n", dlerror()); return 1; }
  void *addon = dlopen(argv[2], RTLD_NOW);
  if (!addon) { fprintf(stderr, "%s\n", dlerror()); return 1; }
  if (!dlsym(addon, "napi_register_module_v1")) { fprintf(stderr, "no napi_register_module_v1\n"); return 1; }
  puts("loaded by musl's dynamic loader: every import resolved, napi_register_module_v1 exported");
  return 0;
}
C
musl-gcc -o "$work/load" "$work/load.c"
"$work/load" "$work/libnapi.so" "$addon"

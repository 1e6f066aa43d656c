#!/usr/bin/env bash
# Builds the tierbench container image offline, from what is on this machine: FROM scratch with the
# binary, the shared libraries it loads (ldd), the dynamic loader, and the profiles. No base image
# is pulled. Runs as user 65532 (a raw device opened by that user needs to be its; see README).
#   image/build.sh [BINARY] [TAG]     default: .build/release/tierbench, tierbench:<version>
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${1:-.build/release/tierbench}
[ -x "$BIN" ] || { echo "image/build.sh: $BIN is not an executable; build it first (swift build -c release)" >&2; exit 1; }
VERSION=$("$BIN" --version)
TAG=${2:-tierbench:$VERSION}
if command -v podman >/dev/null; then ENGINE=(podman); BUILD=(podman build --network=none)
elif command -v docker >/dev/null && docker info >/dev/null 2>&1; then ENGINE=(docker); BUILD=(docker build --network=none)
else echo "image/build.sh: neither podman nor a running docker; install podman (apt-get install podman runc)" >&2; exit 1; fi
CONTEXT=$(mktemp -d)
trap 'rm -rf "$CONTEXT"' EXIT
ROOT=$CONTEXT/rootfs
mkdir -p "$ROOT/usr/bin" "$ROOT/usr/share/tierbench" "$ROOT/etc" "$ROOT/tmp"
chmod 1777 "$ROOT/tmp"
cp "$BIN" "$ROOT/usr/bin/tierbench"
cp -r profiles "$ROOT/usr/share/tierbench/profiles"
# The library closure: every path ldd resolves (the Swift runtime under /opt/swift too), and the loader.
ldd "$BIN" | awk '/=> \// {print $3} /^[[:space:]]*\/.*ld-linux/ {print $1}' | sort -u | while read -r lib; do
  mkdir -p "$ROOT$(dirname "$lib")"
  cp -L "$lib" "$ROOT$lib"
done
echo "root:x:0:0::/:/nonexistent" > "$ROOT/etc/passwd"
echo "tierbench:x:65532:65532::/:/nonexistent" >> "$ROOT/etc/passwd"
printf 'root:x:0:\ntierbench:x:65532:\n' > "$ROOT/etc/group"
cat > "$CONTEXT/Containerfile" <<CONTAINERFILE
FROM scratch
COPY rootfs/ /
USER 65532:65532
ENTRYPOINT ["/usr/bin/tierbench"]
CONTAINERFILE
"${BUILD[@]}" -t "$TAG" -f "$CONTEXT/Containerfile" "$CONTEXT" >&2
echo "$TAG"

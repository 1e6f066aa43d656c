#!/usr/bin/env bash
# zones at scale: 50 zones x 4 volumes. Renders the 401 manifests and merges 200 volumes' results
# (every volume's result is one real run of the default suite on a temporary file), timed in a
# release build. Usage: bash Benchmarks/zones-scale.sh [ZONES] [PER_ZONE]
set -euo pipefail
cd "$(dirname "$0")/.."
WORK=$(mktemp -d /var/tmp/tierbench-zones-scale-XXXXXX)
trap 'rm -rf "$WORK"' EXIT
swift build -c release --product tierbench >/dev/null
swift build -c release --package-path Benchmarks/ZonesScale >/dev/null
.build/release/tierbench run --target "$WORK" --runtime 2s --ramp-time 0 --output-format json --output "$WORK/run.json" --progress never >/dev/null
Benchmarks/ZonesScale/.build/release/ZonesScale "$WORK/run.json" "${1:-50}" "${2:-4}"
# The whole command, process start included.
printf 'apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: gp3}\nprovisioner: ebs.csi.aws.com\nvolumeBindingMode: WaitForFirstConsumer\nparameters: {type: gp3}\n' > "$WORK/gp3.yaml"
ZONES=$(seq -s, -f 'zone-%g' 1 "${1:-50}")
for i in 1 2 3; do
  s=$(date +%s%N)
  .build/release/tierbench zones render -f "$WORK/gp3.yaml" --class gp3 --size 100Gi --zones "$ZONES" --per-zone "${2:-4}" > "$WORK/render.yaml"
  e=$(date +%s%N)
  echo "tierbench zones render (process, $(grep -c '^kind: ' "$WORK/render.yaml") objects): $(( (e - s) / 1000000 )) ms"
done

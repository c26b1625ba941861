#!/usr/bin/env bash
# Sets up .venv/ and analyses the sample clip kept in the repo: the main job, end to end.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
exec .venv/bin/formcheck analyze samples/track_sprint_broadcast_multi.mp4 --out out/demo "$@"

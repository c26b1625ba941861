#!/usr/bin/env bash
# Sets up .venv/ and runs the main job on the samples kept in the repo: a running clip, the run that
# hurt (FIT), a lifting log (Strong CSV) and the runner's answers -> out/demo/report.html.
# Re-runnable: out/demo (written by formcheck) is replaced, and the demo's own store (out/demo.db,
# never your real one) is imported into idempotently.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
mkdir -p out
exec .venv/bin/formcheck check samples/outdoor_side_grass_short.mp4 \
  --runs samples/demo_run_hilly_2013-02-06.fit \
  --lifts samples/demo_lifts_strong.csv \
  --answers samples/answers.toml \
  --db "sqlite:///$PWD/out/demo.db" \
  --out out/demo "$@"

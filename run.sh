#!/usr/bin/env bash
# Sets up .venv/ and runs the main job on the samples kept in the repo: a running clip, the run that
# hurt (FIT), a lifting log (Strong CSV) and the runner's answers -> out/demo/report.html.
# Re-runnable: out/demo (written by formcheck) is replaced, and the demo's own store (out/demo.db,
# never your real one) is imported into idempotently.
set -euo pipefail
cd "$(dirname "$0")"
bash scripts/setup.sh
mkdir -p out
# The clip: the 6.5-s side-view gym treadmill clip of ../shared/data when it is beside the repo (16 strides;
# no licence to keep it here), else the 1.7-s BSD-licensed clip kept in samples/ (1.5 strides: posture
# drift cannot be judged from it). See samples/README.md.
clip=samples/outdoor_side_grass_short.mp4
shared_clip=../shared/data/videos/treadmill_side_gym_portrait_60fps.mp4
if [ -f "$shared_clip" ]; then clip=$shared_clip; fi
exec .venv/bin/formcheck check "$clip" \
  --runs samples/demo_run_hilly_2013-02-06.fit \
  --lifts samples/demo_lifts_strong.csv \
  --answers samples/answers.toml \
  --db "sqlite:///$PWD/out/demo.db" \
  --out out/demo "$@"

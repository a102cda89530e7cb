#!/usr/bin/env bash
# A sweep on a Slurm cluster: each array task runs its share of the combinations into a project
# of its own; after the array, one job merges the shards (docs/cluster.md).
#
#   sbatch --array=0-15 resources/slurm/sweep-array.sh study.json results/
#   sbatch --dependency=afterok:<array job id> --wrap 'lagrange merge results/all.lsproj results/shard-*.lsproj'
#
#SBATCH --job-name=lagrange-sweep
#SBATCH --cpus-per-task=2
#SBATCH --mem=4G
#SBATCH --time=02:00:00
set -euo pipefail
study=${1:?usage: sweep-array.sh STUDY.json OUT_DIR}
out=${2:?usage: sweep-array.sh STUDY.json OUT_DIR}
task=${SLURM_ARRAY_TASK_ID:?run as a Slurm array job (sbatch --array=0-N)}
count=${SLURM_ARRAY_TASK_COUNT:?run as a Slurm array job (sbatch --array=0-N)}
mkdir -p "$out"
# Shards are numbered 1…n; array tasks 0…n−1.
lagrange sweep "$study" --shard "$((task + 1))/$count" --project "$out/shard-$task.lsproj" \
  --out "$out/shard-$task"

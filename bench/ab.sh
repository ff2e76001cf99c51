#!/usr/bin/env bash
# Same-run A/B of two revisions of the service: builds each revision's jar in a git worktree
# under /tmp, then runs bench/run.sh (this tree's bench, a fresh database each run) against A and
# B alternately, PAIRS times (A B, B A, A B, ...: a drift of the machine's speed during the runs
# does not favour one side), and prints rec/s per scenario, B/A per pair and the median of B/A.
# See docs/performance.md ("A/B of two revisions").
#
#   bench/ab.sh main HEAD                                  # 3 pairs of bench/run.sh as is (~1.6 h)
#   RECORDS=200000 SCENARIOS=copy,batch,single bench/ab.sh v1 v2
#   PAIRS=5 bench/ab.sh main . senders=8                   # "." = this working tree as it is
#
# Arguments: REV_A REV_B (anything git rev-parse takes, or "."), then key=value settings of the
# bench (appended to BENCH_ARGS). Settings (environment): PAIRS (3), AB_DIR (bench/target/ab:
# the jars, each run's table and log, ab.md), and every setting of bench/run.sh (RECORDS,
# SCENARIOS, PORT, DB...), which applies to both A and B.
# Exit status: 0 if every run's verification passed.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ $# -lt 2 ]; then
  sed -n '2,16p' "$0" | sed 's/^# \{0,1\}//'
  exit 2
fi
rev_a=$1
rev_b=$2
shift 2
extra="$*"
PAIRS=${PAIRS:-3}
AB_DIR=${AB_DIR:-$root/bench/target/ab}
mkdir -p "$AB_DIR"
trees=()
cleanup() {
  for t in "${trees[@]}"; do git worktree remove --force "$t" >/dev/null 2>&1 || rm -rf "$t"; done
}
trap cleanup EXIT

mvn_offline_first() { ./mvnw -B -q -o "$@" || ./mvnw -B -q "$@"; }

# build NAME REV: the service jar of REV at $AB_DIR/NAME.jar; sets label (what it was built from).
# Not in a subshell: the worktree must reach the cleanup's list.
label=
build() {
  local name=$1 rev=$2 commit tree
  if [ "$rev" = . ]; then
    (mvn_offline_first package -DskipTests >&2)
    cp "$(ls target/tally-*.jar | grep -v original | head -n 1)" "$AB_DIR/$name.jar"
    label="working tree ($(git rev-parse --short HEAD)$(git diff --quiet HEAD || echo ' + uncommitted changes'))"
    return
  fi
  commit=$(git rev-parse --verify "$rev^{commit}")
  tree=$(mktemp -d "/tmp/tally-ab-$name.XXXXXX")
  trees+=("$tree")
  git worktree add --detach "$tree" "$commit" >/dev/null 2>&1
  (cd "$tree" && mvn_offline_first package -DskipTests >&2)
  cp "$(ls "$tree"/target/tally-*.jar | grep -v original | head -n 1)" "$AB_DIR/$name.jar"
  label="$rev ($(git rev-parse --short "$commit"))"
}

echo "Building A and B, and the bench (this tree's, the same for both)..."
build A "$rev_a"
label_a=$label
build B "$rev_b"
label_b=$label
mvn_offline_first -f bench/pom.xml package -DskipTests
echo "A: $label_a"
echo "B: $label_b"

# Each run's table: the rows whose throughput is a measured rate ("N rec/s", "N rows/s" or, the
# wrk-driven single scenario, "N created/s").
rates() { # results.md -> "scenario<TAB>rate" lines
  awk -F' [|] ' '/^\| / && ($2 ~ / rec\/s$/ || $2 ~ / rows\/s$/ || $2 ~ / created\/s$/) {
    name = substr($1, 3); sub(/ \(.*/, "", name)
    rate = $2; sub(/ .*/, "", rate); gsub(/,/, "", rate)
    print name "\t" rate }' "$1"
}

status=0
: >"$AB_DIR/rates.tsv"
for n in $(seq 1 "$PAIRS"); do
  order="A B"
  [ $((n % 2)) = 0 ] && order="B A"
  for v in $order; do
    echo "--- pair $n, $v"
    out=$AB_DIR/$v-$n.md
    rm -f "$out"
    if ! JAR="$AB_DIR/$v.jar" BUILD_BENCH=0 BENCH_ARGS="${BENCH_ARGS:-} $extra out=$out" bench/run.sh \
        >"$AB_DIR/$v-$n.log" 2>&1; then
      echo "  run $v-$n failed its verification or did not finish; see $AB_DIR/$v-$n.log"
      status=1
    fi
    cp bench/target/service.log "$AB_DIR/$v-$n.service.log" 2>/dev/null || true
    [ -f "$out" ] && rates "$out" | sed "s/^/$n\t$v\t/" >>"$AB_DIR/rates.tsv"
  done
done

# pair, variant, scenario, rate -> per scenario: A, B, B/A per pair, then the median of B/A.
{
  echo "A: $label_a"
  echo "B: $label_b"
  echo
  echo "| scenario | pair | A rec/s | B rec/s | B/A |"
  echo "|---|---|---|---|---|"
  awk -F'\t' '
    { key = $3; if (!(key in seen)) { seen[key] = 1; order[++k] = key }
      rate[$1, $2, key] = $4; if ($1 > pairs) pairs = $1 }
    function median(a, m,   i, j, t) {
      for (i = 2; i <= m; i++) for (j = i; j > 1 && a[j-1] > a[j]; j--) { t = a[j]; a[j] = a[j-1]; a[j-1] = t }
      return m % 2 ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
    }
    END {
      for (s = 1; s <= k; s++) {
        key = order[s]; m = 0; delete r
        for (p = 1; p <= pairs; p++) {
          a = rate[p, "A", key]; b = rate[p, "B", key]
          ratio = (a > 0 && b != "") ? sprintf("%.3f", b / a) : "-"
          if (ratio != "-") r[++m] = b / a
          printf "| %s | %d | %s | %s | %s |\n", key, p, a == "" ? "-" : a, b == "" ? "-" : b, ratio
        }
        printf "| %s | median | | | %s |\n", key, m ? sprintf("%.3f", median(r, m)) : "-"
      }
    }' "$AB_DIR/rates.tsv"
} | tee "$AB_DIR/ab.md"
echo
echo "Table also in $AB_DIR/ab.md; each run's table and logs in $AB_DIR"
exit $status

#!/usr/bin/env python3
"""summarize.py FILE...: copy-bench.sh lines grouped by (target, mode, writers): the range of
rows/s, and CPU microseconds per row of the writers' own backends (on Citus: the coordinator)
and of the worker nodes (summed over both workers)."""
import re, sys
from collections import defaultdict

groups = defaultdict(list)
for path in sys.argv[1:]:
    for line in open(path):
        m = re.match(r'(\w+)\s+(\w+)\s+writers=(\d+) rows=(\d+) wall=([\d.]+)s rows/s=(\d+) cpu:(.*) load1=([\d.]+)', line)
        if not m:
            continue
        target, mode, writers, rows, wall, rate, cpu, load = m.groups()
        rows = int(rows)
        backend = sum(float(v) for v in re.findall(r'backend_p\d+=([\d.]+)s', cpu))
        workers = sum(float(v) for v in re.findall(r'worker\d+=([\d.]+)s', cpu))
        groups[(target, mode, int(writers))].append((int(rate), backend * 1e6 / rows, workers * 1e6 / rows, float(load)))

print(f"{'target':6} {'mode':16} {'wr':>2} {'n':>2} {'rows/s min-max (median)':>26} {'backend us/row':>15} {'workers us/row':>15} {'load1':>9}")
for (target, mode, writers), runs in sorted(groups.items(), key=lambda kv: (kv[0][1], kv[0][2], kv[0][0])):
    rates = sorted(r[0] for r in runs)
    med = rates[len(rates) // 2]
    b = sorted(r[1] for r in runs); w = sorted(r[2] for r in runs); l = sorted(r[3] for r in runs)
    wtxt = f"{w[0]:.1f}-{w[-1]:.1f}" if target == 'citus' else '-'
    print(f"{target:6} {mode:16} {writers:>2} {len(runs):>2} {rates[0]:>9}-{rates[-1]:<7} ({med:>7}) {b[0]:>6.1f}-{b[-1]:<6.1f}  {wtxt:>15} {l[0]:.1f}-{l[-1]:.1f}")

#!/usr/bin/env bash
# participants.sh: how many 2PC participants one 10,000-row COPY into record_ids (32 shards over
# 2 workers) has in each citus.multi_shard_modify_mode: COPY commands sent and PREPARE
# TRANSACTIONs issued, from citus.log_remote_commands. Input: gen-data.sh. Truncates record_ids.
set -euo pipefail
DATA="${DATA:-/tmp/citus-bench/data}"
for mode in parallel sequential; do
  psql -X -h 127.0.0.1 -p 5441 -U postgres -d citus_scratch -v ON_ERROR_STOP=1 -c "TRUNCATE record_ids" -c "BEGIN" \
    -c "SET LOCAL citus.multi_shard_modify_mode = '$mode'" -c "SET LOCAL citus.log_remote_commands = on" \
    -c "SET LOCAL client_min_messages = notice" \
    -c "\\copy record_ids FROM '$DATA/p1_t0.ids.bin' WITH (FORMAT binary)" -c "COMMIT" 2>&1 \
    | awk -v m="$mode" '/PREPARE TRANSACTION/{p++} /issuing COPY/{c++} END{print m ": " c " COPY commands to shards, " p " PREPARE TRANSACTION"}'
done

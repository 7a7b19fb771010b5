#!/bin/sh
# Tells cc-backend that a Slurm job started (POST /api/jobs/start_job/).
#
# Install as PrologSlurmctld in slurm.conf, which runs once per job on the
# controller (a node Prolog would run on every node of the job), with
# cc_common.sh beside it. Settings: see cc_common.sh. Uses SLURM_JOB_ID,
# SLURM_JOB_USER, SLURM_JOB_ACCOUNT, SLURM_JOB_PARTITION, SLURM_CLUSTER_NAME,
# SLURM_JOB_NODELIST (expanded with `scontrol show hostnames`), SLURM_JOB_NUM_NODES,
# SLURM_JOB_CPUS_PER_NODE, SLURM_JOB_NAME, SLURM_ARRAY_JOB_ID, SLURM_JOB_START_TIME
# and SLURM_JOB_END_TIME where Slurm sets them.

cc_script=prolog
# shellcheck source=cc_common.sh
. "$(dirname "$0")/cc_common.sh"
cc_setup

# "72(x2),36" -> 180; nothing when the value has another form.
cpu_count() {
	total=0
	for part in $(printf '%s' "$1" | tr ',' ' '); do
		count=${part%%(*}
		times=1
		case $part in *"(x"*")") times=${part#*(x} times=${times%)} ;; esac
		cc_is_uint "$count" && cc_is_uint "$times" || return 0
		total=$((total + count * times))
	done
	[ "$total" -gt 0 ] && printf '%s' "$total"
}

nodelist=${SLURM_JOB_NODELIST:-}
[ -n "$nodelist" ] || cc_fail "SLURM_JOB_NODELIST is not set"
if command -v scontrol >/dev/null 2>&1; then
	hosts=$(scontrol show hostnames "$nodelist") || cc_fail "scontrol cannot expand '$nodelist'"
else
	case $nodelist in *'['*) cc_fail "cannot expand '$nodelist' without scontrol" ;; esac
	hosts=$(printf '%s\n' "$nodelist" | tr ',' '\n')
fi

resources=""
count=0
for host in $hosts; do
	resources="$resources${resources:+,}{\"hostname\":$(cc_json_string "$host")}"
	count=$((count + 1))
done
[ "$count" -gt 0 ] || cc_fail "no hosts in '$nodelist'"
if cc_is_uint "${SLURM_JOB_NUM_NODES:-}" && [ "$SLURM_JOB_NUM_NODES" -ne "$count" ]; then
	cc_log "warning: SLURM_JOB_NUM_NODES=$SLURM_JOB_NUM_NODES but '$nodelist' has $count hosts"
fi

start=${SLURM_JOB_START_TIME:-}
cc_is_uint "$start" || start=$(date +%s)

body="{\"jobId\":$SLURM_JOB_ID"
body="$body,\"user\":$(cc_json_string "${SLURM_JOB_USER:-}")"
body="$body,\"project\":$(cc_json_string "${SLURM_JOB_ACCOUNT:-}")"
body="$body,\"cluster\":$(cc_json_string "$cc_cluster")"
[ -n "${SLURM_JOB_PARTITION:-}" ] &&
	body="$body,\"partition\":$(cc_json_string "$SLURM_JOB_PARTITION")"
cc_is_uint "${SLURM_ARRAY_JOB_ID:-}" && body="$body,\"arrayJobId\":$SLURM_ARRAY_JOB_ID"
cpus=$(cpu_count "${SLURM_JOB_CPUS_PER_NODE:-}")
[ -n "$cpus" ] && body="$body,\"numHwthreads\":$cpus"
if cc_is_uint "${SLURM_JOB_END_TIME:-}" && [ "$SLURM_JOB_END_TIME" -gt "$start" ]; then
	body="$body,\"walltime\":$((SLURM_JOB_END_TIME - start))"
fi
body="$body,\"numNodes\":$count,\"resources\":[$resources],\"startTime\":$start"
[ -n "${SLURM_JOB_NAME:-}" ] &&
	body="$body,\"metaData\":{\"jobName\":$(cc_json_string "$SLURM_JOB_NAME")}"
printf '%s}\n' "$body" >"$cc_tmp/request"

cc_post api/jobs/start_job/ 201
cc_log "started job $SLURM_JOB_ID on $cc_cluster ($count nodes)"

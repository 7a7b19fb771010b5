#!/bin/sh
# Tells cc-backend that a Slurm job ended (POST /api/jobs/stop_job/).
#
# Install as EpilogSlurmctld in slurm.conf (once per job, on the controller),
# with cc_common.sh beside it. Settings: see cc_common.sh; CC_JOB_STATE
# overrides the final state. Uses SLURM_JOB_ID, SLURM_CLUSTER_NAME,
# SLURM_JOB_START_TIME, SLURM_JOB_END_TIME and SLURM_JOB_EXIT_CODE2 (or
# SLURM_JOB_EXIT_CODE) where Slurm sets them.

cc_script=epilog
# shellcheck source=cc_common.sh
. "$(dirname "$0")/cc_common.sh"
cc_setup

state=${CC_JOB_STATE:-}
if [ -z "$state" ]; then
	if [ -n "${SLURM_JOB_EXIT_CODE2:-}" ]; then
		case $SLURM_JOB_EXIT_CODE2 in 0:0) state=completed ;; *) state=failed ;; esac
	elif [ -n "${SLURM_JOB_EXIT_CODE:-}" ]; then
		case $SLURM_JOB_EXIT_CODE in 0) state=completed ;; *) state=failed ;; esac
	else
		state=completed
	fi
fi

stop=${SLURM_JOB_END_TIME:-}
cc_is_uint "$stop" || stop=$(date +%s)

body="{\"jobId\":$SLURM_JOB_ID,\"cluster\":$(cc_json_string "$cc_cluster")"
# Without the start time cc-backend stops the newest job with this id.
cc_is_uint "${SLURM_JOB_START_TIME:-}" && body="$body,\"startTime\":$SLURM_JOB_START_TIME"
body="$body,\"jobState\":$(cc_json_string "$state"),\"stopTime\":$stop}"
printf '%s\n' "$body" >"$cc_tmp/request"

cc_post api/jobs/stop_job/ 200
cc_log "stopped job $SLURM_JOB_ID on $cc_cluster ($state)"

# Helpers shared by prolog.sh and epilog.sh; sourced, not run.
#
# Environment:
#   CC_URL      base URL of cc-backend, e.g. https://monitoring.example.org (required)
#   CC_JWT      API token of a user with exactly the role "api" (required); create it
#               with `cc-backend -jwt <user>`
#   CC_CLUSTER  cluster name in cc-backend (default: $SLURM_CLUSTER_NAME)
#   CC_TIMEOUT  seconds to wait for cc-backend (default: 10)
#   CC_STRICT   1: exit 1 when cc-backend cannot be told. Default 0: report on stderr
#               and exit 0, because a failing prolog drains the node and requeues the job.

cc_log() {
	printf '%s\n' "cc-backend ${cc_script:-slurm}: $*" >&2
}

# Reports an error and ends the script (see CC_STRICT).
cc_fail() {
	cc_log "error: $*"
	if [ "${CC_STRICT:-0}" = 1 ]; then exit 1; fi
	exit 0
}

# True when $1 is a non-empty string of digits.
cc_is_uint() {
	case $1 in '' | *[!0-9]*) return 1 ;; esac
	return 0
}

# Prints $1 as a JSON string literal (control characters are dropped).
cc_json_string() {
	printf '"%s"' "$(printf '%s' "$1" | tr -d '\000-\037' | sed -e 's/\\/\\\\/g' -e 's/"/\\"/g')"
}

# Checks what every script needs and sets cc_cluster and cc_tmp.
cc_setup() {
	[ -n "${CC_URL:-}" ] || cc_fail "CC_URL is not set"
	[ -n "${CC_JWT:-}" ] || cc_fail "CC_JWT is not set"
	case $CC_JWT in *[!A-Za-z0-9._-]*) cc_fail "CC_JWT does not look like a JWT" ;; esac
	cc_is_uint "${SLURM_JOB_ID:-}" || cc_fail "SLURM_JOB_ID is not a job id: '${SLURM_JOB_ID:-}'"
	cc_cluster=${CC_CLUSTER:-${SLURM_CLUSTER_NAME:-}}
	[ -n "$cc_cluster" ] || cc_fail "neither CC_CLUSTER nor SLURM_CLUSTER_NAME is set"
	command -v curl >/dev/null 2>&1 || cc_fail "curl is not installed"
	cc_tmp=$(mktemp -d) || cc_fail "cannot create a temporary directory"
	trap 'rm -rf "$cc_tmp"' EXIT
}

# cc_post PATH EXPECTED_STATUS: sends $cc_tmp/request to $CC_URL/PATH. The token goes
# through curl's standard input, so it does not show in the process list.
cc_post() {
	cc_status=$(
		printf 'header = "Authorization: Bearer %s"\n' "$CC_JWT" |
			curl --silent --show-error --config - --request POST \
				--header 'Content-Type: application/json' \
				--data-binary "@$cc_tmp/request" --max-time "${CC_TIMEOUT:-10}" \
				--output "$cc_tmp/response" --write-out '%{http_code}' "${CC_URL%/}/$1"
	) || cc_fail "cannot reach ${CC_URL%/}/$1"
	[ "$cc_status" = "$2" ] ||
		cc_fail "${CC_URL%/}/$1 answered $cc_status: $(tr -d '\n' <"$cc_tmp/response")"
}

#!/usr/bin/env bash
# Audit the pinned runtime requirements for known vulnerabilities with pip-audit.
# - A known vulnerability fails the build unless ops/pip_audit_ignore.txt explains it and its
#   revisit date has not passed.
# - When the vulnerability service cannot be reached (no route to it, or a mirror that does
#   not serve its API), nothing was audited: that is said plainly and does not fail the
#   build, because it says nothing about the code (docs/security.md).
set -uo pipefail
cd "$(dirname "$0")/.."

ignore_file=ops/pip_audit_ignore.txt
today="$(date -u +%F)"
ignores=()
while read -r id revisit _reason; do
    case "$id" in '' | '#'*) continue ;; esac
    if [[ "$revisit" > "$today" || "$revisit" == "$today" ]]; then
        ignores+=(--ignore-vuln "$id")
        echo "pip-audit: ignoring $id until $revisit (see $ignore_file)"
    else
        echo "pip-audit: the exception for $id expired on $revisit; it counts again"
    fi
done <"$ignore_file"

out="$(mktemp)" err="$(mktemp)"
trap 'rm -f "$out" "$err"' EXIT
.venv/bin/pip-audit -r requirements.txt --format json --progress-spinner off "${ignores[@]}" >"$out" 2>"$err"
status=$?

.venv/bin/python - "$out" "$err" "$status" <<'PY'
import json
import sys

out, err, status = sys.argv[1], open(sys.argv[2]).read(), int(sys.argv[3])
try:
    report = json.load(open(out))
except ValueError:
    report = None
if report is None:
    reason = err.strip().splitlines()[-1] if err.strip() else f"exit status {status}"
    print(f"pip-audit: NOT AUDITED - the vulnerability service could not be reached ({reason}).")
    sys.exit(0)
deps = report.get("dependencies", [])
skipped = [d for d in deps if d.get("skip_reason")]
audited = [d for d in deps if not d.get("skip_reason")]
vulnerable = [d for d in audited if d.get("vulns")]
for dep in vulnerable:
    for vuln in dep["vulns"]:
        fixes = ", ".join(vuln.get("fix_versions") or []) or "none yet"
        print(f"pip-audit: {dep['name']} {dep['version']}: {vuln['id']} (fixed in {fixes})")
if deps and not audited:
    print(
        f"pip-audit: NOT AUDITED - the vulnerability service answered for none of the {len(deps)} "
        "pinned packages (it cannot be reached from here); run it where it can."
    )
    sys.exit(0)
for dep in skipped:
    print(f"pip-audit: skipped {dep['name']}: {dep['skip_reason']}")
print(
    f"pip-audit: {len(audited)} packages audited, {len(skipped)} skipped, "
    f"{sum(len(d['vulns']) for d in vulnerable)} known vulnerabilities"
)
sys.exit(1 if vulnerable else 0)
PY

# matrix-lib.sh - sourced by tests/e2e/cases/matrix.sh: what `bootinst
# check --json --bus BUS` predicts for an image, what Debian's kernel did
# when QEMU booted it (from the serial log), and whether the two agree.
# Every name here starts with mx_ / MX_: run.sh sources all case files into
# one shell.
# shellcheck disable=SC2034  # MX_P_*, MX_SEEN*, MX_RC are matrix.sh's to read

MX_TIMEOUT=${MX_TIMEOUT:-60}          # seconds per boot; an NVMe boot to init takes ~2 s
MX_QEMU_LOCK=${MX_QEMU_LOCK:-/tmp/qemu.lock}   # one QEMU at a time, shared with other jobs

# The lines that say why a boot failed, as extended regexps over the serial
# log with CRs, escapes and the kernel's "[    1.234567] " stamps removed.
MX_TELLING='^bootinst: [EMI][0-9]|Kernel panic - not syncing|VFS: Cannot open root device|VFS: Unable to mount root fs|No working init found|Attempted to kill init|Requested init .* failed|Starting init: .* exists but couldn.t execute it|Warning: unable to open an initial console|EXT[234]-fs \(.*\): (Couldn.t mount|VFS: Can.t find)|error while loading shared libraries|^initramfs: '
# initramfs.sh's status lines, which say nothing about why
MX_INITRAMFS_STATUS='^initramfs: (modules loaded|block devices|powering off|switching to|starting a shell)'

# --- prediction ---------------------------------------------------------------

# mx_predict IMAGE BUS DIR: runs bootinst check IMAGE --json --bus BUS into
# DIR/check.json and sets
#   MX_P_KIND   boots | fails | may | broken (check printed no verdict)
#   MX_P_CODES  "L02" (fails: the first error) or "L04 N01" (may: the
#               warnings)
#   MX_P_SAYS   array: the kernel_says texts that go with MX_P_CODES ("" for
#               none: with an initramfs, its own words)
#   MX_P_TEXT   the table's "predicted" column
mx_predict() {
	local image=$1 bus=$2 dir=$3 rc=0 lines s
	"$BOOTINST" check "$image" --json --bus "$bus" >"$dir/check.json" 2>"$dir/check.err" || rc=$?
	MX_P_CODES=
	MX_P_SAYS=()
	if [ $rc -gt 1 ] || ! jq -e 'has("boots") and has("findings")' "$dir/check.json" >/dev/null 2>&1; then
		MX_P_KIND=broken
		MX_P_TEXT="check exited $rc without a JSON verdict: $(head -n 1 "$dir/check.err")"
		return 0
	fi
	# One field a line: kind, codes, then the kernel_says texts.  A missing
	# kernel_says is "no fixed message".
	mapfile -t lines < <(jq -r '
		def says: (.kernel_says // "") | tostring | gsub("[\r\n\t]"; " ");
		[.findings[] | select(.severity == "error")] as $e
		| [.findings[] | select(.severity == "warning")] as $w
		| if .boots == false then "fails", ($e[0].code // "?"), ($e[0] // {} | says)
		  elif ($w | length) > 0 then "may", ([$w[].code] | join(" ")), ($w[] | says)
		  else "boots" end' "$dir/check.json")
	MX_P_KIND=${lines[0]}
	MX_P_CODES=${lines[1]:-}
	MX_P_SAYS=("${lines[@]:2}")
	case $MX_P_KIND in
	boots) MX_P_TEXT=boots ;;
	fails) MX_P_TEXT="fails $MX_P_CODES" ;;
	may) MX_P_TEXT="may fail $MX_P_CODES" ;;
	esac
	for s in "${MX_P_SAYS[@]}"; do
		[ -z "$s" ] || MX_P_TEXT+=" '$s'"
	done
	return 0
}

# --- the boot -----------------------------------------------------------------

# mx_lock_inherited: a process this one descends from has $MX_QEMU_LOCK
# open: the whole run is under the lock (flock /tmp/qemu.lock bash
# tests/e2e/run.sh), and taking it again through another open would wait
# for ever.  (The lock file opened by this shell itself is not counted.)
mx_lock_inherited() {
	local self=$BASHPID pid target fd      # ($BASHPID inside $(...) is the $(...)'s)
	target=$(readlink -f "$MX_QEMU_LOCK")
	pid=$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$self/status")
	while [ -n "$pid" ] && [ "$pid" -gt 1 ]; do
		for fd in /proc/"$pid"/fd/*; do
			[ "$(readlink "$fd" 2>/dev/null)" != "$target" ] || return 0
		done
		pid=$(sed -n 's/^PPid:[[:space:]]*//p' "/proc/$pid/status" 2>/dev/null)
	done
	return 1
}

# mx_boot IMAGE BUS DIR: boots IMAGE on BUS (ide: QEMU's default PIIX disk;
# virtio; nvme), serial to DIR/serial.log, under the shared QEMU lock, TCG,
# -no-reboot, $MX_TIMEOUT; adds the seconds it waited for the lock to
# MX_LOCK_WAITED.  Stops QEMU at once when the MBR code or the
# stage prints its "Press a key" (it would wait for ever).  Sets MX_RC:
# QEMU's status, 124 on timeout, "prompt" when stopped at the prompt.
# A boot that printed nothing at all is run once more (as harness.sh's
# qemu_boot does) and recorded in $RETRIES_LOG.
mx_boot() {
	local image=$1 bus=$2 dir=$3 log=$3/serial.log drive=",format=raw" extra=() try pid lock waited
	case $bus in
	ide) ;;
	virtio) drive+=",if=virtio" ;;
	nvme) drive+=",if=none,id=mxdisk"; extra=(-device "nvme,serial=bootinst,drive=mxdisk") ;;
	*) echo "mx_boot: unknown bus $bus" >&2; return 1 ;;
	esac
	[ -e "$MX_QEMU_LOCK" ] || : >>"$MX_QEMU_LOCK"
	exec {lock}<"$MX_QEMU_LOCK"            # flock(2) needs no write access
	waited=$SECONDS
	mx_lock_inherited || flock "$lock"
	MX_LOCK_WAITED=$(( ${MX_LOCK_WAITED:-0} + SECONDS - waited ))
	for try in 1 2; do
		: >"$log"
		MX_RC=0
		timeout --kill-after=5 "$MX_TIMEOUT" "$QEMU" -accel tcg -M pc -m "${QEMU_MEM:-256}" \
			-display none -monitor none -no-reboot -nodefaults -vga std \
			-serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
			-drive "file=$image$drive" "${extra[@]}" </dev/null 2>"$dir/qemu.err" {lock}>&- &
		pid=$!
		while kill -0 "$pid" 2>/dev/null; do
			if grep -qaF "Press a key" "$log"; then
				sleep 0.3                  # the rest of the report
				kill -TERM "$pid" 2>/dev/null || true
				MX_RC=prompt
				break
			fi
			sleep 0.2
		done
		if [ "$MX_RC" = prompt ]; then
			wait "$pid" 2>/dev/null || true
		else
			wait "$pid" || MX_RC=$?
		fi
		[ -s "$log" ] || [ $try = 2 ] || [ "$MX_RC" = 124 ] || {
			echo "$(date -u +%FT%TZ) $dir: QEMU exited $MX_RC with an empty serial log; booting once more" |
				tee -a "$RETRIES_LOG" >&2
			continue
		}
		break
	done
	exec {lock}>&-
	return 0
}

# --- what the kernel did ------------------------------------------------------

# mx_classify DIR: reads DIR/serial.log (and MX_RC) and sets
#   MX_SEEN       init | failed
#   MX_SEEN_TEXT  the table's "seen" column: "init", or "failed: " and the
#                 most telling line (a stage error, the kernel's panic line,
#                 the initramfs's own failure line, ...), or "failed: timeout"
# DIR/serial.txt is the log as a terminal shows it; DIR/telling.txt every
# telling line, without the kernel's time stamps.
mx_classify() {
	local dir=$1 txt=$1/serial.txt line=
	tr -d '\r' <"$dir/serial.log" | sed 's/\x1b\[[0-9;?]*[A-Za-z]//g; s/\x1bc//g' >"$txt"
	sed 's/^.*\[ *[0-9]*\.[0-9]*\] //' "$txt" | grep -aE -- "$MX_TELLING" |
		grep -avE -- '^initramfs: (modules loaded|powering off)' >"$dir/telling.txt" || true
	if grep -aqE 'BOOTINST-ROOT-OK|BOOTINST-E2E-INIT-OK' "$txt"; then
		MX_SEEN=init
		MX_SEEN_TEXT=init
		return 0
	fi
	MX_SEEN=failed
	line=$(grep -aE '^bootinst: [EMI][0-9]' "$dir/telling.txt" | head -n 1) || true
	[ -n "$line" ] || line=$(grep -aF 'Kernel panic - not syncing' "$dir/telling.txt" | head -n 1) || true
	[ -n "$line" ] || line=$(grep -a '^initramfs: ' "$dir/telling.txt" | grep -avE -- "$MX_INITRAMFS_STATUS" | head -n 1) || true
	[ -n "$line" ] || line=$(head -n 1 "$dir/telling.txt")
	case $MX_RC in
	124) MX_SEEN_TEXT="failed: timeout after ${MX_TIMEOUT}s${line:+ (last: $line)}" ;;
	*)
		if [ -n "$line" ]; then
			MX_SEEN_TEXT="failed: $line"
		elif [ -s "$txt" ]; then
			MX_SEEN_TEXT="failed: QEMU exited $MX_RC without init and without a known failure line"
		else
			MX_SEEN_TEXT="failed: QEMU exited $MX_RC with nothing on serial"
		fi
		;;
	esac
	return 0
}

# --- agreement ------------------------------------------------------------------

# mx_log_has DIR TEXT: the serial log holds TEXT.
mx_log_has() {
	grep -aqF -- "$2" "$1/serial.txt"
}

# mx_agree DIR: the contract between bootinst check and the boot, from
# MX_P_* and MX_SEEN:
#   boots     (boots=true, no warning)              <=> seen init
#   fails C   (boots=false, C the first error)      <=> seen failed, and the
#             log holds C's kernel_says when it has one
#   may fail  (boots=true, warnings)                <=> seen init, or seen
#             failed with one of the warnings' kernel_says in the log (a
#             warning with none: the initramfs's own words, any failure)
mx_agree() {
	local dir=$1 s
	case $MX_P_KIND in
	boots) [ "$MX_SEEN" = init ] ;;
	fails)
		[ "$MX_SEEN" = failed ] || return 1
		[ -z "${MX_P_SAYS[0]:-}" ] || mx_log_has "$dir" "${MX_P_SAYS[0]}"
		;;
	may)
		[ "$MX_SEEN" != init ] || return 0
		for s in "${MX_P_SAYS[@]}"; do
			[ -n "$s" ] || return 0
			! mx_log_has "$dir" "$s" || return 0
		done
		return 1
		;;
	*) return 1 ;;
	esac
}

# mx_findings DIR: check's findings, one a line, for the report.
mx_findings() {
	jq -r '.findings[] | "\(.severity) \(.code) \(.object): \(.message)"
		+ (if (.hint // "") != "" then " [hint: \(.hint)]" else "" end)
		+ (if (.kernel_says // "") != "" then " [kernel_says: \(.kernel_says)]" else "" end)' \
		"$1/check.json" 2>/dev/null || true
}

# cli.sh - bootinst as a command beside sfdisk and mke2fs: its release,
# and disks an older release installed.  No QEMU (`tests/e2e/run.sh cli`).
#
# Uses tests/regress/lib.sh's helpers (installed_probe, restamp_stage_checksum).
# shellcheck source=../../regress/lib.sh
. "$REPO/tests/regress/lib.sh"

case_cli_version() {
	local release
	release=$(cat "$REPO/VERSION")
	# util-linux's form, from the VERSION file alone
	[ "$("$BOOTINST" --version)" = "bootinst from bootinst $release" ] || fail "--version: $("$BOOTINST" --version)"
	[ "$("$BOOTINST" -V)" = "bootinst from bootinst $release" ] || fail "-V: $("$BOOTINST" -V)"
	"$BOOTINST" --help >help.txt
	grep -q -- '-V, --version' help.txt || fail "--help does not list --version"
	# the stage this build installs carries it in its header (+0x30)
	installed_probe
	[ "$(dd if=disk.img bs=1 skip=$((STAGE_BYTE + 0x30)) count=${#release} status=none)" = "$release" ] ||
		fail "the installed stage's header does not carry $release"
	# and check says which release is installed
	"$BOOTINST" check disk.img >check.out
	expect_text check.out "bootinst: disk.img: bootinst $release installed; 0 errors"
	[ "$("$BOOTINST" check disk.img --json | jq -r .installed_release)" = "$release" ] ||
		fail "check --json does not name the installed release"
}

case_cli_old_stage_header_still_ours() {
	# a stage an older release installed: its header ends before the
	# release field (header_size 0x30).  check still sees bootinst's
	# stage, whole, and a plain re-install (no --force) replaces it
	installed_probe
	put_le16 disk.img $((STAGE_BYTE + 0x0a)) $((0x30))
	restamp_stage_checksum disk.img
	"$BOOTINST" check disk.img >check.out 2>&1 || { cat check.out; fail "check of an older release's stage failed"; }
	expect_text check.out "bootinst: disk.img: bootinst installed (release unknown); 0 errors"
	"$BOOTINST" install disk.img --kernel /boot/vmlinuz --cmdline "console=ttyS0 root=/dev/sda1 quiet" >install.out 2>&1 ||
		{ cat install.out; fail "re-install over an older release's stage failed"; }
	# the MBR now loads this release's stage
	local lba
	lba=$(get_le32 disk.img $((MBR_STAGE_LBA_OFF)))
	[ "$(od -An -tu2 -j $((lba * 512 + 0x0a)) -N2 disk.img | tr -d ' ')" = $((0x40)) ] ||
		fail "the stage at LBA $lba is not this release's"
	"$BOOTINST" check disk.img >check2.out 2>&1 || { cat check2.out; fail "check after the re-install failed"; }
}

case_cli_install_and_check_agree() {
	# every regression folder's broken image, checked and installed (dry
	# run) with the same settings: both print the same findings, word for
	# word, through the same function.  Only what is about the installed
	# loader itself (the MBR, the stage, E22: the partition it recorded) is
	# check's alone: install replaces it.
	local dir name check_lines install_lines compared=0
	local settings=(-k /boot/vmlinuz -i /boot/initrd.img -c "console=ttyS0 root=/dev/sda1")
	for dir in "$REPO"/tests/regress/*/; do
		name=$(basename "$dir")
		mkdir "$name"
		(cd "$name" && bash "$dir/make-image.sh") >"$name/make-image.log" 2>&1 ||
			{ tail "$name/make-image.log"; fail "$name: make-image.sh failed"; }
		check_lines=$(cd "$name" && "$BOOTINST" check disk.img "${settings[@]}" 2>&1 |
			grep '^bootinst: disk.img: .*: \(warning: \|note: \)\?[EILMN][0-9]' |
			grep -v ': \(stage\|MBR\): \|: E22: ' | sort) || true
		install_lines=$(cd "$name" && "$BOOTINST" install --dry-run disk.img "${settings[@]}" 2>&1 |
			grep '^bootinst: disk.img: .*: \(warning: \|note: \)\?[EILMN][0-9]' |
			grep -v ': \(stage\|MBR\): \|: E22: ' | sort) || true
		[ "$check_lines" = "$install_lines" ] || {
			diff <(echo "$check_lines") <(echo "$install_lines") | sed 's/^/      /'
			fail "$name: check (<) and install (>) disagree"
		}
		compared=$((compared + 1))
	done
	[ $compared -ge 30 ] || fail "only $compared folders compared"
}

case_cli_json_for_any_name() {
	# an image and a kernel path whose names hold a byte that is not UTF-8,
	# quotes, backslashes and control characters: check --json stays JSON
	# that python's json.loads reads, the names read back by the
	# documented mapping (a backslash as two, a non-UTF-8 byte as \xNN),
	# and numbers holds numbers only
	installed_probe
	local odd=$'disk\xff"q\\b\x01\t.img'
	mv disk.img "$odd"
	# (a control character in --kernel is a usage error: bad_input.sh)
	"$BOOTINST" check "$odd" --json -k $'/boot/\xfe"k\\' >check.json || true
	python3 - check.json "$odd" <<'PY' || fail "check --json is not what the README says"
import json, sys
doc = json.load(open(sys.argv[1], encoding="utf-8"))
def unmap(s):   # the documented mapping, back to bytes
    out, i = bytearray(), 0
    while i < len(s):
        if s.startswith("\\\\", i): out += b"\\"; i += 2
        elif s.startswith("\\x", i): out.append(int(s[i + 2:i + 4], 16)); i += 4
        else: out += s[i].encode(); i += 1
    return bytes(out)
want = sys.argv[2].encode("utf-8", "surrogateescape")
assert unmap(doc["image"]) == want, (doc["image"], want)
kernel = [f for f in doc["findings"] if f["object"].startswith("/boot/")]
assert kernel, doc["findings"]
assert unmap(kernel[0]["object"]) == b'/boot/\xfe"k\\', kernel[0]["object"]
for f in doc["findings"]:
    assert all(isinstance(v, int) for v in f["numbers"].values()), f["numbers"]
    assert all(isinstance(v, str) for v in f["words"].values()), f["words"]
PY
}

case_cli_quiet_verbose_colour() {
	installed_probe
	# -q: errors only; a disk with nothing wrong says nothing at all
	"$BOOTINST" check -q disk.img >quiet.out
	[ ! -s quiet.out ] || { cat quiet.out; fail "check -q of a good disk printed something"; }
	"$BOOTINST" install -q disk.img -k /boot/vmlinuz -c "console=ttyS0 root=/dev/sda1 quiet" >install.out 2>&1
	[ ! -s install.out ] || { cat install.out; fail "install -q printed something"; }
	# a warning is not an error: still nothing, still exit 0
	mv root/boot/config-* . 2>/dev/null || true
	fs_debugfs "rm /boot/config-$PROBE_RELEASE" >/dev/null
	"$BOOTINST" check disk.img >warn.out
	expect_text warn.out "warning: N01:"
	"$BOOTINST" check -q disk.img >quiet.out
	[ ! -s quiet.out ] || { cat quiet.out; fail "check -q printed a warning"; }
	# an error is printed, and only it (no summary)
	"$BOOTINST" check -q -c "console=ttyS0" disk.img >quiet.out && fail "check -q hid the exit status"
	expect_text quiet.out ": L11: the command line has no root="
	! grep -q "warning\|errors," quiet.out || { cat quiet.out; fail "check -q printed more than errors"; }
	# -v: what was read and decided, before the findings
	"$BOOTINST" check -v disk.img >verbose.out
	expect_line verbose.out "bootinst: disk.img: read: 32768 sectors; the partition table: DOS (MBR)"
	local lba sectors
	lba=$(get_le32 disk.img $((MBR_STAGE_LBA_OFF)))
	sectors=$(od -An -tu2 -j $((MBR_STAGE_LBA_OFF + 4)) -N2 disk.img | tr -d ' ')
	expect_text verbose.out "bootinst: disk.img: read:   LBA $lba..$((lba + sectors - 1)): a bootinst stage"
	expect_line verbose.out "bootinst: disk.img: read: the MBR boots the stage at LBA $lba ($sectors sectors)"
	expect_text verbose.out "bootinst: disk.img: decided: boot partition 1 (type 0x83, LBA 2048"
	expect_text verbose.out "bootinst: disk.img: decided: kernel /boot/vmlinuz ("
	"$BOOTINST" check -q -v disk.img 2>usage.out && fail "-q -v together was taken"
	expect_text usage.out "cannot go together"
	# colour on a terminal only, never with NO_COLOR
	script -qec "$BOOTINST check -c console=ttyS0 disk.img" /dev/null >tty.out || true
	grep -q $'\033\\[1;31mL11:' tty.out || { cat -v tty.out; fail "no colour on a terminal"; }
	NO_COLOR=1 script -qec "$BOOTINST check -c console=ttyS0 disk.img" /dev/null >tty.out || true
	! grep -q $'\033' tty.out || fail "colour despite NO_COLOR"
	"$BOOTINST" check -c console=ttyS0 disk.img >pipe.out || true
	! grep -q $'\033' pipe.out || fail "colour into a pipe"
}

case_cli_usage_errors_in_the_grammar() {
	local rc=0
	"$BOOTINST" install --bogus disk.img 2>usage.out || rc=$?
	[ $rc = 2 ] || fail "an unknown option exited $rc, not 2"
	expect_line usage.out "bootinst: install: unrecognized option '--bogus'"
	expect_line usage.out "Try 'bootinst --help' for more information."
	rc=0
	"$BOOTINST" frobnicate 2>usage.out || rc=$?
	[ $rc = 2 ] || fail "an unknown verb exited $rc, not 2"
	expect_text usage.out "bootinst: unknown verb 'frobnicate'"
}

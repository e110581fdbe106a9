# info.sh - `bootinst info`: every view (the words, --mbr, --disasm, --svg,
# --map, --json) on the README's kind of image (mkimage, installed, it
# boots) and on the tutorials' Error 24 image (the filesystem past its
# partition, the kernel beyond the partition's end); the SVG well-formed
# (xmllint) and drawn (rsvg-convert); --disasm naming bootinst's own code
# with the labels of the build's map at the addresses of its listing; the
# JSON read by jq; the image never written.  No QEMU: info only reads.

# shellcheck source=../../regress/lib.sh
. "$REPO/tests/regress/lib.sh"

# info_image: disk.img as the README makes one (mkimage, a kernel, an
# initrd, a root tree), with the probe kernel standing in.
info_image() {
	mkdir -p tree/bin tree/sbin
	cp /bin/busybox tree/bin/busybox
	ln -s ../bin/busybox tree/sbin/init
	head -c 300000 /dev/urandom >initrd.img
	"$BOOTINST" mkimage disk.img --root tree --kernel "$PROBE" --initrd initrd.img \
		--cmdline "console=ttyS0 root=/dev/sda1" -q
}

# info_views IMAGE: every view into IMAGE.{txt,mbr,asm,svg,png,map,json};
# each exits 0, the SVG parses and renders 1000 pixels wide, the JSON
# parses, and IMAGE is byte for byte what it was.
info_views() {
	local before
	before=$(sha256sum <"$1")
	"$BOOTINST" info "$1" >"$1.txt"
	"$BOOTINST" info "$1" --mbr >"$1.mbr"
	"$BOOTINST" info "$1" --disasm >"$1.asm"
	"$BOOTINST" info "$1" --svg "$1.svg"
	"$BOOTINST" info "$1" --map >"$1.map"
	"$BOOTINST" info "$1" --json >"$1.json"
	xmllint --noout "$1.svg" || fail "$1.svg is not well-formed XML"
	rsvg-convert -w 1000 "$1.svg" -o "$1.png" || fail "rsvg-convert cannot draw $1.svg"
	# the PNG's IHDR: width, big-endian, at byte 16
	[ "$(od -An -tu4 --endian=big -j16 -N4 "$1.png" | tr -d ' ')" = 1000 ] || fail "$1.png is not 1000 pixels wide"
	jq -e . "$1.json" >/dev/null || fail "$1.json is not JSON"
	[ "$(sha256sum <"$1")" = "$before" ] || fail "bootinst info changed $1"
}

# expect_json FILE FILTER: jq -e FILTER holds of FILE.
expect_json() {
	jq -e "$2" "$1" >/dev/null || {
		fail "jq -e '$2' is not true of $1"
		return 1
	}
}

case_info_every_view_of_an_image_that_boots() {
	info_image
	info_views disk.img
	expect_text disk.img.txt "  boot code       bootinst: bytes 0x000-"
	expect_text disk.img.txt "the code is this bootinst's, byte for byte"
	expect_text disk.img.txt "bootinst $(cat "$REPO/VERSION") stage (the MBR boots it): version"
	expect_text disk.img.txt "the partition's size exactly"
	expect_text disk.img.txt "kernel_version \"bootinst probe kernel\""
	expect_text disk.img.txt "the initrd (300000 bytes)"
	expect_text disk.img.txt "bootinst: disk.img: 0 errors"
	expect_text disk.img.mbr "0x1AE  42 49                    patch magic"
	expect_text disk.img.mbr "0x1FE  55 AA                    boot signature   55 AA: the BIOS runs this sector"
	expect_text disk.img.map "disk     MMSS"
	expect_text disk.img.map "  k  kernel /boot/vmlinuz: LBA "
	expect_text disk.img.map "  i  initrd /boot/initrd.img: LBA "
	grep -q ">kernel /boot/vmlinuz: " disk.img.svg || fail "the SVG does not mark the kernel"
	grep -q ">initrd /boot/initrd.img: " disk.img.svg || fail "the SVG does not mark the initrd"
	expect_json disk.img.json '.mbr.boot_code.owner == "bootinst" and .mbr.boot_code.this_build'
	expect_json disk.img.json '.gap.stages[0].crc_ok and .gap.stages[0].record.kernel == "/boot/vmlinuz"'
	expect_json disk.img.json '.partitions[0].ext.past_partition == false and .check.boots'
	expect_json disk.img.json '.boot.kernel.runs >= 1 and .boot.memory.ok and .boot.memory.initrd_bytes == 300000'
	expect_json disk.img.json '.boot.setup_header.protocol == "2.15"'
}

# --disasm names the code with the labels of build/mbr.map, each at the
# address nasm's listing gives it (its offset in the section + 0x600).
case_info_disasm_labels_at_their_addresses() {
	local name addr off want shown
	info_image
	"$BOOTINST" info disk.img --disasm >disasm.txt
	expect_text disasm.txt "bootinst's own MBR code (asm/mbr.asm), byte for byte"
	# each label with the address of the first line after it
	awk '/^[A-Za-z_.][A-Za-z0-9_.]*:/ { sub(/:.*/, ""); pending = pending " " $0; next }
	     /^    [0-9A-F]+  / && pending != "" { a = $1; sub(/^0+/, "", a); n = split(pending, l, " ");
	         for (i = 1; i <= n; i++) print l[i], a; pending = "" }' \
		disasm.txt >shown.txt
	sed -n '/^---- Section .text/,/^---- Section/p' "$BUILD/mbr.map" |
		awk 'NF == 3 && $1 ~ /^[0-9A-F]+$/ { print $3, $1 }' >map.txt
	[ "$(wc -l <map.txt)" -gt 20 ] || fail "build/mbr.map has $(wc -l <map.txt) labels"
	while read -r name addr; do
		shown=$(awk -v n="$name" '$1 == n { print $2 }' shown.txt)
		[ "$shown" = "$addr" ] || fail "$name: at 0x$addr in build/mbr.map, shown at '0x$shown' by --disasm"
	done <map.txt
	for name in relocated read_lba check_stage fail_read print; do
		off=$(awk -v l="$name:" '$2 == l { found = 1; next }
		      found && length($2) == 8 && $2 ~ /^[0-9A-F]+$/ { print $2; exit }' "$BUILD/mbr.lst")
		want=$(printf '%X' $((0x600 + 0x$off)))
		expect_text shown.txt "$name $want"
	done
	# the right-hand comments of the source, beside their instructions
	expect_text disasm.txt "rep movsw"
	expect_text disasm.txt "; normalise CS:IP to 0000:06xx"
	expect_text disasm.txt 'db "BOOTINST"'
}

case_info_every_view_of_the_error_24_image() {
	tutorial_fs_past_partition
	info_views disk.img
	expect_text disk.img.txt "32736 blocks of 1024 bytes = 33521664 bytes = 65472 sectors: 1275 sectors (637.5 KiB) MORE than the partition's 64197"
	expect_text disk.img.txt "GRUB Legacy's Error 24 in the making"
	expect_text disk.img.txt "lie past the partition's end (LBA 64259): the stage stops with E24 there"
	expect_text disk.img.txt "/boot/vmlinuz: E24: block 32100 of /boot/vmlinuz lies past the end of its partition"
	expect_text disk.img.map "  !  the filesystem on partition 1 runs 1275 sectors (637.5 KiB) past its end (LBA 64259): E24"
	expect_text disk.img.map "some past the partition's end: E24"
	grep -q '!!!' disk.img.map || fail "the map does not draw the filesystem past its partition"
	grep -q '>1275 sectors past partition 1: Error 24<' disk.img.svg || fail "the SVG does not name the part past the partition"
	grep -q 'fill="#e53935"' disk.img.svg || fail "the SVG does not draw it red"
	grep -q "past the partition's end: E24<" disk.img.svg || fail "the SVG does not say the kernel is past the end"
	expect_json disk.img.json '.partitions[0].ext.past_partition and .partitions[0].ext.sectors_past == 1275'
	expect_json disk.img.json '.partitions[0].ext.finding.code == "E24"'
	expect_json disk.img.json '.boot.kernel.first_lba == 64263 and .boot.kernel.sectors_past_partition == .boot.kernel.sectors'
	expect_json disk.img.json '(.check.boots | not) and ([.check.findings[].code] | index("E24") != null)'
}

case_info_usage_and_failures() {
	local before status
	info_image
	before=$(sha256sum <disk.img)
	set +e
	"$BOOTINST" info disk.img --map --json >out.txt 2>err.txt
	status=$?
	set -e
	[ $status -eq 2 ] || fail "two views: exit $status, not 2"
	expect_text err.txt "info shows one view at a time"
	set +e
	"$BOOTINST" info >out.txt 2>err.txt
	status=$?
	set -e
	[ $status -eq 2 ] || fail "no IMAGE: exit $status, not 2"
	expect_text err.txt "info: no IMAGE given"
	set +e
	"$BOOTINST" info missing.img >out.txt 2>err.txt
	status=$?
	set -e
	[ $status -eq 1 ] || fail "a missing image: exit $status, not 1"
	expect_text err.txt "missing.img"
	ln disk.img other-name.img
	set +e
	"$BOOTINST" info disk.img --svg other-name.img >out.txt 2>err.txt
	status=$?
	set -e
	[ $status -eq 1 ] || fail "--svg over the image: exit $status, not 1"
	expect_text err.txt "is the disk image being read; the picture would overwrite it"
	[ "$(sha256sum <disk.img)" = "$before" ] || fail "--svg over the image changed it"
	"$BOOTINST" info disk.img --svg - | xmllint --noout - || fail "--svg - is not SVG"
	# (into a file: grep -q would end the pipe early, and pipefail fail it)
	"$BOOTINST" info --help >help.txt
	grep -q -- "--disasm" help.txt || fail "--help does not list --disasm"
}

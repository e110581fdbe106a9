#!/bin/sh
# mbr_labels.sh MAP LST - the C table `bootinst info --disasm` names
# bootinst's own MBR code with, generated at build time from what nasm wrote
# when it assembled asm/mbr.asm (the Makefile's build/mbr.bin rule):
#
#   MAP  build/mbr.map, `[map symbols]`: each label's address (org 0x600
#        included), local labels as "read_lba.try";
#   LST  build/mbr.lst, the listing: each line's offset from the section's
#        start, its bytes and its source line.
#
# Prints a C header on stdout (build/gen/mbr_labels.h):
#   MBR_LABELS_ORG         where the code runs (the section's first address)
#   mbr_labels[]           { address, name, data, heading }: every label of
#                          the .text section; data: its line assembles db,
#                          dw, dd or times (bytes, not instructions), up to
#                          the next label; heading: the first sentence of
#                          the comment block above the label (or, if none,
#                          right below it), e.g. "LBA read: one AH=42h call
#                          for the whole stage."
#   mbr_comments[]         { address, comment }: each instruction's own
#                          right-hand comment
# Nothing is retyped: a change to asm/mbr.asm changes the table.
set -eu

map=$1
lst=$2
[ -r "$map" ] && [ -r "$lst" ] || { echo "mbr_labels.sh: cannot read $map or $lst" >&2; exit 1; }

awk -v mapfile="$map" '
function cstr(s) {                       # s as a C string literal
	gsub(/\\/, "\\\\", s)
	gsub(/"/, "\\\"", s)
	return "\"" s "\""
}
function hex(s,    i, v) {                # "1E" -> 30 (mawk has no strtonum)
	v = 0
	s = toupper(s)
	for (i = 1; i <= length(s); i++)
		v = v * 16 + index("0123456789ABCDEF", substr(s, i, 1)) - 1
	return v
}
function trim(s) {
	sub(/^[ \t]+/, "", s)
	sub(/[ \t\r]+$/, "", s)
	return s
}
# where the comment of a source line starts: its first ";" outside quotes, or 0
function comment_at(src,    i, c, q) {
	q = ""
	for (i = 1; i <= length(src); i++) {
		c = substr(src, i, 1)
		if (q != "") {
			if (c == q)
				q = ""
		} else if (c == "\"" || c == "\047") {
			q = c
		} else if (c == ";") {
			return i
		}
	}
	return 0
}
function comment_of(src,    i) {  # what follows that ";"
	i = comment_at(src)
	return i ? trim(substr(src, i + 1)) : ""
}
function code_of(src,    i) {  # src without its comment
	i = comment_at(src)
	return i ? trim(substr(src, 1, i - 1)) : trim(src)
}
# the first sentence of a comment block, at most 110 characters
function sentence(text,    p) {
	text = trim(text)
	sub(/^-+ */, "", text)
	gsub(/ *---+ */, ". ", text)            # a rule of dashes ends a title
	p = index(text ". ", ". ")
	if (p == 0 && substr(text, length(text)) == ".")
		p = length(text)
	if (p > 0)
		text = substr(text, 1, p)
	if (length(text) > 110)
		text = substr(text, 1, 107) "..."
	return text
}
BEGIN {
	# the map: "Real Virtual Name" rows of the .text section
	section = 0
	while ((getline line < mapfile) > 0) {
		if (line ~ /^---- Section \.text/) { section = 1; continue }
		if (line ~ /^---- Section/) { section = 0; continue }
		if (!section || split(line, f) != 3 || f[1] !~ /^[0-9A-Fa-f]+$/)
			continue
		addr[f[3]] = hex(f[1])
		names[++nnames] = f[3]
	}
	if (!nnames) {
		print "mbr_labels.sh: no .text labels in " mapfile > "/dev/stderr"
		exit 1
	}
	org = -1
	for (i = 1; i <= nnames; i++)
		if (org < 0 || addr[names[i]] < org)
			org = addr[names[i]]
	block = ""; pending = ""; global = ""
}
# listing lines from an %include carry "<1>": not this file
/<[0-9]+>/ { next }
{
	src = substr($0, 41)
	hasaddr = substr($0, 8, 8) ~ /^[0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F][0-9A-F]$/
	off = hasaddr ? hex(substr($0, 8, 8)) : -1
	bytes = hasaddr ? trim(substr($0, 17, 24)) : ""
	code = code_of(src)

	if (code == "" && trim(src) ~ /^;/) {        # a comment-only line
		block = block " " trim(substr(trim(src), 2))
		if (pending != "" && !(pending in heading))
			below[pending] = below[pending] " " trim(substr(trim(src), 2))
		next
	}
	if (code ~ /^%/)                            # preprocessor: assembles nothing
		next
	if (code == "") {                           # a blank line ends a block
		if (trim(src) == "" && !hasaddr)
			block = ""
		next
	}
	if (code ~ /^[A-Za-z_.][A-Za-z0-9_.]*:/) {  # a label (and maybe more)
		name = substr(code, 1, index(code, ":") - 1)
		if (name ~ /^\./)
			name = global name
		else
			global = name
		if (block != "")
			heading[name] = sentence(block)
		pending = name
		order[++nlabels] = name
		code = trim(substr(code, index(code, ":") + 1))
		block = ""
		if (code == "")
			next
	}
	block = ""
	if (pending != "") {                        # the label now has its first line
		if (!(pending in heading) && below[pending] != "")
			heading[pending] = sentence(below[pending])
		data[pending] = code ~ /^(db|dw|dd|dq|times)[ \t]/ ? 1 : 0
		pending = ""
	}
	if (hasaddr && bytes != "" && comment_of(src) != "")
		comments[++ncomments] = sprintf("\t{ 0x%X, %s },", off + org, cstr(comment_of(src)))
}
END {
	if (!nnames)
		exit 1
	print "/* generated by installer/info/mbr_labels.sh from " mapfile " and the listing: do not edit */"
	printf "#define MBR_LABELS_ORG 0x%X\n", org
	print "static const struct mbr_label mbr_labels[] = {"
	for (i = 1; i <= nnames; i++) {
		n = names[i]
		printf "\t{ 0x%X, %s, %d, %s },\n", addr[n], cstr(n), data[n] + 0, cstr(heading[n])
	}
	print "};"
	print "static const struct mbr_comment mbr_comments[] = {"
	for (i = 1; i <= ncomments; i++)
		print comments[i]
	print "};"
}
' "$lst"

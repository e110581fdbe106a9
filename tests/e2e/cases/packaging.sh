# packaging.sh - what ships beside the program: bootinst(8) made from
# --help and the catalog, `make install` / `make uninstall`, and the Debian
# package built from a copy of the tree.  No QEMU (`tests/e2e/run.sh
# packaging`).

# a copy of the tree as a fresh clone has it (no build/, no binary): the
# files git knows, or outside a checkout everything but what the build makes
copy_tree() {
	mkdir -p "$1"
	if git -C "$REPO" rev-parse --git-dir >/dev/null 2>&1; then
		(cd "$REPO" && git ls-files -z --cached --others --exclude-standard |
			tar --null -T - -cf -) | tar -C "$1" -xf -
	else
		(cd "$REPO" && tar --exclude=./build --exclude=./.cache --exclude=./bootinst -cf - .) |
			tar -C "$1" -xf -
	fi
}

case_packaging_man_page_is_the_program_s_own() {
	make -C "$REPO" -s man >/dev/null
	local page=$BUILD/bootinst.8 rendered=man.txt option code
	# groff has nothing to say about it
	groff -man -ww -z "$page" >groff.out 2>&1
	[ ! -s groff.out ] || { cat groff.out; fail "groff warns about bootinst.8"; }
	MANWIDTH=200 man -l "$page" 2>man.err | col -b >"$rendered"
	[ ! -s man.err ] || { cat man.err; fail "man -l complains"; }
	expect_text "$rendered" "bootinst $(cat "$REPO/VERSION")"
	# nothing of --help and the catalog lost on the way: every option,
	# every verb, every code
	for option in $("$BOOTINST" --help | grep -o -- '--[a-z][a-z-]*' | sort -u); do
		grep -qF -- "$option" "$rendered" || fail "bootinst.8 lacks $option"
	done
	for verb in mkimage install check uninstall explain info; do
		grep -q "^ *$verb IMAGE\|^ *$verb CODE" "$rendered" || fail "bootinst.8 lacks the verb $verb"
	done
	for code in $("$BOOTINST" explain --all | sed -n 's/^\([A-Z][0-9][0-9A-Z]*\): .*/\1/p'); do
		grep -q "^ *$code " "$rendered" || fail "bootinst.8 lacks the code $code"
	done
	expect_text "$rendered" "EXIT STATUS"
}

case_packaging_make_install_and_uninstall() {
	copy_tree src
	make -C src -s -j2 >build.out 2>&1 || { tail -20 build.out; fail "make failed"; }
	make -C src -s install DESTDIR="$PWD/root" PREFIX=/usr >install.out 2>&1 ||
		{ cat install.out; fail "make install failed"; }
	[ "$(root/usr/bin/bootinst --version)" = "bootinst from bootinst $(cat "$REPO/VERSION")" ] ||
		fail "the installed bootinst says $(root/usr/bin/bootinst --version)"
	[ -f root/usr/share/man/man8/bootinst.8 ] || fail "no man page installed"
	[ -f root/usr/share/bash-completion/completions/bootinst ] || fail "no bash completion installed"
	# the completion offers verbs, each verb's options and the codes
	local words
	words=$(PATH=$PWD/root/usr/bin:$PATH bash -c '. root/usr/share/bash-completion/completions/bootinst
		COMP_WORDS=(bootinst install disk.img --no); COMP_CWORD=3; _bootinst; echo "${COMPREPLY[@]}"
		COMP_WORDS=(bootinst explain E2); COMP_CWORD=2; _bootinst; echo "${COMPREPLY[@]}"
		COMP_WORDS=(bootinst ch); COMP_CWORD=1; _bootinst; echo "${COMPREPLY[@]}"')
	echo "$words" >completion.out
	expect_line completion.out "--no-wait"
	expect_text completion.out "E24"
	expect_line completion.out "check"
	make -C src -s uninstall DESTDIR="$PWD/root" PREFIX=/usr
	[ -z "$(find root -type f)" ] || fail "make uninstall left $(find root -type f)"
	# the user's flags reach the compiler
	touch src/installer/report.c
	make -C src CFLAGS="-O1 -DBOOTINST_FLAGS_SEEN" bootinst >flags.out 2>&1
	grep -q -- "-DBOOTINST_FLAGS_SEEN.*report.c" flags.out || fail "CFLAGS did not reach the compiler"
}

case_packaging_debian_package() {
	copy_tree bootinst
	# nocheck: the suite runs the unit tests itself
	(cd bootinst && DEB_BUILD_OPTIONS=nocheck timeout 600 dpkg-buildpackage -us -uc -b) >build.log 2>&1 ||
		{ tail -30 build.log; fail "dpkg-buildpackage failed"; }
	local deb
	deb=$(ls bootinst_"$(cat "$REPO/VERSION")"_*.deb)
	lintian --tag-display-limit 0 "$deb" >lintian.out 2>&1 || true
	grep -v "running with root privileges" lintian.out >lintian.tags || true
	[ ! -s lintian.tags ] || { cat lintian.tags; fail "lintian has something to say"; }
	dpkg -x "$deb" root
	[ "$(root/usr/bin/bootinst --version)" = "bootinst from bootinst $(cat "$REPO/VERSION")" ] ||
		fail "the packaged bootinst says $(root/usr/bin/bootinst --version)"
	[ -f root/usr/share/man/man8/bootinst.8.gz ] || fail "the package has no man page"
	[ -f root/usr/share/bash-completion/completions/bootinst ] || fail "the package has no completion"
}

# selftests.sh - the test assets themselves, booted by QEMU's own loader:
# if these fail, a failure elsewhere may be the assets', not bootinst's.

case_selftest_probe_with_qemu_loader() {
	"$REPO/tests/probe/run-direct.sh"
}

case_selftest_assets_with_qemu_loader() {
	"$E2E_LIB/selftest.sh"
}

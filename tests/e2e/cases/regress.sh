# regress.sh - the regression folders (tests/regress/): each broken image,
# made by its script, must get exactly its expected `bootinst check` report.

case_regress_folders() {
	bash "$REPO/tests/regress/run.sh"
}

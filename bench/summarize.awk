# summarize.awk - boot-time table and plot data from the timed runs.
#
# Input: runs.tsv, one boot per line: VARIANT DISK RUN BIOS_MS KERNEL_MS INIT_MS
# (milliseconds from QEMU start to SeaBIOS's "Booting from", to the kernel's
# "Linux version" and to the init marker).
# Variables: variants, disks (comma-separated, in display order), runs (N),
# plot (file for the plot data).
#
# Prints the table; writes to `plot` one row per variant and disk:
#   LABEL BIOS_MS LOADER_MS KERNEL_MS
# the medians split at the marks, so each bar's height is the median time
# to init.
BEGIN { FS = "\t" }

{
	key = $1 SUBSEP $2
	n = ++count[key]
	bios[key, n] = $4; kernel[key, n] = $5; init[key, n] = $6
	loader[key, n] = $5 - $4
}

# Sorts values[key, 1..n] into sorted[1..n] (N is small: insertion sort).
function sort_runs(values, key, n,    i, j, v) {
	for (i = 1; i <= n; i++) {
		v = values[key, i]
		for (j = i - 1; j >= 1 && sorted[j] > v; j--) sorted[j + 1] = sorted[j]
		sorted[j + 1] = v
	}
}
function median(values, key, n) {
	sort_runs(values, key, n)
	return n % 2 ? sorted[(n + 1) / 2] : (sorted[n / 2] + sorted[n / 2 + 1]) / 2
}
function spread(values, key, n,    mid) {
	mid = median(values, key, n)
	return sprintf("%5.0f %5.0f %5.0f", sorted[1], mid, sorted[n])
}
function ratio(a, b) { return b > 0 ? sprintf("%6.2f", a / b) : "     -" }

END {
	nv = split(variants, variant, ",")
	nd = split(disks, disk, ",")
	printf "%-13s %-6s  %-17s  %-17s  %-17s  %6s  %9s  %7s  %9s\n", "", "", \
		"BIOS done", "kernel 1st line", "init marker", "loader", "overhead", "", ""
	printf "%-13s %-6s  %-17s  %-17s  %-17s  %6s  %9s  %7s  %9s\n", "variant", "disk", \
		"  min   med   max", "  min   med   max", "  min   med   max", \
		"med", "vs direct", "/direct", "/bootinst"
	for (d = 1; d <= nd; d++) {
		direct_init = ("direct" SUBSEP disk[d]) in count ? \
			median(init, "direct" SUBSEP disk[d], count["direct" SUBSEP disk[d]]) : 0
		bootinst_init = ("bootinst" SUBSEP disk[d]) in count ? \
			median(init, "bootinst" SUBSEP disk[d], count["bootinst" SUBSEP disk[d]]) : 0
		for (v = 1; v <= nv; v++) {
			key = variant[v] SUBSEP disk[d]
			if (!(key in count)) continue
			n = count[key]
			mid_init = median(init, key, n)
			overhead = direct_init > 0 ? sprintf("%+.0f", mid_init - direct_init) : "-"
			mid_loader = median(loader, key, n)
			printf "%-13s %-6s  %s  %s  %s  %6.0f  %9s  %7s  %9s\n", variant[v], disk[d], \
				spread(bios, key, n), spread(kernel, key, n), spread(init, key, n), \
				mid_loader, overhead, ratio(mid_init, direct_init), ratio(mid_init, bootinst_init)
			mid_bios = median(bios, key, n)
			mid_kernel = median(kernel, key, n)
			printf("%s-%s %.0f %.0f %.0f\n", variant[v], disk[d], mid_bios, \
				mid_kernel - mid_bios, mid_init - mid_kernel) > plot
		}
	}
	printf "ms from QEMU start, %d runs each.  loader: the median of each boot's kernel 1st line minus\n", runs
	printf "its BIOS done (direct's: QEMU's option ROM copying the files).  overhead: median init time\n"
	printf "minus direct's on the same disk; /direct, /bootinst: median init time over theirs.\n"
}

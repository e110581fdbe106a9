# plot.gp - the boot-time split as stacked bars, one per variant and disk.
# Called as: gnuplot -e "datafile='...'; outfile='...'; heading='...'" bench/plot.gp
# datafile rows (from summarize.awk): LABEL BIOS_MS LOADER_MS KERNEL_MS, medians.
set terminal pngcairo size 960,540 font "sans,10"
set output outfile
set title heading
set style data histograms
set style histogram rowstacked
set style fill solid 0.85 border -1
set boxwidth 0.7
set ylabel "seconds from QEMU start (median)"
set yrange [0:*]
set grid ytics
set key outside bottom center horizontal
set xtics rotate by -25
plot datafile using ($2/1000):xtic(1) title "BIOS: QEMU start to the loader", \
     '' using ($3/1000) title "loader: to the kernel's first line", \
     '' using ($4/1000) title "kernel: to the init marker"

# Requests per second per workload, one bar per server, log scale (the workloads differ by
# orders of magnitude). Called by bench/report.py with datafile and outfile set.
set terminal pngcairo size 1100,560 font "DejaVu Sans,11" noenhanced
set output outfile
set title "Requests per second (higher is better), same corpus, wrk 50 connections on loopback"
set style data histogram
set style histogram clustered gap 1
set style fill solid 0.85 border -1
set boxwidth 0.9
set logscale y
set yrange [1:*]
set format y "%.0s%c"
set ylabel "requests/s (log scale)"
set grid ytics
set key top right
set datafile missing "?"
set xtics nomirror scale 0
set tmargin 3
plot datafile using 2:xtic(1) title "Offline Commons" lc rgb "#2b7bba", \
     '' using 3 title "nginx" lc rgb "#6a9f3a", \
     '' using 4 title "kiwix-serve" lc rgb "#e08a2c", \
     '' using ($0-0.25):($2*1.15):(sprintf("%.0f",$2)) with labels font ",9" notitle, \
     '' using ($0):($3*1.15):(sprintf("%.0f",$3)) with labels font ",9" notitle, \
     '' using ($0+0.25):($4*1.15):(sprintf("%.0f",$4)) with labels font ",9" notitle

# Draws BenchReport's data files; call as: gnuplot -e "dir='target/bench'; goal=100; stop=1000" bench/plots.gp
# (goal and stop: bench/run.sh's CURVE_GOAL_MS and CURVE_STOP_MS, drawn on the propagation curve)
set datafile missing "?"
set terminal pngcairo size 1500,450 font ",10"
set key top left
set grid
set xlabel "clients (concurrency)"
# from zero, with a margin, so that a single concurrency (quick mode) still shows as a point
set xrange [0:*]
set yrange [0:*]
set offsets 0, graph 0.05, graph 0.1, 0

set output dir."/throughput.png"
set multiplot layout 1,3 title "Throughput vs concurrency: service vs its same-run anchor"
set ylabel "ops/s"
set title "PlaceOrder (3 lines) vs pgbench, same transaction"
plot dir."/throughput.dat" index 0 using 1:2 with linespoints lw 2 title "service", \
     "" index 0 using 1:3 with linespoints lw 2 title "pgbench"
set title "GET order, cache hit vs redis-benchmark HGETALL"
plot dir."/throughput.dat" index 1 using 1:2 with linespoints lw 2 title "service", \
     "" index 1 using 1:3 with linespoints lw 2 title "redis-benchmark"
set title "GET order, replica join vs pgbench, same join"
plot dir."/throughput.dat" index 2 using 1:2 with linespoints lw 2 title "service", \
     "" index 2 using 1:3 with linespoints lw 2 title "pgbench"
unset multiplot

set output dir."/latency.png"
set multiplot layout 1,3 title "Latency p50 / p99 vs concurrency: service vs its same-run anchor"
set ylabel "ms"
set logscale y
set yrange [*:*]
set title "PlaceOrder vs pgbench"
plot dir."/latency.dat" index 0 using 1:2 with linespoints title "service p50", "" index 0 using 1:3 with linespoints title "service p99", \
     "" index 0 using 1:4 with linespoints title "pgbench p50", "" index 0 using 1:5 with linespoints title "pgbench p99"
set title "GET cache hit vs HGETALL"
plot dir."/latency.dat" index 1 using 1:2 with linespoints title "service p50", "" index 1 using 1:3 with linespoints title "service p99", \
     "" index 1 using 1:4 with linespoints title "redis p50", "" index 1 using 1:5 with linespoints title "redis p99"
set title "GET replica join vs pgbench join"
plot dir."/latency.dat" index 2 using 1:2 with linespoints title "service p50", "" index 2 using 1:3 with linespoints title "service p99", \
     "" index 2 using 1:4 with linespoints title "pgbench p50", "" index 2 using 1:5 with linespoints title "pgbench p99"
unset multiplot
unset logscale y
set yrange [0:*]
set xrange [*:*]
set offsets 0, 0, 0, 0

set terminal pngcairo size 700,450 font ",10"
set output dir."/propagation.png"
set title "Propagation at a fixed rate: commit → visible (ms)"
set xlabel "percentile"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
plot dir."/propagation.dat" using 2:xtic(1) title "commit → Redis", "" using 3 title "commit → SSE received"

# the propagation curve: p99 against the rate asked, with the goal and the stop rule as lines
# (the functions keep the plot drawable when no step wrote figures)
set output dir."/propagation-curve.png"
set title "Propagation curve: commit → visible p99 vs orders/s asked"
set style data linespoints
set xlabel "orders/s asked"
set ylabel "p99 ms (log)"
set logscale y
set yrange [*:*]
set xrange [0:*]
set offsets 0, graph 0.05, graph 0.1, graph 0.1
set xtics 50
set key below horizontal
plot dir."/propagation-curve.dat" using 1:3 lw 2 pt 7 title "commit → Redis", \
     "" using 1:5 lw 2 pt 5 title "commit → SSE", \
     goal with lines dt 2 lc rgb "dark-green" title sprintf("goal: %g ms", goal), \
     stop with lines dt 3 lc rgb "red" title sprintf("stop rule: %g ms", stop)

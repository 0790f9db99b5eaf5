# Deaths by month
# Written by percap. The data are inline: this script reads no file and runs no command.
# gnuplot timeline.gp writes timeline.png; gnuplot -e "percap_format='svg'" timeline.gp writes timeline.svg.
reset
set encoding utf8
percap_quote = sprintf('%c', 39)
if (!exists('percap_format')) percap_format = 'png'
if (!exists('percap_output')) percap_output = 'timeline.' . percap_format
if (percap_format eq 'svg') {
    set terminal svg size 975,647 noenhanced font 'DejaVu Sans,10' fontscale 1.31 background rgb '#ffffff'
} else {
    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
        set terminal pngcairo size 975,647 noenhanced font 'DejaVu Sans,10' background rgb '#ffffff'
    } else {
        set terminal png size 975,647 noenhanced font 'DejaVu Sans,10' background rgb '#ffffff'
    }
}
set output percap_output
set lmargin at screen 0.08205128205128205
set rmargin at screen 0.8
set bmargin at screen 0.22102009273570328
set tmargin at screen 0.8701700154559505
set border 3 lw 1 lc rgb '#666666'
set tics nomirror out scale 0.6 textcolor rgb '#333333'
set key noenhanced
set style textbox opaque noborder margins 0.5,0.2
set label 'Deaths by month' at screen 0.014358974358974359, screen 0.9629057187017002 noenhanced left font ',15' textcolor rgb '#222222'
set label 'Per calendar month, 2022-02 to 2023-04' at screen 0.014358974358974359, screen 0.9289026275115919 noenhanced left font ',10.5' textcolor rgb '#555555'
set label 'Counted: named dead, BBC News Russian/Mediazona list, as of 2023-04-12.' at screen 0.014358974358974359, screen 0.08692426584234932 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'Counts of verified, named deaths are a lower bound, and coverage differs between regions and over time.' at screen 0.014358974358974359, screen 0.06590417310664606 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'Deaths counted by the month of their date in the list, 2022-02 to 2023-04; the last month may be incomplete, and deaths are often listed' at screen 0.014358974358974359, screen 0.04488408037094282 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'months after they happen.' at screen 0.014358974358974359, screen 0.02386398763523957 noenhanced left font ',8.5' textcolor rgb '#555555'
set ylabel 'Deaths per month' noenhanced offset 0.5,0
set xrange [-0.5:14.5]
set yrange [0:143.64000000000001]
set ytics 0,50
set grid ytics lc rgb '#e6e6e6' lw 1 dt 1
set key outside right top vertical Left reverse samplen 2 font ',9' spacing 1.2
set xtics ( '2022-02' 0, \
    '2022-04' 2, \
    '2022-06' 4, \
    '2022-08' 6, \
    '2022-10' 8, \
    '2022-12' 10, \
    '2023-02' 12, \
    '2023-04' 14) noenhanced out nomirror rotate by 45 right font ',9'
# $months: month(0 = first) then one column per area
$months << PERCAP_EOD
0 0 0 0 2 0
1 19 61 29 97 6
2 10 36 24 44 3
3 19 45 40 55 2
4 22 52 24 40 3
5 21 38 17 32 4
6 6 30 16 22 6
7 4 26 24 31 7
8 7 29 29 25 6
9 7 38 27 19 16
10 9 16 15 29 13
11 29 38 31 23 12
12 29 90 97 42 28
13 45 133 81 33 15
14 3 8 19 1 4
PERCAP_EOD
plot $months using 1:2 with linespoints pt 7 ps 0.45 lw 2 dt 1 lc rgb '#4c78a8' title 'Tuva Republic' noenhanced, \
     $months using 1:3 with linespoints pt 7 ps 0.45 lw 2 dt 1 lc rgb '#f58518' title 'Republic of Buryatia' noenhanced, \
     $months using 1:4 with linespoints pt 7 ps 0.45 lw 2 dt 1 lc rgb '#e45756' title 'Zabaykalsky Krai' noenhanced, \
     $months using 1:5 with linespoints pt 7 ps 0.45 lw 2 dt 1 lc rgb '#72b7b2' title 'Republic of Dagestan' noenhanced, \
     $months using 1:6 with linespoints pt 7 ps 0.45 lw 2 dt 1 lc rgb '#54a24b' title 'Moscow' noenhanced
unset output

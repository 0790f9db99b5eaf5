# How sure is each area's place in the ranking?
# Written by percap. The data are inline: this script reads no file and runs no command.
# gnuplot rank_intervals.gp writes rank_intervals.png; gnuplot -e "percap_format='svg'" rank_intervals.gp writes rank_intervals.svg.
reset
set encoding utf8
percap_quote = sprintf('%c', 39)
if (!exists('percap_format')) percap_format = 'png'
if (!exists('percap_output')) percap_output = 'rank_intervals.' . percap_format
if (percap_format eq 'svg') {
    set terminal svg size 951,1806 noenhanced font 'DejaVu Sans,10' fontscale 1.31 background rgb '#ffffff'
} else {
    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
        set terminal pngcairo size 951,1806 noenhanced font 'DejaVu Sans,10' background rgb '#ffffff'
    } else {
        set terminal png size 951,1806 noenhanced font 'DejaVu Sans,10' background rgb '#ffffff'
    }
}
set output percap_output
set lmargin at screen 0.30998948475289173
set rmargin at screen 0.8988433228180862
set bmargin at screen 0.10077519379844968
set tmargin at screen 0.9479512735326688
set border 3 lw 1 lc rgb '#666666'
set tics nomirror out scale 0.6 textcolor rgb '#333333'
set key noenhanced
set style textbox opaque noborder margins 0.5,0.2
set label 'How sure is each area'.percap_quote.'s place in the ranking?' at screen 0.014721345951629864, screen 0.9867109634551495 noenhanced left font ',15' textcolor rgb '#222222'
set label 'Median rank of each of 85 areas with its 95% rank interval' at screen 0.014721345951629864, screen 0.9745293466223699 noenhanced left font ',10.5' textcolor rgb '#555555'
set label 'Counted: named dead, BBC News Russian/Mediazona list, as of 2023-04-12. Denominator: men aged 16-61.5 (2021 census) (region_stats.csv).' at screen 0.014721345951629864, screen 0.0462015503875969 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'Rates per 100,000.' at screen 0.014721345951629864, screen 0.03867109634551495 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'Counts of verified, named deaths are a lower bound, and coverage differs between regions. Intervals (exact, 95%) reflect chance variation' at screen 0.014721345951629864, screen 0.031140642303433008 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'only, not undercounting or errors in the denominators.' at screen 0.014721345951629864, screen 0.023610188261351053 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'Ranks: 10000 draws of every rate from its posterior (Gamma(deaths + 1/2), Jeffreys prior), seed 20230412. An area'.percap_quote.'s rank is uncertain when' at screen 0.014721345951629864, screen 0.016079734219269105 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'its rate is: the bar shows the ranks it takes in 95% of cases; the right column, how often it ranks in the top group (blank: under 0.005).' at screen 0.014721345951629864, screen 0.008549280177187155 noenhanced left font ',8.5' textcolor rgb '#555555'
set xlabel 'Rank (1 = highest rate); bar: 95% interval' noenhanced offset 0,0.3
set xrange [0.5:85.5]
set x2range [0.5:85.5]
set yrange [0.4:85.6]
set xtics 0,10 out nomirror
set x2tics 0,10 out nomirror
set grid xtics lc rgb '#e6e6e6' lw 1 dt 1
set key at screen 0.010515247108307046, screen 0.052934662236987826 left bottom horizontal Left reverse samplen 1.5 width 1 font ',9'
# $ranks: y median low high colour
$ranks << PERCAP_EOD
85 1 1 3 5011624
84 2 1 3 5011624
83 3 1 6 5011624
82 4 3 6 5011624
81 6 3 12 5011624
80 6 4 9 5011624
79 7 4 10 5011624
78 8 5 10 5011624
77 9 7 12 5011624
76 10 7 13 5011624
75 11 8 14 5011624
74 12 9 15 5011624
73 13 10 17 5011624
72 14 12 18 5011624
71 15 12 21 5011624
70 18 13 27 5011624
69 19 14 29 5011624
68 19 15 25 5011624
67 20 14 32 5011624
66 21 15 29 5011624
65 21 16 30 5011624
64 22 14 38 5011624
63 22 16 31 5011624
62 24 12 49 5011624
61 26 20 32 5011624
60 26 21 32 5011624
59 27 21 33 5011624
58 28 18 39 5011624
57 28 19 37 5011624
56 30 25 35 5011624
55 31 22 39 5011624
54 32 22 40 5011624
53 33 17 55 5011624
52 34 21 49 5011624
51 35 24 49 5011624
50 35 27 42 5011624
49 37 30 47 5011624
48 38 29 51 5011624
47 39 29 53 5011624
46 39 32 48 5011624
45 41 28 61 5011624
44 42 35 51 5011624
43 44 36 55 5011624
42 45 38 53 5011624
41 45 38 53 5011624
40 46 39 53 5011624
39 47 38 57 5011624
38 48 37 60 5011624
37 48 37 62 5011624
36 48 39 58 5011624
35 51 35 67 5011624
34 52 38 65 5011624
33 53 44 62 5011624
32 53 46 59 5011624
31 56 45 67 5011624
30 58 43 70 5011624
29 58 49 66 5011624
28 60 46 70 5011624
27 60 48 70 5011624
26 60 49 70 5011624
25 60 52 68 5011624
24 61 44 72 5011624
23 61 52 69 5011624
22 63 50 72 5011624
21 63 55 70 5011624
20 65 57 70 5011624
19 66 53 74 5011624
18 67 52 75 5011624
17 69 60 75 5011624
16 71 60 78 5011624
15 72 54 80 5011624
14 72 66 77 5011624
13 73 65 79 5011624
12 74 65 80 5011624
11 75 71 79 5011624
10 76 64 81 5011624
9 76 66 81 5011624
8 77 71 81 5011624
7 78 72 81 5011624
6 80 75 82 5011624
5 80 75 82 5011624
4 82 77 82 5011624
3 83 83 83 5011624
2 84 84 84 5011624
1 85 85 85 5011624
PERCAP_EOD
set ytics ( 'Tuva Republic' 85, \
    'Republic of Buryatia' 84, \
    'Nenets Autonomous Okrug' 83, \
    'Zabaykalsky Krai' 82, \
    'Chukotka Autonomous Okrug' 81, \
    'Magadan Oblast' 80, \
    'Altai Republic' 79, \
    'Sakhalin Oblast' 78, \
    'Republic of North Ossetia–Alania' 77, \
    'Pskov Oblast' 76, \
    'Kostroma Oblast' 75, \
    'Komi Republic' 74, \
    'Republic of Karelia' 73, \
    'Bryansk Oblast' 72, \
    'Arkhangelsk Oblast' 71, \
    'Kurgan Oblast' 70, \
    'Mari El Republic' 69, \
    'Orenburg Oblast' 68, \
    'Republic of Khakassia' 67, \
    'Kursk Oblast' 66, \
    'Kirov Oblast' 65, \
    'Kamchatka Krai' 64, \
    'Ulyanovsk Oblast' 63, \
    'Jewish Autonomous Oblast' 62, \
    'Volgograd Oblast' 61, \
    'Chelyabinsk Oblast' 60, \
    'Perm Krai' 59, \
    'Murmansk Oblast' 58, \
    'Astrakhan Oblast' 57, \
    'Sverdlovsk Oblast' 56, \
    'Kaliningrad Oblast' 55, \
    'Vologda Oblast' 54, \
    'Republic of Kalmykia' 53, \
    'Novgorod Oblast' 52, \
    'Oryol Oblast' 51, \
    'Belgorod Oblast' 50, \
    'Udmurt Republic' 49, \
    'Tambov Oblast' 48, \
    'Ivanovo Oblast' 47, \
    'Primorsky Krai' 46, \
    'Republic of Adygea' 45, \
    'Saratov Oblast' 44, \
    'Omsk Oblast' 43, \
    'Samara Oblast' 42, \
    'Republic of Dagestan' 41, \
    'Republic of Bashkortostan' 40, \
    'Altai Krai' 39, \
    'Tver Oblast' 38, \
    'Chuvash Republic' 37, \
    'Irkutsk Oblast' 36, \
    'Sevastopol' 35, \
    'Ryazan Oblast' 34, \
    'Krasnoyarsk Krai' 33, \
    'Krasnodar Krai' 32, \
    'Tyumen Oblast' 31, \
    'Sakha (Yakutia) Republic' 30, \
    'Stavropol Krai' 29, \
    'Lipetsk Oblast' 28, \
    'Vladimir Oblast' 27, \
    'Chechen Republic' 26, \
    'Nizhny Novgorod Oblast' 25, \
    'Amur Oblast' 24, \
    'Voronezh Oblast' 23, \
    'Penza Oblast' 22, \
    'Novosibirsk Oblast' 21, \
    'Rostov Oblast' 20, \
    'Yaroslavl Oblast' 19, \
    'Smolensk Oblast' 18, \
    'Republic of Crimea' 17, \
    'Tomsk Oblast' 16, \
    'Karachay-Cherkess Republic' 15, \
    'Kemerovo Oblast' 14, \
    'Khabarovsk Krai' 13, \
    'Kabardino-Balkar Republic' 12, \
    'Republic of Tatarstan' 11, \
    'Yamalo-Nenets Autonomous Okrug' 10, \
    'Republic of Mordovia' 9, \
    'Khanty-Mansi Autonomous Okrug – Yugra' 8, \
    'Leningrad Oblast' 7, \
    'Tula Oblast' 6, \
    'Kaluga Oblast' 5, \
    'Republic of Ingushetia' 4, \
    'Moscow Oblast' 3, \
    'Saint Petersburg' 2, \
    'Moscow' 1) noenhanced nomirror scale 0 font ',10'
set label 'P(top 10)' at graph 1, graph 1 noenhanced left offset 1.2,1.1 font ',9' textcolor rgb '#333333'
set label '1.00' at first 85.5, first 85 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '1.00' at first 85.5, first 84 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '1.00' at first 85.5, first 83 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '1.00' at first 85.5, first 82 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '0.94' at first 85.5, first 81 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '1.00' at first 85.5, first 80 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '0.99' at first 85.5, first 79 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '0.99' at first 85.5, first 78 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '0.84' at first 85.5, first 77 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '0.73' at first 85.5, first 76 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '0.32' at first 85.5, first 75 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '0.13' at first 85.5, first 74 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
set label '0.07' at first 85.5, first 73 noenhanced left offset 1.2,0 font ',9' textcolor rgb '#555555'
plot $ranks using (($3+$4)/2):1:($3-0.35):($4+0.35):($1-0.2):($1+0.2):5 with boxxyerror fs solid 1.0 noborder lc rgb variable notitle, \
     $ranks using 2:1 with points pt 7 ps 0.55 lc rgb '#222222' title 'median rank' noenhanced, \
     NaN with boxes fs solid 1.0 noborder lc rgb '#4c78a8' title '95% rank interval' noenhanced
unset output

# Deaths per 100,000 men aged 16-61.5 (2021 census)
# Written by percap. The data are inline: this script reads no file and runs no command.
# gnuplot map.gp writes map.png; gnuplot -e "percap_format='svg'" map.gp writes map.svg.
reset
set encoding utf8
percap_quote = sprintf('%c', 39)
if (!exists('percap_format')) percap_format = 'png'
if (!exists('percap_output')) percap_output = 'map.' . percap_format
if (percap_format eq 'svg') {
    set terminal svg size 1462,897 noenhanced font 'DejaVu Sans,10' fontscale 1.31 background rgb '#ffffff'
} else {
    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
        set terminal pngcairo size 1462,897 noenhanced font 'DejaVu Sans,10' background rgb '#ffffff'
    } else {
        set terminal png size 1462,897 noenhanced font 'DejaVu Sans,10' background rgb '#ffffff'
    }
}
set output percap_output
set lmargin at screen 0.013679890560875513
set rmargin at screen 0.8974008207934336
set bmargin at screen 0.07692307692307698
set tmargin at screen 0.9108138238573021
set border 3 lw 1 lc rgb '#666666'
set tics nomirror out scale 0.6 textcolor rgb '#333333'
set key noenhanced
set style textbox opaque noborder margins 0.5,0.2
set label 'Deaths per 100,000 men aged 16-61.5 (2021 census)' at screen 0.009575923392612859, screen 0.9732441471571907 noenhanced left font ',15' textcolor rgb '#222222'
set label 'Tile map of 85 areas' at screen 0.009575923392612859, screen 0.9487179487179487 noenhanced left font ',10.5' textcolor rgb '#555555'
set label 'Counted: named dead, BBC News Russian/Mediazona list, as of 2023-04-12. Denominator: men aged 16-61.5 (2021 census) (region_stats.csv). Rates per 100,000.' at screen 0.009575923392612859, screen 0.04753623188405797 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'Counts of verified, named deaths are a lower bound, and coverage differs between regions. Intervals (exact, 95%) reflect chance variation only, not undercounting or errors in the denominators.' at screen 0.009575923392612859, screen 0.032374581939799335 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'Each square is one area, placed to keep neighbours near each other; squares are equal whatever the area'.percap_quote.'s size or population.' at screen 0.009575923392612859, screen 0.017212931995540692 noenhanced left font ',8.5' textcolor rgb '#555555'
unset border
unset xtics
unset ytics
unset key
set xrange [0.5:19.5]
set yrange [11.5:0.5]
set palette defined (0 '#fff5eb', 0.25 '#fdd0a2', 0.5 '#fd8d3c', 0.75 '#d94801', 1 '#7f2704')
set cbrange [0:248.69729985788726]
set cbtics 50 out nomirror font ',9'
set colorbox vertical user origin screen 0.9151846785225718, screen 0.31549609810479384 size screen 0.01094391244870041, screen 0.35674470457079155 bdefault
set cblabel 'deaths per 100,000' noenhanced font ',9' offset 0.5,0
# $tiles: col row value has_value
$tiles << PERCAP_EOD
4 9 52.06299622543278 1
10 6 49.381958962946584 1
15 5 230.56098391810244 1
14 7 133.9607735375949 1
8 10 49.970623330526905 1
7 11 21.95338948779276 1
5 11 32.30923935337958 1
7 9 59.86754306097759 1
5 10 34.4745857663054 1
4 2 92.40915315986119 1
10 3 96.73715520436855 1
8 4 74.82532331617743 1
7 6 30.794541351163232 1
16 3 43.00268685960754 1
6 11 110.53937422163868 1
9 5 31.230271199645387 1
14 6 248.69729985788726 1
10 5 55.48155357915807 1
14 5 73.73063740468156 1
7 10 41.74958899368348 1
8 5 48.18868938446981 1
13 6 48.84078913241917 1
5 9 45.68571915864464 1
14 3 45.626219867683965 1
17 6 54.087226053400734 1
6 10 43.15930604319966 1
17 4 33.198063611453826 1
16 4 41.37515985857218 1
9 3 82.81108545682946 1
8 9 64.44995772637182 1
5 8 58.160412586442014 1
3 6 85.37213569249825 1
6 5 41.704790743052996 1
7 8 66.82012429051255 1
5 3 61.15134048582016 1
6 8 41.16902702421606 1
6 4 53.948950805300484 1
15 4 48.22509721741189 1
1 4 61.856636311095144 1
4 5 25.747120866072564 1
18 2 70.44400752804617 1
14 4 34.45337729230908 1
9 4 71.86388792966672 1
7 4 100.75161944320823 1
12 5 76.9584518211936 1
4 7 72.22125497327168 1
3 3 29.073175306557875 1
5 7 42.12604111501613 1
17 3 144.39801343339096 1
5 5 13.013240794732127 1
5 1 64.25167898548005 1
7 5 41.85104315368426 1
4 3 59.14024863546197 1
13 5 40.19488428745432 1
12 6 50.24130495371932 1
9 7 74.40586637374382 1
4 6 57.34746297715258 1
7 7 40.494359518773784 1
10 4 65.74756481659567 1
3 4 107.55533060323012 1
6 9 39.45565317931771 1
6 6 46.27689844722245 1
9 6 50.0799147575919 1
8 7 51.95374493146571 1
19 4 123.58421381427058 1
11 5 62.577638301250616 1
3 5 38.06015026147323 1
6 7 54.656717760319914 1
4 4 48.392136692577196 1
13 4 35.11694252630663 1
5 6 26.04496947076622 1
12 4 43.76213629596399 1
8 6 70.1449758661036 1
11 6 66.25321223938833 1
15 6 159.79964615792636 1
5 4 38.60241831089749 1
1 2 3.051433746660206 1
1 1 10.226580108892625 1
16 5 68.18281792988167 1
10 2 212.31422505307856 1
11 4 29.89852731522163 1
17 2 142.5207584582972 1
11 3 30.6453799143108 1
2 9 36.435626504315735 1
1 9 46.684562415592644 1
PERCAP_EOD
set label 'Adygea' at first 4, first 9 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '52.1' at first 4, first 9 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Bashkortostan' at first 10, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.0' textcolor rgb '#222222' front
set label '49.4' at first 10, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Buryatia' at first 15, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#ffffff' front
set label '231' at first 15, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#ffffff' front
set label 'Altai' at first 14, first 7 noenhanced center offset 0, screen 0.012508361204013378 font ',7.5' textcolor rgb '#222222' front
set label 'Republic' at first 14, first 7 noenhanced center offset 0, screen 0.0011371237458193996 font ',7.5' textcolor rgb '#222222' front
set label '134' at first 14, first 7 noenhanced center offset 0, screen -0.014214046822742474 font ',8' textcolor rgb '#222222' front
set label 'Dagestan' at first 8, first 10 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '50.0' at first 8, first 10 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Ingushetia' at first 7, first 11 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '22.0' at first 7, first 11 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Kabardino-' at first 5, first 11 noenhanced center offset 0, screen 0.012508361204013378 font ',7.5' textcolor rgb '#222222' front
set label 'Balkaria' at first 5, first 11 noenhanced center offset 0, screen 0.0011371237458193996 font ',7.5' textcolor rgb '#222222' front
set label '32.3' at first 5, first 11 noenhanced center offset 0, screen -0.014214046822742474 font ',8' textcolor rgb '#222222' front
set label 'Kalmykia' at first 7, first 9 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '59.9' at first 7, first 9 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Karachay-' at first 5, first 10 noenhanced center offset 0, screen 0.012508361204013378 font ',7.5' textcolor rgb '#222222' front
set label 'Cherkessia' at first 5, first 10 noenhanced center offset 0, screen 0.0011371237458193996 font ',7.5' textcolor rgb '#222222' front
set label '34.5' at first 5, first 10 noenhanced center offset 0, screen -0.014214046822742474 font ',8' textcolor rgb '#222222' front
set label 'Karelia' at first 4, first 2 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '92.4' at first 4, first 2 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Komi' at first 10, first 3 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '96.7' at first 10, first 3 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Mari El' at first 8, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '74.8' at first 8, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Mordovia' at first 7, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '30.8' at first 7, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Sakha' at first 16, first 3 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '43.0' at first 16, first 3 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'North' at first 6, first 11 noenhanced center offset 0, screen 0.012508361204013378 font ',7.5' textcolor rgb '#222222' front
set label 'Ossetia' at first 6, first 11 noenhanced center offset 0, screen 0.0011371237458193996 font ',7.5' textcolor rgb '#222222' front
set label '111' at first 6, first 11 noenhanced center offset 0, screen -0.014214046822742474 font ',8' textcolor rgb '#222222' front
set label 'Tatarstan' at first 9, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '31.2' at first 9, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Tuva' at first 14, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#ffffff' front
set label '249' at first 14, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#ffffff' front
set label 'Udmurtia' at first 10, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '55.5' at first 10, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Khakassia' at first 14, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '73.7' at first 14, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Chechnya' at first 7, first 10 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '41.7' at first 7, first 10 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Chuvashia' at first 8, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '48.2' at first 8, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Altai Krai' at first 13, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '48.8' at first 13, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Krasnodar' at first 5, first 9 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '45.7' at first 5, first 9 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Krasnoyarsk' at first 14, first 3 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '45.6' at first 14, first 3 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Primorsky' at first 17, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '54.1' at first 17, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Stavropol' at first 6, first 10 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '43.2' at first 6, first 10 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Khabarovsk' at first 17, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '33.2' at first 17, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Amur' at first 16, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '41.4' at first 16, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Arkhangelsk' at first 9, first 3 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '82.8' at first 9, first 3 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Astrakhan' at first 8, first 9 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '64.4' at first 8, first 9 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Belgorod' at first 5, first 8 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '58.2' at first 5, first 8 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Bryansk' at first 3, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '85.4' at first 3, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Vladimir' at first 6, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '41.7' at first 6, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Volgograd' at first 7, first 8 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '66.8' at first 7, first 8 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Vologda' at first 5, first 3 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '61.2' at first 5, first 3 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Voronezh' at first 6, first 8 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '41.2' at first 6, first 8 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Ivanovo' at first 6, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '53.9' at first 6, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Irkutsk' at first 15, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '48.2' at first 15, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Kaliningrad' at first 1, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '61.9' at first 1, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Kaluga' at first 4, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '25.7' at first 4, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Kamchatka' at first 18, first 2 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '70.4' at first 18, first 2 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Kemerovo' at first 14, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '34.5' at first 14, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Kirov' at first 9, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '71.9' at first 9, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Kostroma' at first 7, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '101' at first 7, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Kurgan' at first 12, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '77.0' at first 12, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Kursk' at first 4, first 7 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '72.2' at first 4, first 7 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Leningrad' at first 3, first 3 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '29.1' at first 3, first 3 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Lipetsk' at first 5, first 7 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '42.1' at first 5, first 7 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Magadan' at first 17, first 3 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#ffffff' front
set label '144' at first 17, first 3 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#ffffff' front
set label 'Moscow' at first 5, first 5 noenhanced center offset 0, screen 0.012508361204013378 font ',7.5' textcolor rgb '#222222' front
set label 'Oblast' at first 5, first 5 noenhanced center offset 0, screen 0.0011371237458193996 font ',7.5' textcolor rgb '#222222' front
set label '13.0' at first 5, first 5 noenhanced center offset 0, screen -0.014214046822742474 font ',8' textcolor rgb '#222222' front
set label 'Murmansk' at first 5, first 1 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '64.3' at first 5, first 1 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Nizhny' at first 7, first 5 noenhanced center offset 0, screen 0.012508361204013378 font ',7.5' textcolor rgb '#222222' front
set label 'Novgorod' at first 7, first 5 noenhanced center offset 0, screen 0.0011371237458193996 font ',7.5' textcolor rgb '#222222' front
set label '41.9' at first 7, first 5 noenhanced center offset 0, screen -0.014214046822742474 font ',8' textcolor rgb '#222222' front
set label 'Novgorod' at first 4, first 3 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '59.1' at first 4, first 3 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Novosibirsk' at first 13, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '40.2' at first 13, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Omsk' at first 12, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '50.2' at first 12, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Orenburg' at first 9, first 7 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '74.4' at first 9, first 7 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Oryol' at first 4, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '57.3' at first 4, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Penza' at first 7, first 7 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '40.5' at first 7, first 7 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Perm' at first 10, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '65.7' at first 10, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Pskov' at first 3, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '108' at first 3, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Rostov' at first 6, first 9 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '39.5' at first 6, first 9 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Ryazan' at first 6, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '46.3' at first 6, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Samara' at first 9, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '50.1' at first 9, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Saratov' at first 8, first 7 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '52.0' at first 8, first 7 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Sakhalin' at first 19, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '124' at first 19, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Sverdlovsk' at first 11, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '62.6' at first 11, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Smolensk' at first 3, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '38.1' at first 3, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Tambov' at first 6, first 7 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '54.7' at first 6, first 7 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Tver' at first 4, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '48.4' at first 4, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Tomsk' at first 13, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '35.1' at first 13, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Tula' at first 5, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '26.0' at first 5, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Tyumen' at first 12, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '43.8' at first 12, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Ulyanovsk' at first 8, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '70.1' at first 8, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Chelyabinsk' at first 11, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '66.3' at first 11, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Zabaykalsky' at first 15, first 6 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#ffffff' front
set label '160' at first 15, first 6 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#ffffff' front
set label 'Yaroslavl' at first 5, first 4 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '38.6' at first 5, first 4 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Moscow' at first 1, first 2 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '3.05' at first 1, first 2 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'St.' at first 1, first 1 noenhanced center offset 0, screen 0.012508361204013378 font ',7.5' textcolor rgb '#222222' front
set label 'Petersburg' at first 1, first 1 noenhanced center offset 0, screen 0.0011371237458193996 font ',7.5' textcolor rgb '#222222' front
set label '10.2' at first 1, first 1 noenhanced center offset 0, screen -0.014214046822742474 font ',8' textcolor rgb '#222222' front
set label 'Yevreyskaya' at first 16, first 5 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '68.2' at first 16, first 5 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Nenets' at first 10, first 2 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#ffffff' front
set label '212' at first 10, first 2 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#ffffff' front
set label 'Khanty-' at first 11, first 4 noenhanced center offset 0, screen 0.012508361204013378 font ',7.5' textcolor rgb '#222222' front
set label 'Mansi' at first 11, first 4 noenhanced center offset 0, screen 0.0011371237458193996 font ',7.5' textcolor rgb '#222222' front
set label '29.9' at first 11, first 4 noenhanced center offset 0, screen -0.014214046822742474 font ',8' textcolor rgb '#222222' front
set label 'Chukotka' at first 17, first 2 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#ffffff' front
set label '143' at first 17, first 2 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#ffffff' front
set label 'Yamalo-' at first 11, first 3 noenhanced center offset 0, screen 0.012508361204013378 font ',7.5' textcolor rgb '#222222' front
set label 'Nenets' at first 11, first 3 noenhanced center offset 0, screen 0.0011371237458193996 font ',7.5' textcolor rgb '#222222' front
set label '30.6' at first 11, first 3 noenhanced center offset 0, screen -0.014214046822742474 font ',8' textcolor rgb '#222222' front
set label 'Crimea' at first 2, first 9 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '36.4' at first 2, first 9 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
set label 'Sevastopol' at first 1, first 9 noenhanced center offset 0, screen 0.006822742474916387 font ',7.5' textcolor rgb '#222222' front
set label '46.7' at first 1, first 9 noenhanced center offset 0, screen -0.009096989966555185 font ',8' textcolor rgb '#222222' front
plot $tiles using 1:($4 == 1 ? $2 : NaN):(0.47):(0.47):3 with boxxyerror fs solid 1.0 noborder lc palette notitle, \
     $tiles using 1:($4 == 0 ? $2 : NaN):(0.47):(0.47) with boxxyerror fs pattern 4 border lc rgb '#aaaaaa' notitle
unset output

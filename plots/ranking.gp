# Deaths per 100,000 men aged 16-61.5 (2021 census)
# Written by percap. The data are inline: this script reads no file and runs no command.
# gnuplot ranking.gp writes ranking.png; gnuplot -e "percap_format='svg'" ranking.gp writes ranking.svg.
reset
set encoding utf8
percap_quote = sprintf('%c', 39)
if (!exists('percap_format')) percap_format = 'png'
if (!exists('percap_output')) percap_output = 'ranking.' . percap_format
if (percap_format eq 'svg') {
    set terminal svg size 972,1788 noenhanced font 'DejaVu Sans,10' fontscale 1.31 background rgb '#ffffff'
} else {
    if (strstrt(GPVAL_TERMINALS, 'pngcairo') > 0) {
        set terminal pngcairo size 972,1788 noenhanced font 'DejaVu Sans,10' background rgb '#ffffff'
    } else {
        set terminal png size 972,1788 noenhanced font 'DejaVu Sans,10' background rgb '#ffffff'
    }
}
set output percap_output
set lmargin at screen 0.330761316872428
set rmargin at screen 0.9686213991769548
set bmargin at screen 0.09395973154362416
set tmargin at screen 0.9496644295302014
set border 3 lw 1 lc rgb '#666666'
set tics nomirror out scale 0.6 textcolor rgb '#333333'
set key noenhanced
set style textbox opaque noborder margins 0.5,0.2
set label 'Deaths per 100,000 men aged 16-61.5 (2021 census)' at screen 0.01440329218106996, screen 0.9865771812080537 noenhanced left font ',15' textcolor rgb '#222222'
set label 'Rate for each of 85 areas, with 95% interval' at screen 0.01440329218106996, screen 0.9742729306487696 noenhanced left font ',10.5' textcolor rgb '#555555'
set label 'Counted: named dead, BBC News Russian/Mediazona list, as of 2023-04-12. Denominator: men aged 16-61.5 (2021 census) (region_stats.csv). Rates' at screen 0.01440329218106996, screen 0.03906040268456376 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'per 100,000.' at screen 0.01440329218106996, screen 0.03145413870246085 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'Counts of verified, named deaths are a lower bound, and coverage differs between regions. Intervals (exact, 95%) reflect chance variation' at screen 0.01440329218106996, screen 0.02384787472035794 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'only, not undercounting or errors in the denominators.' at screen 0.01440329218106996, screen 0.016241610738255034 noenhanced left font ',8.5' textcolor rgb '#555555'
set label 'Each bar: deaths / denominator.' at screen 0.01440329218106996, screen 0.008635346756152126 noenhanced left font ',8.5' textcolor rgb '#555555'
set xlabel 'Deaths per 100,000 men aged 16-61.5 (2021 census)' noenhanced offset 0,0.3
set xrange [0:333.66158767421945]
set yrange [0.4:85.6]
set x2range [0:333.66158767421945]
set xtics out nomirror
set x2tics out nomirror
set grid xtics lc rgb '#e6e6e6' lw 1 dt 1
set border 3 lw 1 lc rgb '#666666'
set style fill solid 1.0 noborder
set bars small
set style textbox opaque noborder margins 1,0.5
set key at screen 0.0102880658436214, screen 0.04586129753914989 left bottom horizontal Left reverse samplen 1.5 width 1 font ',9'
# $bars: y rate ci_low ci_high colour flag
$bars << PERCAP_EOD
85 248.69729985788726 217.6578189542354 282.92155901314806 5011624 0
84 230.56098391810244 213.0821478696776 249.09141150930643 5011624 0
83 212.31422505307856 139.91641213937856 308.9060505241967 5011624 0
82 159.79964615792636 145.7646455304425 174.82128267499084 5011624 0
81 144.39801343339096 111.67741312849517 183.70967782288665 5011624 0
80 142.5207584582972 90.34593528965598 213.851114728176 5011624 0
79 133.9607735375949 105.89043246147826 167.18910804601 5011624 0
78 123.58421381427058 106.28116826548265 142.90136593174273 5011624 0
77 110.53937422163868 96.68506012026126 125.82173377701442 5011624 0
76 107.55533060323012 92.69155505738945 124.12456518716952 5011624 0
75 100.75161944320823 85.87811012772447 117.46100421335333 5011624 0
74 96.73715520436855 84.20959278594813 110.60303966714766 5011624 0
73 92.40915315986119 77.68590973126209 109.11111655849544 5011624 0
72 85.37213569249825 75.90695307876707 95.6912913771434 5011624 0
71 82.81108545682946 72.581990041333 94.0779429560891 5011624 0
70 76.9584518211936 65.63071323883416 89.67985360375125 5011624 0
69 74.82532331617743 63.2561233981739 87.89803305776923 5011624 0
68 74.40586637374382 67.30062898594343 82.05715830537957 5011624 0
67 73.73063740468156 60.65396276946919 88.79070621363002 5011624 0
66 72.22125497327168 63.07245756917117 82.32412372476976 5011624 0
65 71.86388792966672 62.89468006802245 81.7533733636258 5011624 0
64 70.44400752804617 54.593138254461145 89.46139944674786 5011624 0
63 70.1449758661036 61.61898541647348 79.52088286462772 5011624 0
62 68.18281792988167 46.32691677108576 96.78006753012967 5011624 0
61 66.82012429051255 61.231034042088986 72.78228464182962 5011624 0
60 66.25321223938833 61.32360321249304 71.47362223238491 5011624 0
59 65.74756481659567 60.008268203334616 71.88770950847133 5011624 0
58 64.44995772637182 55.52018614723379 74.40724433530433 5011624 0
57 64.25167898548005 53.943521570648045 75.95599214350796 5011624 0
56 62.577638301250616 58.32629418704896 67.05693086780313 5011624 0
55 61.856636311095144 53.540317375541875 71.09868220913123 5011624 0
54 61.15134048582016 53.0087005256021 70.19082479885452 5011624 0
53 59.86754306097759 44.14160023882565 79.37567654330702 5011624 0
52 59.14024863546197 47.903791268801335 72.2203658066659 5011624 0
51 58.160412586442014 51.3556057057342 65.6160139753273 5011624 0
50 57.34746297715258 47.507618141668615 68.6247894626145 5011624 0
49 55.48155357915807 48.571435378264404 63.09906473306489 5011624 0
48 54.656717760319914 46.46651890140248 63.87478385283921 5011624 0
47 54.087226053400734 48.251491238650374 60.43424485857705 5011624 0
46 53.948950805300484 45.497480957843194 63.51496631844907 5011624 0
45 52.06299622543278 41.019719460225645 65.16460330280222 5011624 0
44 51.95374493146571 46.88669251243444 57.41910123562299 5011624 0
43 50.24130495371932 44.46797544564431 56.556099469260424 5011624 0
42 50.0799147575919 45.65412146166149 54.81888906324906 5011624 0
41 49.970623330526905 45.664901586723495 54.57294477902795 5011624 0
40 49.381958962946584 45.54655898013588 53.45407655488998 5011624 0
39 48.84078913241917 43.38072992248187 54.79790455417899 5011624 0
38 48.392136692577196 41.48778465621457 56.11709195186845 5011624 0
37 48.22509721741189 43.161738628587244 53.71923935348989 5011624 0
36 48.18868938446981 41.116317861724696 56.128369005832155 5011624 0
35 46.684562415592644 37.23743531675254 57.79866491593317 5011624 0
34 46.27689844722245 39.12174473731108 54.361921462563885 5011624 0
33 45.68571915864464 42.60632377914943 48.92886835105206 5011624 0
32 45.626219867683965 41.24251107971407 50.349036068235385 5011624 0
31 43.76213629596399 37.89279671119448 50.28307746404632 5011624 0
30 43.15930604319966 38.95530544744583 47.693321268941105 5011624 0
29 43.00268685960754 36.00525106590552 50.963044793602826 5011624 0
28 42.12604111501613 35.4371994707917 49.71038057892344 5011624 0
27 41.85104315368426 37.75891217673686 46.265719508330896 5011624 0
26 41.74958899368348 36.06698857229987 48.0733770186591 5011624 0
25 41.704790743052996 35.58402302389048 48.57616826764101 5011624 0
24 41.37515985857218 33.62768827962728 50.37277253406366 5011624 0
23 41.16902702421606 36.52762981466884 46.23682619134021 5011624 0
22 40.494359518773784 34.233279445058756 47.56911689634923 5011624 0
21 40.19488428745432 35.974651994999505 44.77416810772101 5011624 0
20 39.45565317931771 36.082490790667 43.05925198246847 5011624 0
19 38.60241831089749 32.32099816396582 45.74822917326931 5011624 0
18 38.06015026147323 30.967257328833288 46.29134047560968 5011624 0
17 36.435626504315735 31.595554857644796 41.807400143243264 5011624 0
16 35.11694252630663 28.94133092006381 42.22025011686806 5011624 0
15 34.4745857663054 25.418838079681713 45.70829916911024 5011624 0
14 34.45337729230908 30.392394471173954 38.905872431392424 5011624 0
13 33.198063611453826 27.815332778501322 39.31854599447033 5011624 0
12 32.30923935337958 25.9469722403193 39.7592992139621 5011624 0
11 31.230271199645387 28.136918240467754 34.57084092309906 5011624 0
10 30.794541351163232 24.138004649764465 38.71951242664426 5011624 0
9 30.6453799143108 22.887435512373795 40.18733859070909 5011624 0
8 29.89852731522163 25.497676032359756 34.84081980789576 5011624 0
7 29.073175306557875 25.044983144353136 33.564876300190676 5011624 0
6 26.04496947076622 21.502793438716942 31.26304142258543 5011624 0
5 25.747120866072564 20.565885672119347 31.83671367350802 5011624 0
4 21.95338948779276 15.535525000979897 30.13274227833409 5011624 0
3 13.013240794732127 11.714036931119603 14.417159848542322 5011624 0
2 10.226580108892625 8.767501960547737 11.859074129535262 5011624 0
1 3.051433746660206 2.5399865754613518 3.635645553925123 5011624 0
PERCAP_EOD
set ytics ( '1. Tuva Republic' 85, \
    '2. Republic of Buryatia' 84, \
    '3. Nenets Autonomous Okrug' 83, \
    '4. Zabaykalsky Krai' 82, \
    '5. Magadan Oblast' 81, \
    '6. Chukotka Autonomous Okrug' 80, \
    '7. Altai Republic' 79, \
    '8. Sakhalin Oblast' 78, \
    '9. Republic of North Ossetia–Alania' 77, \
    '10. Pskov Oblast' 76, \
    '11. Kostroma Oblast' 75, \
    '12. Komi Republic' 74, \
    '13. Republic of Karelia' 73, \
    '14. Bryansk Oblast' 72, \
    '15. Arkhangelsk Oblast' 71, \
    '16. Kurgan Oblast' 70, \
    '17. Mari El Republic' 69, \
    '18. Orenburg Oblast' 68, \
    '19. Republic of Khakassia' 67, \
    '20. Kursk Oblast' 66, \
    '21. Kirov Oblast' 65, \
    '22. Kamchatka Krai' 64, \
    '23. Ulyanovsk Oblast' 63, \
    '24. Jewish Autonomous Oblast' 62, \
    '25. Volgograd Oblast' 61, \
    '26. Chelyabinsk Oblast' 60, \
    '27. Perm Krai' 59, \
    '28. Astrakhan Oblast' 58, \
    '29. Murmansk Oblast' 57, \
    '30. Sverdlovsk Oblast' 56, \
    '31. Kaliningrad Oblast' 55, \
    '32. Vologda Oblast' 54, \
    '33. Republic of Kalmykia' 53, \
    '34. Novgorod Oblast' 52, \
    '35. Belgorod Oblast' 51, \
    '36. Oryol Oblast' 50, \
    '37. Udmurt Republic' 49, \
    '38. Tambov Oblast' 48, \
    '39. Primorsky Krai' 47, \
    '40. Ivanovo Oblast' 46, \
    '41. Republic of Adygea' 45, \
    '42. Saratov Oblast' 44, \
    '43. Omsk Oblast' 43, \
    '44. Samara Oblast' 42, \
    '45. Republic of Dagestan' 41, \
    '46. Republic of Bashkortostan' 40, \
    '47. Altai Krai' 39, \
    '48. Tver Oblast' 38, \
    '49. Irkutsk Oblast' 37, \
    '50. Chuvash Republic' 36, \
    '51. Sevastopol' 35, \
    '52. Ryazan Oblast' 34, \
    '53. Krasnodar Krai' 33, \
    '54. Krasnoyarsk Krai' 32, \
    '55. Tyumen Oblast' 31, \
    '56. Stavropol Krai' 30, \
    '57. Sakha (Yakutia) Republic' 29, \
    '58. Lipetsk Oblast' 28, \
    '59. Nizhny Novgorod Oblast' 27, \
    '60. Chechen Republic' 26, \
    '61. Vladimir Oblast' 25, \
    '62. Amur Oblast' 24, \
    '63. Voronezh Oblast' 23, \
    '64. Penza Oblast' 22, \
    '65. Novosibirsk Oblast' 21, \
    '66. Rostov Oblast' 20, \
    '67. Yaroslavl Oblast' 19, \
    '68. Smolensk Oblast' 18, \
    '69. Republic of Crimea' 17, \
    '70. Tomsk Oblast' 16, \
    '71. Karachay-Cherkess Republic' 15, \
    '72. Kemerovo Oblast' 14, \
    '73. Khabarovsk Krai' 13, \
    '74. Kabardino-Balkar Republic' 12, \
    '75. Republic of Tatarstan' 11, \
    '76. Republic of Mordovia' 10, \
    '77. Yamalo-Nenets Autonomous Okrug' 9, \
    '78. Khanty-Mansi Autonomous Okrug – Yugra' 8, \
    '79. Leningrad Oblast' 7, \
    '80. Tula Oblast' 6, \
    '81. Kaluga Oblast' 5, \
    '82. Republic of Ingushetia' 4, \
    '83. Moscow Oblast' 3, \
    '84. Saint Petersburg' 2, \
    '85. Moscow' 1) noenhanced nomirror scale 0 font ',10'
set label '249' at first 282.92155901314806, first 85 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '231' at first 249.09141150930643, first 84 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '212' at first 308.9060505241967, first 83 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '160' at first 174.82128267499084, first 82 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '144' at first 183.70967782288665, first 81 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '143' at first 213.851114728176, first 80 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '134' at first 167.18910804601, first 79 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '124' at first 142.90136593174273, first 78 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '111' at first 125.82173377701442, first 77 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '108' at first 124.12456518716952, first 76 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '101' at first 117.46100421335333, first 75 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '96.7' at first 110.60303966714766, first 74 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '92.4' at first 109.11111655849544, first 73 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '85.4' at first 95.6912913771434, first 72 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '82.8' at first 94.0779429560891, first 71 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '77.0' at first 89.67985360375125, first 70 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '74.8' at first 87.89803305776923, first 69 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '74.4' at first 82.05715830537957, first 68 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '73.7' at first 88.79070621363002, first 67 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '72.2' at first 82.32412372476976, first 66 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '71.9' at first 81.7533733636258, first 65 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '70.4' at first 89.46139944674786, first 64 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '70.1' at first 79.52088286462772, first 63 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '68.2' at first 96.78006753012967, first 62 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '66.8' at first 72.78228464182962, first 61 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '66.3' at first 71.47362223238491, first 60 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '65.7' at first 71.88770950847133, first 59 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '64.4' at first 74.40724433530433, first 58 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '64.3' at first 75.95599214350796, first 57 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '62.6' at first 67.05693086780313, first 56 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '61.9' at first 71.09868220913123, first 55 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '61.2' at first 70.19082479885452, first 54 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '59.9' at first 79.37567654330702, first 53 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '59.1' at first 72.2203658066659, first 52 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '58.2' at first 65.6160139753273, first 51 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '57.3' at first 68.6247894626145, first 50 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '55.5' at first 63.09906473306489, first 49 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '54.7' at first 63.87478385283921, first 48 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '54.1' at first 60.43424485857705, first 47 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '53.9' at first 63.51496631844907, first 46 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '52.1' at first 65.16460330280222, first 45 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '52.0' at first 57.41910123562299, first 44 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '50.2' at first 56.556099469260424, first 43 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '50.1' at first 54.81888906324906, first 42 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '50.0' at first 54.57294477902795, first 41 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '49.4' at first 53.45407655488998, first 40 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '48.8' at first 54.79790455417899, first 39 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '48.4' at first 56.11709195186845, first 38 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '48.2' at first 53.71923935348989, first 37 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '48.2' at first 56.128369005832155, first 36 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '46.7' at first 57.79866491593317, first 35 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '46.3' at first 54.361921462563885, first 34 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '45.7' at first 48.92886835105206, first 33 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '45.6' at first 50.349036068235385, first 32 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '43.8' at first 50.28307746404632, first 31 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '43.2' at first 47.693321268941105, first 30 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '43.0' at first 50.963044793602826, first 29 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '42.1' at first 49.71038057892344, first 28 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '41.9' at first 46.265719508330896, first 27 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '41.7' at first 48.0733770186591, first 26 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '41.7' at first 48.57616826764101, first 25 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '41.4' at first 50.37277253406366, first 24 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '41.2' at first 46.23682619134021, first 23 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '40.5' at first 47.56911689634923, first 22 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '40.2' at first 44.77416810772101, first 21 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '39.5' at first 43.05925198246847, first 20 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '38.6' at first 45.74822917326931, first 19 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '38.1' at first 46.29134047560968, first 18 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '36.4' at first 41.807400143243264, first 17 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '35.1' at first 42.22025011686806, first 16 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '34.5' at first 45.70829916911024, first 15 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '34.5' at first 38.905872431392424, first 14 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '33.2' at first 39.31854599447033, first 13 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '32.3' at first 39.7592992139621, first 12 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '31.2' at first 34.57084092309906, first 11 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '30.8' at first 38.71951242664426, first 10 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '30.6' at first 40.18733859070909, first 9 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '29.9' at first 34.84081980789576, first 8 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '29.1' at first 33.564876300190676, first 7 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '26.0' at first 31.26304142258543, first 6 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '25.7' at first 31.83671367350802, first 5 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '22.0' at first 30.13274227833409, first 4 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '13.0' at first 14.417159848542322, first 3 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '10.2' at first 11.859074129535262, first 2 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
set label '3.05' at first 3.635645553925123, first 1 noenhanced left offset 0.6,0 font ',8' textcolor rgb '#555555' boxed front
# $pooled: rate y
$pooled << PERCAP_EOD
44.77346684970939 0.4
44.77346684970939 85.6
PERCAP_EOD
plot $bars using ($2/2):1:(0):2:($1-0.36):($1+0.36):5 with boxxyerror fs solid 1.0 noborder lc rgb variable notitle, \
     $bars using 2:1:3:4 with xerrorbars pt -1 lw 1 lc rgb '#222222' notitle, \
     NaN with boxes fs solid 1.0 noborder lc rgb '#4c78a8' title '20 deaths or more' noenhanced, \
     NaN with lines lw 1 lc rgb '#222222' title '95% interval' noenhanced, \
     $pooled using 1:2 with lines lw 1.5 dt 2 lc rgb '#c0392b' title 'all areas together: 44.8' noenhanced
unset output

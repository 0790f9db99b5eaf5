# Expected values for tests/unit/test_ratio.c.
#
# Regenerate with:
#   Rscript tests/data/ratio_expected.R > tests/data/ratio_expected.csv
# (run from the top of the source tree: it reads datasets/).
#
# Rows, every number written with sprintf("%.17g"):
#   pair,x1,n1,x2,n2,level,ratio,low,high
#   area,set,row,deaths,population,reference_row,ratio,low,high
#     set 1-3: a made-up table of six areas against all others (-1) and
#     against rows 2 and 0; set 9: the 85 shipped regions
#     (deaths_2023-04-12.csv over men_16_61_2021 of region_stats.csv, in
#     region_stats.csv's order) against all others and against Moscow.
#
# The reference is R's poisson.test(c(x1, x2), c(n1, n2), conf.level):
# the estimate (x1/n1)/(x2/n2) and the Clopper-Pearson limits of
# binom.test(x1, x1 + x2) mapped by p/(1 - p) * n2/n1. poisson.test forms
# 1 - p by subtraction, which loses digits when p is within ~1e-6 of 1
# (x1 in the millions against x2 of a few); so the limits written here
# take p and 1 - p each as a quantile of its own beta distribution,
# p_L = qbeta(a2, x1, x2 + 1), 1 - p_L = qbeta(a2, x2 + 1, x1, upper tail)
# and likewise for p_U, which is the same number without the subtraction.
# The script stops unless that agrees with poisson.test to 1e-10 wherever
# both p and 1 - p exceed 1e-3, agrees with the closed forms where one
# shape is 1 (x1 = 1, x2 = 0, x2 = 1, x1 = 0) to 1e-12, and puts each
# limit back through pbeta to within 1e-9 of its tail probability.
#
# x1 = x2 = 0 is not a question poisson.test answers (binom.test of 0
# trials is an error); those rows carry the library's documented
# convention, ratio NaN and the whole interval [0, Inf].

a2_of <- function(level) (1 - level) / 2

rate_ratio <- function(x1, n1, x2, n2, level) {
  a2 <- a2_of(level)
  ratio <- if (x1 == 0 && x2 == 0) NaN else (x1 / n1) / (x2 / n2)
  low <- if (x1 == 0) 0 else
    qbeta(a2, x1, x2 + 1) / qbeta(a2, x2 + 1, x1, lower.tail = FALSE) * n2 / n1
  high <- if (x2 == 0) Inf else
    qbeta(a2, x1 + 1, x2, lower.tail = FALSE) / qbeta(a2, x2, x1 + 1) * n2 / n1
  c(ratio, low, high)
}

rel <- function(a, b) ifelse(a == b, 0, abs(a - b) / abs(b))

# Closed forms where a shape is 1: I_p(1, b) = 1 - (1 - p)^b and
# I_p(a, 1) = p^a, so the odds p/(1 - p) need no quantile at all.
closed_forms <- function(x1, n1, x2, n2, level, got) {
  a2 <- a2_of(level)
  s <- n2 / n1
  odds_a1 <- function(b, t) { l <- log1p(-t) / b; -expm1(l) / exp(l) }  # I_p(1,b) = t
  odds_b1 <- function(a, t) { l <- log(t) / a; exp(l) / -expm1(l) }    # I_p(a,1) = t
  if (x1 == 1) stopifnot(rel(got[2], odds_a1(x2 + 1, a2) * s) < 1e-12)
  if (x1 > 0 && x2 == 0) stopifnot(rel(got[2], odds_b1(x1, a2) * s) < 1e-12)
  # upper limit: P(X >= p) = a2 for X ~ Beta(x1 + 1, x2)
  if (x2 == 1) stopifnot(rel(got[3], odds_b1(x1 + 1, 1 - a2) * s) < 1e-12)
  if (x1 == 0 && x2 > 0) {
    l <- log(a2) / x2  # (1 - p)^x2 = a2
    stopifnot(rel(got[3], -expm1(l) / exp(l) * s) < 1e-12)
  }
}

check_pair <- function(x1, n1, x2, n2, level, got) {
  a2 <- a2_of(level)
  # Rebuilding p from the odds rounds it, and P moves by ~shape ulps of p.
  tol <- 1e-12 * max(1, x1 + x2)
  closed_forms(x1, n1, x2, n2, level, got)
  if (x1 > 0) {
    o <- got[2] * n1 / n2
    stopifnot(rel(pbeta(1 / (1 + 1 / o), x1, x2 + 1), a2) < tol)
  }
  if (x2 > 0) {
    o <- got[3] * n1 / n2
    stopifnot(rel(pbeta(1 / (1 + o), x2, x1 + 1), a2) < tol)
  }
  if (x1 + x2 > 0) {
    pt <- poisson.test(c(x1, x2), c(n1, n2), conf.level = level)
    stopifnot(rel(unname(pt$estimate), got[1]) < 1e-15 || is.nan(got[1]))
    pL <- qbeta(a2, x1, x2 + 1)
    pU <- qbeta(a2, x1 + 1, x2, lower.tail = FALSE)
    if (x1 > 0 && pL > 1e-3 && pL < 1 - 1e-3)
      stopifnot(rel(pt$conf.int[1], got[2]) < 1e-10)
    if (x2 > 0 && pU > 1e-3 && pU < 1 - 1e-3)
      stopifnot(rel(pt$conf.int[2], got[3]) < 1e-10)
  }
}

fmt <- function(v) sprintf("%.17g", v)
emit <- function(...) cat(paste(vapply(c(...), fmt, ""), collapse = ","), "\n", sep = "")

# ---- pairs ------------------------------------------------------------
counts <- c(0, 1, 2, 5, 10, 57, 1000, 1e4, 1e5, 1e6, 1e7)
levels <- c(0.5, 0.95, 0.998, 1 - 2e-10)
n1 <- 145977
n2 <- 1239319.5
for (level in levels) for (x1 in counts) for (x2 in counts) {
  if (x1 == 0 && x2 == 0) next
  got <- rate_ratio(x1, n1, x2, n2, level)
  check_pair(x1, n1, x2, n2, level, got)
  cat("pair,"); emit(x1, n1, x2, n2, level, got)
}
# Denominators far apart, and the symmetric case.
extra <- rbind(c(612, 1239319, 643, 278885), c(3, 1e9, 4e6, 1e3),
               c(1e6, 2e6, 1e6, 2e6), c(23, 16850, 27, 12075))
for (i in seq_len(nrow(extra))) {
  e <- extra[i, ]
  got <- rate_ratio(e[1], e[2], e[3], e[4], 0.95)
  check_pair(e[1], e[2], e[3], e[4], 0.95, got)
  cat("pair,"); emit(e[1], e[2], e[3], e[4], 0.95, got)
}

# ---- area tables --------------------------------------------------------
area_rows <- function(set, deaths, pop, ref, level) {
  for (i in seq_along(deaths)) {
    if (ref >= 0 && i == ref + 1) {
      got <- c(1, NaN, NaN)
    } else if (ref < 0) {
      got <- rate_ratio(deaths[i], pop[i], sum(deaths[-i]), sum(pop[-i]), level)
      if (sum(deaths) > 0) check_pair(deaths[i], pop[i], sum(deaths[-i]), sum(pop[-i]), level, got)
    } else {
      got <- rate_ratio(deaths[i], pop[i], deaths[ref + 1], pop[ref + 1], level)
      if (deaths[i] + deaths[ref + 1] > 0)
        check_pair(deaths[i], pop[i], deaths[ref + 1], pop[ref + 1], level, got)
    }
    cat("area,"); emit(set, i - 1, deaths[i], pop[i], ref, got)
  }
}

syn_deaths <- c(0, 3, 12, 40, 0, 7)
syn_pop <- c(1000, 2500, 8000, 20000, 300, 5000)
area_rows(1, syn_deaths, syn_pop, -1, 0.95)
area_rows(2, syn_deaths, syn_pop, 2, 0.95)
area_rows(3, syn_deaths, syn_pop, 0, 0.95)  # a reference with no deaths

stats <- read.csv("datasets/region_stats.csv", stringsAsFactors = FALSE)
deaths <- read.csv("datasets/deaths_2023-04-12.csv", stringsAsFactors = FALSE)
y <- deaths$deaths[match(stats$region_code, deaths$region_code)]
stopifnot(nrow(stats) == 85, !anyNA(y))
moscow <- which(stats$region_code == "RU-MOW") - 1
area_rows(9, y, stats$men_16_61_2021, -1, 0.95)
area_rows(10, y, stats$men_16_61_2021, moscow, 0.95)

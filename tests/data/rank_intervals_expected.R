# Reference rank intervals by simulation, for tests/unit/test_rank_intervals.c.
#
# Regenerate (about a minute) from the repository root with:
#   Rscript tests/data/rank_intervals_expected.R > tests/data/rank_intervals_expected.csv
#
# The same model as percap_rank_intervals_simulate, written afresh in R with
# R's own generator: each draw gives area i the rate
#   rgamma(shape = deaths_i + 1/2, rate = population_i)
# (the Jeffreys posterior of a Poisson rate), the areas are ranked within the
# draw, highest rate = 1, ties to the earlier row (order() is stable), and the
# ranks are counted per area. With DRAWS = 10^6 draws the reference quantiles
# are within a rank of the truth, so the C code's 10^4 draws must land within
# one rank of them (and p_top within 0.02).
#
# Quantile rule (shared with the C code): quantile(p) is the smallest rank r
# with #{draws with rank <= r} >= p * draws, i.e. R's quantile type 1;
# median = quantile(0.5), low = quantile((1 - level)/2),
# high = quantile(1 - (1 - level)/2); p_top = #{draws with rank <= top} / draws.
#
# Cases:
#   shipped  the 85 regions: deaths from datasets/deaths_2023-04-12.csv over
#            men_16_61_2021 from datasets/region_stats.csv, joined on
#            region_code; level 0.95, top 10
#   small    six made-up areas with 0 deaths, a huge count (10^6) and rates
#            that overlap; level 0.9, top 2
#   equal    five areas with the same deaths and denominator: every rank is
#            equally likely, so median 3, interval [1, 5], p_top = 2/5
#   one      a single area: rank 1 always
#
# Columns: case,region_code,deaths,population,level,top,median,low,high,p_top,
# numbers written with sprintf("%.17g").

set.seed(20230412)
DRAWS <- 1e6
CHUNK <- 1e5

rank_counts <- function(deaths, population, draws) {
  n <- length(deaths)
  counts <- numeric(n * n)  # counts[(rank - 1) * n + area]
  done <- 0
  while (done < draws) {
    m <- min(CHUNK, draws - done)
    x <- rgamma(m * n, shape = rep(deaths + 0.5, each = m),
                rate = rep(population, each = m))
    draw <- rep(seq_len(m), times = n)
    area <- rep(seq_len(n), each = m)
    o <- order(draw, -x, method = "radix")
    rk <- integer(m * n)
    rk[o] <- rep(seq_len(n), times = m)
    counts <- counts + tabulate((rk - 1) * n + area, nbins = n * n)
    done <- done + m
  }
  matrix(counts, n, n)  # [area, rank]
}

summarise <- function(counts, draws, level, top) {
  p_low <- (1 - level) / 2
  p_high <- 1 - p_low
  q <- function(row, p) which(cumsum(row) >= p * draws)[1]
  n <- nrow(counts)
  t(sapply(seq_len(n), function(i) {
    row <- counts[i, ]
    c(median = q(row, 0.5), low = q(row, p_low), high = q(row, p_high),
      p_top = sum(row[seq_len(min(top, n))]) / draws)
  }))
}

run_case <- function(name, code, deaths, population, level, top) {
  s <- summarise(rank_counts(deaths, population, DRAWS), DRAWS, level, top)
  data.frame(case = name, region_code = code, deaths = deaths,
             population = population, level = level, top = top,
             median = s[, "median"], low = s[, "low"], high = s[, "high"],
             p_top = s[, "p_top"], stringsAsFactors = FALSE)
}

d <- read.csv("datasets/deaths_2023-04-12.csv", stringsAsFactors = FALSE)
p <- read.csv("datasets/region_stats.csv", stringsAsFactors = FALSE)
shipped <- merge(p[, c("region_code", "men_16_61_2021")],
                 d[, c("region_code", "deaths")], by = "region_code", sort = FALSE)
shipped <- shipped[match(p$region_code, shipped$region_code), ]
stopifnot(nrow(shipped) == 85, !anyNA(shipped$deaths))

cases <- rbind(
  run_case("shipped", shipped$region_code, shipped$deaths,
           shipped$men_16_61_2021, 0.95, 10),
  run_case("small", c("AA", "BB", "CC", "DD", "EE", "FF"),
           c(0, 3, 12, 40, 150, 1e6),
           c(2000, 5000, 10000, 20000, 300000, 1e9), 0.9, 2),
  run_case("equal", c("AA", "BB", "CC", "DD", "EE"), rep(50, 5), rep(1e5, 5),
           0.95, 2),
  run_case("one", "AA", 7, 1000, 0.95, 10))

# Self-checks: the uniform case has known answers, and p_top sums to top.
eq <- cases[cases$case == "equal", ]
stopifnot(all(eq$median == 3), all(eq$low == 1), all(eq$high == 5),
          all(abs(eq$p_top - 0.4) < 0.005))
for (k in unique(cases$case)) {
  cs <- cases[cases$case == k, ]
  stopifnot(abs(sum(cs$p_top) - min(cs$top[1], nrow(cs))) < 1e-9)
}

fmt <- function(x) if (is.numeric(x)) sprintf("%.17g", x) else x
out <- as.data.frame(lapply(cases, fmt), stringsAsFactors = FALSE)
write.csv(out, stdout(), row.names = FALSE, quote = FALSE)

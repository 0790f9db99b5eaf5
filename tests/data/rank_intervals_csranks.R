# Reference confidence sets for ranks, for tests/unit/test_rank_intervals.c.
#
# Regenerate (a few minutes) from the repository root with:
#   Rscript tests/data/rank_intervals_csranks.R > tests/data/rank_intervals_csranks.csv
#
# The R package csranks is not in Debian, so this is an independent plain-R
# implementation of the single-step (stepdown = FALSE) two-sided sets of
# Mogstad, Romano, Shaikh and Wilhelm (2023, Review of Economic Studies,
# "Inference for ranks with applications to mobility across neighbourhoods
# and academic achievement across countries"), written from the paper's
# construction as csranks (R/ranks.R, R/diffmeans.R) implements it:
#
#   estimates   theta_j = log((deaths_j + 1/2) / population_j),
#               se_j = 1 / sqrt(deaths_j + 1/2), independent (diagonal Sigma)
#   gaps        s_jk = sqrt(se_j^2 + se_k^2)
#   rank set    low_j  = 1 + #{k: theta_j - theta_k + c_j s_jk < 0}
#               high_j = n - #{k: theta_j - theta_k - c_j s_jk > 0}
#               (rank 1 = largest theta)
#   critical    c_j = the `level` quantile of max |e_j - e_k| / s_jk over
#   value       e ~ N(0, diag(se^2)), the max taken over k != j (marginal) or
#               over all pairs (simultaneous, the same c for every j)
#
# How c is obtained here:
#   marginal      exactly: conditioning on e_j = z se_j makes the k terms
#                 independent, so P(max <= c) = integral of dnorm(z) times
#                 prod_k [pnorm((z se_j + c s_jk)/se_k) - pnorm((z se_j - c s_jk)/se_k)],
#                 done with integrate() over the whole line and solved with
#                 uniroot(); checked below against a Monte Carlo of the max.
#   simultaneous  by parametric bootstrap, as csranks does, with 10^6 draws
#                 (quantile type 7, csranks' default); except where an exact
#                 answer exists: with equal se the max is the range of n
#                 standard normals over sqrt(2), whose distribution
#                 n * int dnorm(z) (pnorm(z + w) - pnorm(z))^(n-1) dz is solved
#                 exactly (and checked against qtukey(level, n, Inf)); with
#                 n = 2 it is |N(0,1)|, so c = qnorm(1 - (1 - level)/2).
#
# `margin` is min over k of | |theta_j - theta_k| / s_jk - c_j |: how far c_j
# is from changing the set of area j. The C test requires identical integer
# bounds wherever the margin exceeds the uncertainty of its own c (1e-6 for
# exact c, the Monte Carlo tolerance otherwise). crit_exact says which.
#
# Cases: shipped (the 85 regions, as in rank_intervals_expected.R, level
# 0.95), small (six areas with 0 deaths and 10^6 deaths, level 0.9), equalse
# (eight areas with 100 deaths each, level 0.95), two (two areas, level 0.95).
#
# Columns: case,type,level,region_code,deaths,population,crit,crit_exact,
# rank,low,high,margin; numbers written with sprintf("%.17g").

set.seed(4821)
BOOT <- 1e6
CHUNK <- 1e5

estimates <- function(deaths, population)
  list(theta = log((deaths + 0.5) / population), se = 1 / sqrt(deaths + 0.5))

p_max_marginal <- function(cc, j, se) {
  sk <- se[-j]
  s <- sqrt(se[j]^2 + sk^2)
  f <- function(z) vapply(z, function(zz)
    dnorm(zz) * prod(pnorm((zz * se[j] + cc * s) / sk) -
                     pnorm((zz * se[j] - cc * s) / sk)), 0)
  integrate(f, -Inf, Inf, rel.tol = 1e-11, abs.tol = 0,
            subdivisions = 2000L)$value
}

marginal_crit <- function(j, se, level) {
  m <- length(se) - 1
  lo <- qnorm(1 - (1 - level) / 2) * 0.99
  hi <- qnorm(1 - (1 - level) / (2 * m)) * 1.01 + 0.01
  uniroot(function(cc) p_max_marginal(cc, j, se) - level, c(lo, hi),
          tol = 1e-13)$root
}

# Row maxima of |e_j - e_k| / s_jk over the pairs given, for a block of draws.
boot_max <- function(E, se, j_set) {
  m <- nrow(E)
  n <- ncol(E)
  best <- rep(0, m)
  for (j in j_set) {
    ks <- setdiff(seq_len(n), j)
    if (length(j_set) > 1) ks <- ks[ks > j]  # all pairs: each once
    if (length(ks) == 0) next
    G <- abs(E[, j] - E[, ks, drop = FALSE]) /
      rep(sqrt(se[j]^2 + se[ks]^2), each = m)
    best <- pmax(best, G[cbind(seq_len(m), max.col(G, ties.method = "first"))])
  }
  best
}

boot_crit <- function(se, level, j_set, draws) {
  n <- length(se)
  stat <- numeric(0)
  while (length(stat) < draws) {
    m <- min(CHUNK, draws - length(stat))
    E <- matrix(rnorm(m * n), m, n) * rep(se, each = m)
    stat <- c(stat, boot_max(E, se, j_set))
  }
  unname(quantile(stat, level, type = 7))
}

range_crit <- function(n, level) {
  p_range <- function(w) n * integrate(function(z)
    dnorm(z) * (pnorm(z + w) - pnorm(z))^(n - 1), -Inf, Inf,
    rel.tol = 1e-11, abs.tol = 0, subdivisions = 2000L)$value
  w <- uniroot(function(w) p_range(w) - level, c(0.1, 20), tol = 1e-13)$root
  stopifnot(abs(w - qtukey(level, n, Inf)) < 1e-3)
  w / sqrt(2)
}

rank_sets <- function(theta, se, crit) {
  n <- length(theta)
  D <- outer(theta, theta, "-")          # theta_j - theta_k
  S <- sqrt(outer(se^2, se^2, "+"))
  diag(D) <- NA
  halfwidth <- crit * S                  # row j uses crit[j]
  G <- abs(D) / S
  list(rank = 1 + rowSums(outer(theta, theta, "<")),
       low = 1 + rowSums(D + halfwidth < 0, na.rm = TRUE),
       high = n - rowSums(D - halfwidth > 0, na.rm = TRUE),
       margin = if (n > 1) apply(abs(G - crit), 1, min, na.rm = TRUE) else Inf)
}

simultaneous_crit <- function(se, level) {
  n <- length(se)
  if (n == 2) return(list(crit = qnorm(1 - (1 - level) / 2), exact = 1))
  if (all(se == se[1])) return(list(crit = range_crit(n, level), exact = 1))
  list(crit = boot_crit(se, level, seq_len(n), BOOT), exact = 0)
}

one_case <- function(name, code, deaths, population, level) {
  e <- estimates(deaths, population)
  n <- length(deaths)
  marg <- vapply(seq_len(n), marginal_crit, 0, se = e$se, level = level)
  simul <- simultaneous_crit(e$se, level)
  rows <- list()
  for (type in c("marginal", "simultaneous")) {
    crit <- if (type == "marginal") marg else rep(simul$crit, n)
    exact <- if (type == "marginal") 1 else simul$exact
    rs <- rank_sets(e$theta, e$se, crit)
    rows[[type]] <- data.frame(case = name, type = type, level = level,
      region_code = code, deaths = deaths, population = population,
      crit = crit, crit_exact = exact, rank = rs$rank, low = rs$low,
      high = rs$high, margin = rs$margin, stringsAsFactors = FALSE)
  }
  do.call(rbind, rows)
}

# Self-check of the marginal integral: a Monte Carlo of the same maximum for
# two areas of the small case must put c within its sampling error.
check_marginal <- function(deaths, population, level) {
  e <- estimates(deaths, population)
  for (j in c(1, length(deaths))) {
    exact <- marginal_crit(j, e$se, level)
    mc <- boot_crit(e$se, level, j, 4e5)
    if (abs(exact - mc) > 0.02)
      stop(sprintf("marginal c for area %d: integral %.6f, Monte Carlo %.6f",
                   j, exact, mc))
  }
}

d <- read.csv("datasets/deaths_2023-04-12.csv", stringsAsFactors = FALSE)
p <- read.csv("datasets/region_stats.csv", stringsAsFactors = FALSE)
shipped <- merge(p[, c("region_code", "men_16_61_2021")],
                 d[, c("region_code", "deaths")], by = "region_code", sort = FALSE)
shipped <- shipped[match(p$region_code, shipped$region_code), ]
stopifnot(nrow(shipped) == 85, !anyNA(shipped$deaths))

small_deaths <- c(0, 3, 12, 40, 150, 1e6)
small_pop <- c(2000, 5000, 10000, 20000, 300000, 1e9)
check_marginal(small_deaths, small_pop, 0.9)

cases <- rbind(
  one_case("shipped", shipped$region_code, shipped$deaths,
           shipped$men_16_61_2021, 0.95),
  one_case("small", c("AA", "BB", "CC", "DD", "EE", "FF"), small_deaths,
           small_pop, 0.9),
  one_case("equalse", c("AA", "BB", "CC", "DD", "EE", "FF", "GG", "HH"),
           rep(100, 8), 1e5 * c(1, 1.1, 1.25, 1.4, 1.6, 2, 2.6, 4), 0.95),
  one_case("two", c("AA", "BB"), c(10, 40), c(1000, 1500), 0.95))

# Every set holds the estimate's own rank, and simultaneous sets are at
# least as wide as marginal ones.
stopifnot(all(cases$low <= cases$rank & cases$rank <= cases$high))
mg <- cases[cases$type == "marginal", ]
sm <- cases[cases$type == "simultaneous", ]
stopifnot(all(sm$low <= mg$low), all(sm$high >= mg$high))

fmt <- function(x) if (is.numeric(x)) sprintf("%.17g", x) else x
out <- as.data.frame(lapply(cases, fmt), stringsAsFactors = FALSE)
write.csv(out, stdout(), row.names = FALSE, quote = FALSE)

# Expected values for tests/unit/test_funnel.c, written in plain R from
# the definitions (Spiegelhalter 2005, Statistics in Medicine 24:1185-1202,
# and PHEindicatormethods' funnel functions for rates), not from the C.
#
# Regenerate with (from the top of the source tree, it reads datasets/):
#   Rscript tests/data/funnel_expected.R > tests/data/funnel_expected.csv
# Notes on how these methods compare with PHE's own and with
# Spiegelhalter's interpolation go to standard error.
#
# Rows, every number via sprintf("%.17g") (NaN and Inf as R prints them):
#   limit,target,denominator,prob,limit
#       the exact Poisson limit (rate per person) by bisection on pgamma
#   phe,target,denominator,prob,limit,events
#       points of PHE's rate funnel, closed form from qchisq: the
#       denominator at which `events` events sit exactly on the limit
#   summary,set,target,phi,tau2,n,winsorised_low,winsorised_high
#   area,set,row,deaths,population,L0.001,L0.025,L0.975,L0.999,class,
#        O0.001,O0.025,O0.975,O0.999,od_class
#       L: exact limits and class; O: overdispersed limits and class;
#       classes -2..2 as percap_funnel_class
#   curve,set,denominator,prob,exact_limit,od_limit
#
# Sets: 1 overdispersed made-up table (30 areas, tau2 > 0, winsorising
# bites); 2 counts at their expected values (phi < (n-1)/n, tau2 = 0);
# 6 the same denominators with counts spread so that (n-1)/n < phi < 1;
# 3 all rates equal; 4 one area; 5 zero counts at small and large
# denominators; 9 the 85 shipped regions (deaths_2023-04-12.csv over
# men_16_61_2021 of region_stats.csv, in region_stats.csv's order).

probs <- c(0.001, 0.025, 0.975, 0.999)

# ---- the exact Poisson limit ------------------------------------------
# Bisection to the last bit: f increasing, f(lo) <= 0 <= f(hi).
bisect <- function(f, lo, hi) {
  stopifnot(f(lo) <= 0, f(hi) >= 0)
  repeat {
    mid <- (lo + hi) / 2
    if (mid <= lo || mid >= hi) break
    if (f(mid) <= 0) lo <- mid else hi <- mid
  }
  (lo + hi) / 2
}

# The count y at which the area's exact (Garwood) interval touches mu:
# P(X <= y) = p read continuously as pgamma(mu, y + 1, upper) for the
# lower limits, P(X < y) = p as pgamma(mu, y, upper) for the upper ones.
limit_count <- function(mu, p) {
  if (mu == 0) return(0)
  top <- mu + 60 * sqrt(mu) + 60
  if (p < 0.5) {
    if (exp(-mu) >= p) return(0)
    return(bisect(function(y) pgamma(mu, y + 1, lower.tail = FALSE) - p, 0, top))
  }
  bisect(function(y) pgamma(mu, y, lower.tail = FALSE) - p, 0, top)
}
exact_limit <- function(target, n, p) limit_count(target * n, p) / n

# pgamma really is the continuous Poisson distribution function.
for (mu in c(0.3, 7, 123.4, 5e4)) for (k in c(0, 1, 5, 100, 49000)) {
  stopifnot(abs(ppois(k, mu) - pgamma(mu, k + 1, lower.tail = FALSE)) <= 1e-14)
}

# ---- PHE's construction, for comparison -------------------------------
# PHEindicatormethods' poisson_funnel, with its series sum poisson_cis
# replaced by ppois: bisection on v with mean (1 + obs) v / (1 - v).
phe_poisson_funnel <- function(obs, p, side) {
  v <- 0.5
  dv <- 0.5
  while (dv > 1e-7) {
    dv <- dv / 2
    m <- (1 + obs) * v / (1 - v)
    if (side == "low") {
      up <- ppois(obs - 1, m, lower.tail = FALSE) > p
    } else {
      up <- ppois(obs, m) < p
    }
    v <- if (up) v - dv else v + dv
  }
  (1 + obs) * v / (1 - v)
}
# PHE's funnel for rates: at E events the lower limits sit at population
# poisson_funnel(E, p, "high") / av, the upper at poisson_funnel(E, p,
# "low") / av, each with rate E / population.
phe_matches <- function(av) {
  worst <- 0
  for (E in c(1:30, 57, 100, 250)) for (p in c(0.025, 0.001)) {
    n_low <- phe_poisson_funnel(E, p, "high") / av
    n_high <- phe_poisson_funnel(E, p, "low") / av
    worst <- max(worst, abs(exact_limit(av, n_low, p) / (E / n_low) - 1),
                 abs(exact_limit(av, n_high, 1 - p) / (E / n_high) - 1))
  }
  worst
}

# Spiegelhalter's appendix: y_p = qpois(p, mu), interpolated by
# alpha = (F(y_p) - p) / (F(y_p) - F(y_p - 1)), limit (y_p - alpha) / n.
spiegelhalter_limit <- function(target, n, p) {
  mu <- target * n
  yp <- qpois(p, mu)
  f1 <- ppois(yp, mu)
  f0 <- ppois(yp - 1, mu)
  max(0, yp - (f1 - p) / (f1 - f0)) / n
}

# PHE's assign_funnel_significance for rates (crude, 1 year): the target
# against the area's interval, exact (qchisq) below 10 events and Byar's
# approximation from 10 up.
phe_class <- function(y, n, av) {
  bound <- function(side, conf) {
    z <- qnorm(0.5 + conf / 2)
    if (y == 0 && side == "low") return(0)
    if (y < 10) {
      df <- if (side == "low") 2 * y else 2 * y + 2
      return(qchisq(0.5 + conf / 2, df, lower.tail = side != "low") / 2 / n)
    }
    if (side == "low") return(y * (1 - 1 / (9 * y) - z / 3 / sqrt(y))^3 / n)
    (y + 1) * (1 - 1 / (9 * (y + 1)) + z / 3 / sqrt(y + 1))^3 / n
  }
  if (av < bound("low", 0.998)) return(2)
  if (av < bound("low", 0.95)) return(1)
  if (av > bound("high", 0.998)) return(-2)
  if (av > bound("high", 0.95)) return(-1)
  0
}

# ---- overdispersion ---------------------------------------------------
classify <- function(rate, lim) {
  if (rate > lim[4]) return(2)
  if (rate > lim[3]) return(1)
  if (rate < lim[1]) return(-2)
  if (rate < lim[2]) return(-1)
  0
}

od_limit <- function(target, tau2, n, p) target * exp(qnorm(p) * sqrt(1 / (target * n) + tau2))

funnel <- function(y, n) {
  target <- sum(y) / sum(n)
  yc <- ifelse(y > 0, y, 0.5)            # no log of zero
  s <- 1 / sqrt(target * n)
  z <- (log(yc / n) - log(target)) / s
  k <- length(z) %/% 10                  # 10% at each end, as a count
  zs <- sort(z)
  lo <- zs[k + 1]
  hi <- zs[length(z) - k]
  wz <- pmin(pmax(z, lo), hi)
  phi <- mean(wz^2)
  m <- length(z)
  w <- 1 / s^2
  tau2 <- if (m > 1 && m * phi > m - 1) (m * phi - (m - 1)) / (sum(w) - sum(w^2) / sum(w)) else 0
  list(target = target, phi = phi, tau2 = tau2, n = m,
       wl = sum(z < lo), wh = sum(z > hi), yc = yc)
}

fmt <- function(v) sprintf("%.17g", v)
emit <- function(kind, ...) cat(kind, ",", paste(vapply(c(...), fmt, ""), collapse = ","), "\n", sep = "")

emit_set <- function(set, y, n) {
  f <- funnel(y, n)
  emit("summary", set, f$target, f$phi, f$tau2, f$n, f$wl, f$wh)
  for (i in seq_along(y)) {
    L <- vapply(probs, function(p) exact_limit(f$target, n[i], p), 0)
    O <- vapply(probs, function(p) od_limit(f$target, f$tau2, n[i], p), 0)
    emit("area", set, i - 1, y[i], n[i], L, classify(y[i] / n[i], L),
         O, classify(f$yc[i] / n[i], O))
  }
  f
}

emit_curve <- function(set, f) {
  for (d in c(100, 1e3, 1e4, 3e4, 1e5, 3e5, 1e6, 3e6, 1e7)) for (p in probs)
    emit("curve", set, d, p, exact_limit(f$target, d, p), od_limit(f$target, f$tau2, d, p))
}

# ---- single limits ------------------------------------------------------
target <- 2.3e-4
for (mu in c(1e-3, 0.05, 0.5, 1, 2.5, 3.7, 4, 6.9, 7, 10, 57.3, 100, 1000,
             12345.6, 1e5, 1e6, 1e7)) for (p in probs) {
  n <- mu / target
  emit("limit", target, n, p, exact_limit(target, n, p))
}
# Either side of the point where zero events stop being 'low':
# exp(-mu) = p, mu = 3.689 for p = 0.025 and 6.908 for p = 0.001.
for (p in c(0.025, 0.001)) for (m in c(0.99, 1.01, 1.1)) {
  n <- -log(p) * m / target
  emit("limit", target, n, p, exact_limit(target, n, p))
}
emit("limit", 0, 1000, 0.975, 0)

for (E in c(1, 2, 5, 10, 57, 100, 1000, 1e4, 1e5)) {
  for (p in c(0.001, 0.025)) {
    n <- qchisq(p, 2 * E + 2, lower.tail = FALSE) / 2 / target
    emit("phe", target, n, p, E / n, E)
  }
  for (p in c(0.975, 0.999)) {
    n <- qchisq(p, 2 * E, lower.tail = FALSE) / 2 / target
    emit("phe", target, n, p, E / n, E)
  }
}

# ---- tables -------------------------------------------------------------
i <- 1:30
pop1 <- round(2000 * 250^((i - 1) / 29))
y1 <- round(4e-4 * pop1 * exp(0.35 * sin(2.3 * i)))
y1[5] <- y1[5] * 4
y1[20] <- round(y1[20] / 5)
y1[2] <- 0
f1 <- emit_set(1, y1, pop1)
stopifnot(f1$tau2 > 0, f1$wl == 3, f1$wh == 3)
emit_curve(1, f1)

pop2 <- c(1500, 4000, 9000, 12000, 25000, 40000, 77000, 1e5, 2e5, 5e5,
          8e5, 1e6, 3000, 6000, 15000, 30000, 60000, 150000, 250000, 2e6)
y2 <- round(3e-4 * pop2)
f2 <- emit_set(2, y2, pop2)
stopifnot(f2$tau2 == 0, f2$n * f2$phi <= f2$n - 1)

# A table whose phi lands between (n-1)/n and 1: tau2 small but positive,
# the edge of the DerSimonian-Laird condition n phi > n - 1.
pattern <- 1.4 * sin(1.7 * seq_along(pop2))
for (c6 in seq(0.3, 3, by = 0.01)) {
  y6 <- round(3e-4 * pop2 + c6 * sqrt(3e-4 * pop2) * pattern)
  f6 <- funnel(y6, pop2)
  if (f6$phi > (f6$n - 1) / f6$n && f6$phi < 1) break
}
stopifnot(f6$phi > (f6$n - 1) / f6$n, f6$phi < 1, f6$tau2 > 0)
f6 <- emit_set(6, y6, pop2)

f3 <- emit_set(3, c(10, 20, 30, 40), c(1000, 2000, 3000, 4000))
stopifnot(f3$phi == 0, f3$tau2 == 0)
f4 <- emit_set(4, 57, 123456)
stopifnot(f4$phi == 0, f4$tau2 == 0)
f5 <- emit_set(5, c(0, 0, 1, 3, 0, 150), c(50, 40000, 900, 2000, 300, 200000))

stats <- read.csv("datasets/region_stats.csv", stringsAsFactors = FALSE)
deaths <- read.csv("datasets/deaths_2023-04-12.csv", stringsAsFactors = FALSE)
y <- deaths$deaths[match(stats$region_code, deaths$region_code)]
n <- stats$men_16_61_2021
stopifnot(nrow(stats) == 85, !anyNA(y))
f9 <- emit_set(9, y, n)
emit_curve(9, f9)

# ---- notes --------------------------------------------------------------
ours <- vapply(seq_along(y), function(j)
  classify(y[j] / n[j], vapply(probs, function(p) exact_limit(f9$target, n[j], p), 0)), 0)
phe <- vapply(seq_along(y), function(j) phe_class(y[j], n[j], f9$target), 0)
sp <- vapply(seq_along(y), function(j)
  classify(y[j] / n[j], vapply(probs, function(p) spiegelhalter_limit(f9$target, n[j], p), 0)), 0)
sp_rel <- function(j, p) {
  e <- exact_limit(f9$target, n[j], p)
  if (e == 0) 0 else abs(spiegelhalter_limit(f9$target, n[j], p) / e - 1)
}
sp_diff <- max(outer(seq_along(y), probs, Vectorize(sp_rel)))
message(sprintf("shipped data: target %.6g per 100k, phi %.4g, tau2 %.4g", 1e5 * f9$target, f9$phi, f9$tau2))
message(sprintf("PHE's bisection curve vs ours (av = that target, E = 1..250): max rel %.2g",
                phe_matches(f9$target)))
message(sprintf("PHE's Byar/exact classification differs for %d of 85 regions", sum(ours != phe)))
message(sprintf("Spiegelhalter's interpolated limits: max rel difference %.2g, classes differ for %d",
                sp_diff, sum(ours != sp)))
message("classes (exact): ", paste(names(table(ours)), table(ours), sep = ":", collapse = " "))
od <- vapply(seq_along(y), function(j)
  classify(f9$yc[j] / n[j], vapply(probs, function(p) od_limit(f9$target, f9$tau2, n[j], p), 0)), 0)
message("classes (overdispersed): ", paste(names(table(od)), table(od), sep = ":", collapse = " "))
stopifnot(phe_matches(f9$target) < 1e-5)

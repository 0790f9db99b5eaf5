# Expected values for tests/unit/test_intervals.c.
#
# Regenerate with:
#   Rscript tests/data/intervals_expected.R > tests/data/intervals_expected.csv
#
# Columns: method,events,denominator,level,low,high, every number written
# with sprintf("%.17g") so the C test reads back the exact doubles R had.
#
# Sources of truth:
#   exact   Garwood limits from base R's qchisq (low = qchisq(alpha/2, 2x)/2,
#           high = qchisq(alpha/2, 2x+2, lower.tail = FALSE)/2), cross-checked
#           below against epitools::pois.exact at levels up to 95%. That
#           function solves with uniroot at its default tolerance, so it only
#           agrees to ~1e-4 and cannot be the reference itself; its search
#           interval [0, 5x + 4] also misses the upper limit of x = 0 at 99.8%.
#   byar    PHEindicatormethods' byars_lower/byars_upper (R/Byars.R, same
#           formula and z = qnorm(confidence + (1 - confidence)/2)),
#           reimplemented here because that package is not in Debian. Unlike
#           byars_lower, lower limits are clipped at 0: the cube goes negative
#           for x = 1 above ~99.2% confidence, and x = 0 gives 0 * Inf.
#   wilson  the score interval, cross-checked against prop.test(correct = FALSE).
#   normal  x/n +- z sqrt(x)/n, lower limit clipped at 0.
#   gamma_quantile
#           not an interval method: rows test percap_gamma_quantile directly,
#           with events = shape, level = tail probability, low = qgamma(p, a),
#           high = qgamma(p, a, lower.tail = FALSE); denominator is unused (1).
#   gamma_tail
#           rows test percap_gamma_tail (the forward CDF the quantiles and the
#           funnel limits are solved with): events = shape a, level = the
#           point x (a + z sqrt(a) for z from -8 to 8, or a / 100 where that
#           is not > 0), low = pgamma(x, a), high = pgamma(x, a, lower.tail =
#           FALSE); denominator is unused (1).
#
# Upper tails use lower.tail = FALSE rather than 1 - alpha/2: at levels such as
# 1 - 2e-10, rounding 1 - 1e-10 would move the quantile by ~1e-8 relative,
# more than the 1e-9 tolerance the test checks at.

suppressPackageStartupMessages(library(epitools))

z_of <- function(level) qnorm((1 - level) / 2, lower.tail = FALSE)

exact <- function(x, n, level) {
  a2 <- (1 - level) / 2
  low <- if (x == 0) 0 else qchisq(a2, 2 * x) / 2
  high <- qchisq(a2, 2 * x + 2, lower.tail = FALSE) / 2
  c(low, high) / n
}

byar <- function(x, n, level) {
  z <- qnorm(level + (1 - level) / 2)
  low <- if (x == 0) 0 else x * (1 - 1 / (9 * x) - z / (3 * sqrt(x)))^3
  high <- (x + 1) * (1 - 1 / (9 * (x + 1)) + z / (3 * sqrt(x + 1)))^3
  c(max(0, low), high) / n
}

wilson <- function(x, n, level) {
  z <- z_of(level)
  p <- x / n
  centre <- p + z^2 / (2 * n)
  half <- z * sqrt(p * (1 - p) / n + z^2 / (4 * n^2))
  low <- if (x == 0) 0 else (centre - half) / (1 + z^2 / n)
  high <- if (x == n) 1 else (centre + half) / (1 + z^2 / n)
  c(low, high)
}

normal <- function(x, n, level) {
  z <- z_of(level)
  c(max(0, x / n - z * sqrt(x) / n), x / n + z * sqrt(x) / n)
}

gamma_quantile <- function(a, n, p) {
  c(qgamma(p, a), qgamma(p, a, lower.tail = FALSE))
}

gamma_tail <- function(a, n, x) {
  c(pgamma(x, a), pgamma(x, a, lower.tail = FALSE))
}

methods <- list(exact = exact, byar = byar, wilson = wilson, normal = normal,
                gamma_quantile = gamma_quantile, gamma_tail = gamma_tail)

levels3 <- c(0.90, 0.95, 0.998)
cases <- rbind(
  expand.grid(method = "exact",
              events = c(0, 1, 10, 100, 1e5, 1e6, 1e7), level = levels3,
              stringsAsFactors = FALSE),
  # Around and beyond where GSL's own inverse starts to fail.
  expand.grid(method = "exact", events = c(2, 15000, 20000, 50000, 3e6),
              level = 0.95, stringsAsFactors = FALSE),
  # Tail probabilities of 1e-10.
  expand.grid(method = "exact", events = c(1, 100, 1e5, 1e7),
              level = 1 - 2e-10, stringsAsFactors = FALSE),
  expand.grid(method = "byar",
              events = c(0, 1, 2, 5, 10, 57, 100, 1000, 1e5, 1e6, 1e7),
              level = levels3, stringsAsFactors = FALSE),
  expand.grid(method = "normal",
              events = c(0, 1, 4, 10, 100, 1e4, 1e6, 1e7), level = levels3,
              stringsAsFactors = FALSE),
  expand.grid(method = "gamma_quantile",
              events = c(0.5, 1, 3.5, 10, 1000, 20000, 1e6, 1e7, 1e8),
              level = c(0.5, 0.025, 1e-4, 1e-10), stringsAsFactors = FALSE)
)
# Denominators chosen so the rates are per person, as the library reports.
denominator_for <- function(x) {
  if (x < 1000) 1e5 else if (x < 1e6) 1e8 else 1e9
}
cases$denominator <- vapply(cases$events, denominator_for, 0)
cases$denominator[cases$method == "gamma_quantile"] <- 1

tail_cases <- expand.grid(a = c(0.5, 1, 3.5, 10, 99, 100, 1000, 20000, 1e6, 1e7),
                          z = c(-8, -3, -1.96, -0.5, 0, 0.5, 1.96, 3, 8))
tail_x <- tail_cases$a + tail_cases$z * sqrt(tail_cases$a)
tail_x[tail_x <= 0] <- tail_cases$a[tail_x <= 0] / 100
cases <- rbind(cases, data.frame(method = "gamma_tail", events = tail_cases$a,
                                 level = tail_x, denominator = 1)[, names(cases)])

# Wilson needs x <= n, including small n where the interval is wide.
wilson_cases <- data.frame(
  events = c(0, 1, 5, 10, 0, 3, 50, 99, 100, 1000, 1e5, 1e7, 1e9),
  denominator = c(10, 10, 10, 10, 100, 1000, 100, 100, 100, 1e5, 1e8, 1e9, 1e9)
)
wilson_cases <- merge(wilson_cases, data.frame(level = levels3))
wilson_cases$method <- "wilson"
cases <- rbind(cases, wilson_cases[, names(cases)])

fmt <- function(v) sprintf("%.17g", v)
cat("method,events,denominator,level,low,high\n")
for (i in seq_len(nrow(cases))) {
  r <- cases[i, ]
  lim <- methods[[r$method]](r$events, r$denominator, r$level)
  stopifnot(all(is.finite(lim)), r$method == "gamma_tail" || lim[1] <= lim[2])

  if (r$method == "exact" && r$level <= 0.95) {
    ep <- pois.exact(r$events, r$denominator, r$level)
    stopifnot(isTRUE(all.equal(c(ep$lower, ep$upper), lim, tolerance = 1e-3)))
  }
  if (r$method == "wilson") {
    pt <- prop.test(r$events, r$denominator, conf.level = r$level,
                    correct = FALSE)$conf.int
    stopifnot(isTRUE(all.equal(as.numeric(pt), lim, tolerance = 1e-12)))
  }
  cat(paste(r$method, fmt(r$events), fmt(r$denominator), fmt(r$level),
            fmt(lim[1]), fmt(lim[2]), sep = ","), "\n", sep = "")
}

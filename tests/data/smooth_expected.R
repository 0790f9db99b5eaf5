# Expected values for tests/unit/test_smooth.c (src/smooth.c).
#
# Regenerate, from the top of the source tree, with
#   Rscript tests/data/smooth_expected.R > tests/data/smooth_expected.csv
# It needs MASS, spdep and Rmpfr (Debian: r-cran-mass r-cran-spdep
# r-cran-rmpfr); the cross-checks it makes are printed on stderr, and it
# stops if two independent fits disagree where both should be right.
#
# Inputs: the synthetic tables of tests/data/smooth_cases.csv, and the
# shipped data (case "shipped"): deaths from datasets/deaths_2023-04-12.csv
# over men_16_61_2021 from datasets/region_stats.csv, joined on
# region_code in the order of region_stats.csv, a region without a count
# counting 0 deaths (as percap_join_counts does).
#
# Output columns: case,method,level,per,item,quantity,value,tol.
#   item      an area's code, or "summary"
#   quantity  rate, low, high (per `per` people), shrinkage (weight on the
#             overall mean); prior_mean, prior_var, shape, rate_param
#             (per person), loglik, at_boundary (1/0)
#   tol       relative tolerance the C test applies: 1e-9 for closed
#             forms (Marshall, and every boundary case), 1e-6 for what
#             depends on the maximum-likelihood fit
# Every number is sprintf("%.17g").
#
# Sources of truth:
#   Marshall  spdep::EBest(n = deaths, x = population) gives the smoothed
#             rates and its parameters a (= phi) and b (= m); shrinkage is
#             (b/x)/(a + b/x). EBest gives NaN when every count is 0 (its
#             0/0); there percap's documented convention is used: rate 0.
#             Limits: qgamma of Gamma(y + b^2/a, x + b/a) when a > 0.
#   Clayton-Kaldor
#             the negative-binomial ML (theta = nu, exp(intercept) = mu =
#             nu/alpha), computed three ways:
#               A  MASS::glm.nb(y ~ 1 + offset(log(n))), polished by
#                  alternating MASS::theta.ml(eps = 1e-15) and glm with
#                  family negative.binomial(theta) until theta settles;
#               B  nlm() on -sum(dnbinom(log = TRUE)) over (log theta,
#                  log mu), with its analytic gradient, from the moment
#                  estimate (Marshall's m^2/phi, or 1);
#               C  the profile likelihood in 256-bit arithmetic (Rmpfr):
#                  mu solved for by unirootR, the profile maximised over
#                  log theta by optimizeR (golden section, tol 1e-20).
#             C is written to the file. A and B must agree with it to 1e-7
#             on every case except "nearpoisson", where theta ~ 5e8 and the
#             score cancels to nothing in double precision (they are
#             reported there, not checked). Limits: qgamma of
#             Gamma(y + theta, n + theta/mu). The log-likelihood is C's.
#   Boundary  no overdispersion: EBest's a = 0, and for Clayton-Kaldor
#             sum((y - n m)^2 - y) <= 0 (the profile score at 1/theta = 0),
#             where glm.nb's theta runs off to its iteration limit (shown
#             on stderr). Every rate is m = sum(y)/sum(n), shrinkage 1, and
#             the limits are the Garwood interval of sum(y) over sum(n):
#             qgamma(t, Y)/N and qgamma(t, Y + 1, lower.tail = FALSE)/N.
#             Clayton-Kaldor's log-likelihood there is the Poisson one.

suppressPackageStartupMessages({
  library(MASS)
  library(spdep)
  library(Rmpfr)
})

f17 <- function(x) sprintf("%.17g", x)
rows <- character(0)
emit <- function(case, method, level, per, item, quantity, value, tol) {
  rows <<- c(rows, paste(case, method, f17(level), f17(per), item, quantity,
                         f17(value), f17(tol), sep = ","))
}
say <- function(...) message(sprintf(...))
rel <- function(a, b) max(abs(a - b) / abs(b))

garwood <- function(Y, N, level) {
  t <- (1 - level) / 2
  c(if (Y == 0) 0 else qgamma(t, Y), qgamma(t, Y + 1, lower.tail = FALSE)) / N
}

post_limits <- function(shape, rate, level) {
  t <- (1 - level) / 2
  rbind(qgamma(t, shape, rate), qgamma(t, shape, rate, lower.tail = FALSE))
}

emit_areas <- function(case, method, level, per, codes, rate, lim, shrink, tol) {
  for (i in seq_along(codes)) {
    emit(case, method, level, per, codes[i], "rate", rate[i] * per, tol)
    emit(case, method, level, per, codes[i], "low", lim[1, i] * per, tol)
    emit(case, method, level, per, codes[i], "high", lim[2, i] * per, tol)
    emit(case, method, level, per, codes[i], "shrinkage", shrink[i], tol)
  }
}

emit_summary <- function(case, method, level, per, s, tol) {
  for (q in names(s))
    emit(case, method, level, per, "summary", q, s[[q]],
         if (q == "at_boundary") 0 else tol)
}

boundary_rows <- function(case, method, level, per, codes, y, n) {
  k <- length(y)
  m <- sum(y) / sum(n)
  lim <- matrix(garwood(sum(y), sum(n), level), 2, k)
  emit_areas(case, method, level, per, codes, rep(m, k), lim, rep(1, k), 1e-9)
  m
}

# ---- Marshall ---------------------------------------------------------

marshall <- function(case, level, per, codes, y, n) {
  eb <- EBest(y, n)
  a <- attr(eb, "parameters")$a
  b <- attr(eb, "parameters")$b
  s <- list(prior_mean = b, prior_var = a)
  if (a > 0) {
    shrink <- (b / n) / (a + b / n)
    post_mean <- (y + b^2 / a) / (n + b / a)
    say("%s marshall: EBest vs posterior mean, rel %.2g", case, rel(post_mean, eb$estmm))
    emit_areas(case, "marshall", level, per, codes, eb$estmm,
               post_limits(y + b^2 / a, n + b / a, level), shrink, 1e-9)
    s <- c(s, shape = b^2 / a, rate_param = b / a, at_boundary = 0)
  } else {
    if (sum(y) > 0) stopifnot(all(eb$estmm == b))
    else say("%s marshall: EBest gives %s (0/0); percap's convention is 0", case,
             paste(unique(eb$estmm), collapse = " "))
    boundary_rows(case, "marshall", level, per, codes, y, n)
    s <- c(s, shape = Inf, rate_param = Inf, at_boundary = 1)
  }
  emit_summary(case, "marshall", level, per, s, 1e-9)
}

# ---- Clayton-Kaldor: three fits ---------------------------------------

fit_glmnb <- function(y, n) {
  fit <- suppressWarnings(glm.nb(y ~ 1 + offset(log(n)),
                                 control = glm.control(epsilon = 1e-12, maxit = 200)))
  th <- fit$theta
  b0 <- coef(fit)[[1]]
  for (i in 1:200) {
    g <- suppressWarnings(glm(y ~ 1 + offset(log(n)), family = negative.binomial(th),
                              start = b0, control = glm.control(epsilon = 1e-15, maxit = 100)))
    b0 <- coef(g)[[1]]
    th2 <- suppressWarnings(theta.ml(y, fitted(g), limit = 100, eps = 1e-15))
    done <- abs(th2 - th) <= 1e-14 * th
    th <- th2
    if (done) break
  }
  c(theta = th, mu = exp(b0))
}

fit_nlm <- function(y, n, theta0) {
  nll <- function(p) {
    th <- exp(p[1])
    mu <- exp(p[2])
    m <- n * mu
    f <- -sum(dnbinom(y, size = th, mu = m, log = TRUE))
    g_th <- sum(digamma(y + th) - digamma(th) + log(th / (th + m)) + (m - y) / (th + m))
    g_mu <- sum(y / mu - (y + th) * n / (th + m))
    attr(f, "gradient") <- -c(g_th * th, g_mu * mu)
    f
  }
  # nlm's own check of the gradient fails where the score cancels (the
  # nearpoisson case), so it is skipped; the result is checked against C
  o <- suppressWarnings(nlm(nll, c(log(theta0), log(sum(y) / sum(n))), gradtol = 1e-14,
                            steptol = 1e-16, iterlim = 5000, check.analyticals = FALSE))
  c(theta = exp(o$estimate[1]), mu = exp(o$estimate[2]))
}

fit_mpfr <- function(y, n, theta0, prec = 256) {
  Y <- mpfr(y, prec)
  N <- mpfr(n, prec)
  lm0 <- log(sum(Y) / sum(N))
  mu_hat <- function(th) {
    score <- function(lm) { m <- N * exp(lm); sum(Y - (Y + th) * m / (th + m)) }
    unirootR(score, c(lm0 - 3, lm0 + 3), tol = mpfr(1e-60, prec))$root
  }
  profile <- function(lth) {
    th <- exp(lth)
    m <- N * exp(mu_hat(th))
    sum(lgamma(Y + th) - lgamma(th) - lgamma(Y + 1) + th * log(th / (th + m)) +
          Y * log(m / (th + m)))
  }
  # optimizeR wants plain doubles for the bracket and tolerance (it
  # drops an mpfr bound that already has enough precision)
  lo <- log(theta0) - 4
  hi <- log(theta0) + 4
  o <- optimizeR(profile, lo, hi, tol = 1e-20, maximum = TRUE, method = "GoldenRatio",
                 precBits = prec)
  lth <- o$maximum
  if (asNumeric(min(lth - lo, hi - lth)) < 0.01) stop("mpfr fit at the edge of its bracket")
  th <- exp(lth)
  # optimizeR's objective is the negated function when maximising
  c(theta = asNumeric(th), mu = asNumeric(exp(mu_hat(th))), loglik = asNumeric(profile(lth)))
}

# The fit, once per data set: NULL at the boundary.
fit_ck <- function(case, y, n) {
  m <- sum(y) / sum(n)
  u0 <- sum((y - n * m)^2 - y) / 2
  if (sum(y) == 0 || u0 <= 0) {
    if (sum(y) > 0) {
      th <- tryCatch(suppressWarnings(glm.nb(y ~ 1 + offset(log(n)))$theta),
                     error = function(e) conditionMessage(e))
      say("%s clayton-kaldor: score at 1/theta = 0 is %.6g <= 0; glm.nb gives theta %s",
          case, u0, format(th))
    }
    return(NULL)
  }
  eb <- attr(EBest(y, n), "parameters")
  theta0 <- if (eb$a > 0) eb$b^2 / eb$a else 1
  failed <- function(e) c(theta = NA, mu = NA)
  A <- tryCatch(fit_glmnb(y, n), error = failed)
  B <- tryCatch(fit_nlm(y, n, theta0), error = failed)
  C <- fit_mpfr(y, n, theta0)
  for (x in list(list("glm.nb", A), list("nlm", B))) {
    e <- rel(x[[2]], C[c("theta", "mu")])
    say("%s clayton-kaldor: %s vs mpfr: theta %.10g, mu %.10g, max rel %.2g", case,
        x[[1]], x[[2]][["theta"]], x[[2]][["mu"]], e)
    if (case != "nearpoisson" && !(e <= 1e-7)) stop("fits disagree")
  }
  say("%s clayton-kaldor: theta %.17g mu %.17g loglik %.17g", case, C[["theta"]],
      C[["mu"]], C[["loglik"]])
  C
}

clayton_kaldor <- function(case, level, per, codes, y, n, C) {
  if (is.null(C)) {
    m <- boundary_rows(case, "clayton-kaldor", level, per, codes, y, n)
    ll <- sum(dpois(y, n * m, log = TRUE))
    emit_summary(case, "clayton-kaldor", level, per,
                 list(prior_mean = m, prior_var = 0, shape = Inf, rate_param = Inf,
                      loglik = ll, at_boundary = 1), 1e-9)
    return(invisible())
  }
  th <- C[["theta"]]
  mu <- C[["mu"]]
  alpha <- th / mu
  emit_areas(case, "clayton-kaldor", level, per, codes, (y + th) / (n + alpha),
             post_limits(y + th, n + alpha, level), alpha / (n + alpha), 1e-6)
  emit_summary(case, "clayton-kaldor", level, per,
               list(prior_mean = mu, prior_var = th / alpha^2, shape = th,
                    rate_param = alpha, loglik = C[["loglik"]], at_boundary = 0), 1e-6)
}

run_case <- function(case, codes, y, n, configs) {
  C <- fit_ck(case, y, n)
  for (cf in configs) {
    marshall(case, cf[1], cf[2], codes, y, n)
    clayton_kaldor(case, cf[1], cf[2], codes, y, n, C)
  }
}

cases <- read.csv("tests/data/smooth_cases.csv", stringsAsFactors = FALSE)
for (case in unique(cases$case)) {
  d <- cases[cases$case == case, ]
  configs <- list(c(0.95, 1e5))
  if (case == "overdisp") configs <- c(configs, list(c(0.9, 1000)))
  run_case(case, d$code, d$deaths, d$population, configs)
}

stats <- read.csv("datasets/region_stats.csv", stringsAsFactors = FALSE)
deaths <- read.csv("datasets/deaths_2023-04-12.csv", stringsAsFactors = FALSE)
y <- deaths$deaths[match(stats$region_code, deaths$region_code)]
y[is.na(y)] <- 0
run_case("shipped", stats$region_code, y, stats$men_16_61_2021, list(c(0.95, 1e5)))

cat("case,method,level,per,item,quantity,value,tol\n")
cat(rows, sep = "\n")

# The work of `percap reproduce bessudnov-2023` (without drawing charts),
# written as an R user would write it, for the speed comparison in
# bench/run.sh. Same inputs, same outputs (one CSV per table):
#   rates per 100,000 men 16-61.5 with exact (Garwood) 95% intervals, for
#     the lists of 2023-04-12 and 2022-12-09, with a pooled row;
#   rank intervals by simulation: 10,000 draws of each rate from its
#     Gamma(deaths + 1/2, 1/men) posterior, median rank, 95% interval,
#     P(rank <= 10);
#   OLS of the rate on poverty and the non-Russian share (Bessudnov's
#     model, n = 83), Poisson and negative-binomial (MASS::glm.nb) models
#     of the deaths with log(men) as offset, rate ratios with 95% intervals;
#   funnel: each region against the pooled rate, exact Poisson limits at
#     95% and 99.8%, and the limits as curves over 200 denominators;
#   Clayton-Kaldor empirical Bayes: a gamma prior fitted by maximum
#     likelihood, posterior means and 95% intervals, shrinkage.
# Usage: Rscript bessudnov.R DATASETS_DIR OUT_DIR
suppressPackageStartupMessages(library(MASS))
args <- commandArgs(trailingOnly = TRUE)
ds <- args[1]
out <- args[2]
dir.create(out, showWarnings = FALSE, recursive = TRUE)
per <- 1e5
cov_cols <- c("poverty_pct_2020", "mean_income_2020", "russian_pct_men_2010")

regions <- read.csv(file.path(ds, "regions.csv"), encoding = "UTF-8")
stats <- read.csv(file.path(ds, "region_stats.csv"), encoding = "UTF-8")

rates_table <- function(deaths_file) {
  d <- read.csv(file.path(ds, deaths_file), encoding = "UTF-8")
  t <- merge(d, stats[, c("region_code", "men_16_61_2021", cov_cols)], by = "region_code")
  t <- t[t$region_code %in% regions$iso_code, ]
  pop <- t$men_16_61_2021
  t$rate <- t$deaths / pop * per
  t$ci_low <- ifelse(t$deaths == 0, 0, qchisq(0.025, 2 * t$deaths) / 2) / pop * per
  t$ci_high <- qchisq(0.975, 2 * t$deaths + 2) / 2 / pop * per
  t <- t[order(-t$rate), ]
  t$rank <- seq_len(nrow(t))
  all_d <- sum(t$deaths)
  all_p <- sum(pop)
  pooled <- data.frame(region_code = "ALL", deaths = all_d, men = all_p,
                       rate = all_d / all_p * per,
                       ci_low = qchisq(0.025, 2 * all_d) / 2 / all_p * per,
                       ci_high = qchisq(0.975, 2 * all_d + 2) / 2 / all_p * per)
  list(table = t, pooled = pooled)
}

rank_intervals <- function(t, draws = 10000, top = 10) {
  set.seed(1)
  n <- nrow(t)
  sims <- matrix(rgamma(n * draws, shape = t$deaths + 0.5, rate = t$men_16_61_2021),
                 nrow = n)
  ranks <- apply(-sims, 2, rank, ties.method = "first")
  t$rank_median <- apply(ranks, 1, median)
  t$rank_low <- apply(ranks, 1, quantile, 0.025, type = 1)
  t$rank_high <- apply(ranks, 1, quantile, 0.975, type = 1)
  t$p_top <- rowMeans(ranks <= top)
  t
}

r23 <- rates_table("deaths_2023-04-12.csv")
t23 <- rank_intervals(r23$table)
write.csv(rbind(t23[, c("region_code", "deaths", "rate", "ci_low", "ci_high")],
                r23$pooled[, c("region_code", "deaths", "rate", "ci_low", "ci_high")]),
          file.path(out, "bessudnov_rates.csv"), row.names = FALSE)
write.csv(t23, file.path(out, "bessudnov_rank_intervals.csv"), row.names = FALSE)
r22 <- rates_table("deaths_2022-12-09.csv")
write.csv(r22$table, file.path(out, "bessudnov_rates_2022-12.csv"), row.names = FALSE)

# Bessudnov's model
t <- r23$table
t$nonrus <- 100 - t$russian_pct_men_2010
ols <- lm(rate ~ poverty_pct_2020 + nonrus, data = t)
s <- summary(ols)
write.csv(data.frame(term = rownames(s$coefficients), s$coefficients),
          file.path(out, "bessudnov_ols.csv"), row.names = FALSE)
writeLines(sprintf('{"n":%d,"r_squared":%.17g,"adj_r_squared":%.17g,"sigma":%.17g}',
                   length(s$residuals), s$r.squared, s$adj.r.squared, s$sigma),
           file.path(out, "bessudnov_ols.json"))

ratios <- function(fit) {
  co <- summary(fit)$coefficients
  data.frame(term = rownames(co), estimate = co[, 1], std_error = co[, 2],
             ratio = exp(co[, 1]), ratio_low = exp(co[, 1] - qnorm(0.975) * co[, 2]),
             ratio_high = exp(co[, 1] + qnorm(0.975) * co[, 2]))
}
pois <- glm(deaths ~ poverty_pct_2020 + nonrus + offset(log(men_16_61_2021)),
            family = poisson, data = t)
write.csv(ratios(pois), file.path(out, "bessudnov_poisson.csv"), row.names = FALSE)
nb <- glm.nb(deaths ~ poverty_pct_2020 + nonrus + offset(log(men_16_61_2021)), data = t)
write.csv(ratios(nb), file.path(out, "bessudnov_negbin.csv"), row.names = FALSE)

# funnel around the pooled rate
p0 <- sum(t$deaths) / sum(t$men_16_61_2021)
limits <- function(pop, q) qpois(q, p0 * pop) / pop * per
f <- t
f$funnel <- with(f, ifelse(rate > limits(men_16_61_2021, 0.999), "high_99.8",
                   ifelse(rate > limits(men_16_61_2021, 0.975), "high_95",
                   ifelse(rate < limits(men_16_61_2021, 0.001), "low_99.8",
                   ifelse(rate < limits(men_16_61_2021, 0.025), "low_95", "within")))))
write.csv(f, file.path(out, "bessudnov_funnel.csv"), row.names = FALSE)
den <- exp(seq(log(min(t$men_16_61_2021) / 2), log(max(t$men_16_61_2021) * 2),
               length.out = 200))
write.csv(data.frame(denominator = den, low_99.8 = limits(den, 0.001),
                     low_95 = limits(den, 0.025), high_95 = limits(den, 0.975),
                     high_99.8 = limits(den, 0.999)),
          file.path(out, "bessudnov_funnel_curves.csv"), row.names = FALSE)

# Clayton-Kaldor: deaths ~ Poisson(e * theta), theta ~ Gamma(a, b), so
# deaths ~ negative binomial; (a, b) by maximum likelihood
e <- t$men_16_61_2021
negll <- function(par) {
  a <- exp(par[1]); b <- exp(par[2])
  -sum(dnbinom(t$deaths, size = a, prob = b / (b + e), log = TRUE))
}
m <- sum(t$deaths) / sum(e)
fit <- optim(c(log(1), log(1 / m)), negll, method = "BFGS")
a <- exp(fit$par[1]); b <- exp(fit$par[2])
sm <- t
sm$smoothed_rate <- (a + t$deaths) / (b + e) * per
sm$smoothed_low <- qgamma(0.025, a + t$deaths, b + e) * per
sm$smoothed_high <- qgamma(0.975, a + t$deaths, b + e) * per
sm$shrinkage <- b / (b + e)
write.csv(sm, file.path(out, "bessudnov_smoothed.csv"), row.names = FALSE)

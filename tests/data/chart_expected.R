# Expected values for the fitted line and band of the scatter chart
# (percap_chart_fit_compute), tested in tests/unit/test_chart.c.
#
# Regenerate with:
#   Rscript tests/data/chart_expected.R > tests/data/chart_expected.csv
#
# Data: the shipped datasets/deaths_2023-04-12.csv over men_16_61_2021 of
# datasets/region_stats.csv (85 regions, rate per 100,000), with that
# file's covariates; and a synthetic table of 4 areas (case tiny). For
# each case the model is fitted on the rows that have every variable it
# uses, the line is evaluated at 101 points spread evenly over the range of
# the x covariate on those rows, with every other covariate at its mean
# over those rows, and the band is the 95% confidence interval of the mean:
#   ols, wls   predict.lm(fit, newdata, interval = "confidence")
#   poisson,   predict.glm(fit, newdata, type = "link", se.fit = TRUE) with
#   negbin     the offset log(population) at 0 (rate per person), then
#              1e5 * exp(fit +- qnorm(0.975) * se.fit); MASS::glm.nb.
# Written as case,i,x,fit,low,high with sprintf("%.17g").
suppressPackageStartupMessages(library(MASS))

here <- local({
  f <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(f)) dirname(sub("^--file=", "", f[1])) else "tests/data"
})
datasets <- file.path(here, "..", "..", "datasets")
stats <- read.csv(file.path(datasets, "region_stats.csv"), stringsAsFactors = FALSE)
deaths <- read.csv(file.path(datasets, "deaths_2023-04-12.csv"), stringsAsFactors = FALSE)
shipped <- merge(stats, deaths[, c("region_code", "deaths")], by = "region_code")
shipped$population <- shipped$men_16_61_2021
shipped$rate <- shipped$deaths / shipped$population * 1e5

tiny <- data.frame(region_code = c("T1", "T2", "T3", "T4"),
                   population = c(1000, 2000, 4000, 8000),
                   deaths = c(3, 9, 10, 30),
                   x = c(1, 2, 3.5, 5))
tiny$rate <- tiny$deaths / tiny$population * 1e5

cases <- list(
  list(name = "ols", data = shipped, family = "ols", x = "poverty_pct_2020",
       rhs = "poverty_pct_2020"),
  list(name = "wls", data = shipped, family = "wls", x = "poverty_pct_2020",
       rhs = "poverty_pct_2020"),
  list(name = "poisson", data = shipped, family = "poisson", x = "poverty_pct_2020",
       rhs = "poverty_pct_2020"),
  list(name = "negbin", data = shipped, family = "negbin", x = "poverty_pct_2020",
       rhs = "poverty_pct_2020"),
  list(name = "ols_log", data = shipped, family = "ols", x = "mean_income_2020",
       rhs = "log(mean_income_2020)"),
  list(name = "ols_two", data = shipped, family = "ols", x = "poverty_pct_2020",
       rhs = "poverty_pct_2020 + I(100 - russian_pct_men_2010)"),
  list(name = "negbin_two", data = shipped, family = "negbin", x = "russian_pct_men_2010",
       rhs = "poverty_pct_2020 + russian_pct_men_2010"),
  list(name = "tiny", data = tiny, family = "ols", x = "x", rhs = "x")
)

cat("case,i,x,fit,low,high\n")
g <- function(v) sprintf("%.17g", v)
for (k in cases) {
  d <- k$data
  count <- k$family %in% c("poisson", "negbin")
  f <- if (count) as.formula(paste("deaths ~", k$rhs, "+ offset(log(population))"))
       else as.formula(paste("rate ~", k$rhs))
  used <- d[complete.cases(model.frame(f, d, na.action = na.pass)), ]
  fit <- switch(k$family,
                ols = lm(f, used),
                wls = lm(f, used, weights = population),
                poisson = glm(f, family = poisson, data = used),
                negbin = glm.nb(f, data = used))
  xs <- seq(min(used[[k$x]]), max(used[[k$x]]), length.out = 101)
  nd <- used[rep(1, 101), ]
  for (v in names(d)) if (is.numeric(d[[v]])) nd[[v]] <- mean(used[[v]])
  nd[[k$x]] <- xs
  if (count) {
    nd$population <- 1
    p <- predict(fit, nd, type = "link", se.fit = TRUE)
    q <- qnorm(0.975)
    out <- cbind(1e5 * exp(p$fit), 1e5 * exp(p$fit - q * p$se.fit),
                 1e5 * exp(p$fit + q * p$se.fit))
  } else {
    out <- predict(fit, nd, interval = "confidence", level = 0.95)
  }
  for (i in seq_along(xs))
    cat(paste(k$name, i - 1, g(xs[i]), g(out[i, 1]), g(out[i, 2]), g(out[i, 3]), sep = ","),
        "\n", sep = "")
}

# Expected values for tests/unit/test_correlation.c.
#
# Regenerate with:
#   Rscript tests/data/correlation_expected.R > tests/data/correlation_expected.csv
#
# Pairs: the small sets of correlation_data.csv (ties, a perfect line, n = 3
# and 4, missing values, rho = 0); from the "synth" table of
# model_synthetic.csv, rate (deaths * 1e5 / population) against x1, x2
# (3 missing) and x3, and x1 against x3; from the shipped data, the rate per
# 100,000 men 16-61.5 (deaths_2023-04-12.csv over men_16_61_2021) against
# poverty_pct_2020, 100 - russian_pct_men_2010 (missing for Crimea and
# Sevastopol) and mean_income_2020.
#
# For each, at levels 0.95 and 0.9:
#   pearson:  r, low, high, p_value, n from cor.test(x, y, conf.level = level)
#             (low/high NA when n <= 3: cor.test gives no interval);
#   spearman: r (rho) and p_value from cor.test(method = "spearman",
#             exact = FALSE); low/high = tanh(atanh(rho) -+ qnorm((1 + level)/2)
#             * sqrt((1 + rho^2 / 2) / (n - 3))), Bonett & Wright (2000), which
#             R does not provide, computed here from that formula.
# Columns: set,method,level,quantity,value with sprintf("%.17g").
script_dir <- local({
  f <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(f)) dirname(normalizePath(sub("^--file=", "", f[1]))) else "tests/data"
})
root_dir <- normalizePath(file.path(script_dir, "..", ".."))

small <- read.csv(file.path(script_dir, "correlation_data.csv"), na.strings = "NA",
                  stringsAsFactors = FALSE)
pairs <- lapply(split(small, factor(small$set, levels = unique(small$set))),
                function(s) list(x = s$x, y = s$y))

syn <- read.csv(file.path(script_dir, "model_synthetic.csv"), na.strings = "NA",
                stringsAsFactors = FALSE)
syn <- syn[syn$dataset == "synth", ]
syn$rate <- syn$deaths * 1e5 / syn$population
pairs$synth_rate_x1 <- list(x = syn$rate, y = syn$x1)
pairs$synth_rate_x2 <- list(x = syn$rate, y = syn$x2)
pairs$synth_rate_x3 <- list(x = syn$rate, y = syn$x3)
pairs$synth_x1_x3 <- list(x = syn$x1, y = syn$x3)

s <- read.csv(file.path(root_dir, "datasets", "region_stats.csv"), stringsAsFactors = FALSE)
d <- read.csv(file.path(root_dir, "datasets", "deaths_2023-04-12.csv"), stringsAsFactors = FALSE)
m <- merge(s, d[, c("region_code", "deaths")], by = "region_code")
m$rate <- m$deaths * 1e5 / m$men_16_61_2021
pairs$real_rate_poverty <- list(x = m$rate, y = m$poverty_pct_2020)
pairs$real_rate_nonrussian <- list(x = m$rate, y = 100 - m$russian_pct_men_2010)
pairs$real_rate_income <- list(x = m$rate, y = m$mean_income_2020)

out <- function(set, method, level, q, v)
  cat(paste(set, method, level, q, sprintf("%.17g", v), sep = ","), "\n", sep = "")

cat("set,method,level,quantity,value\n")
for (name in names(pairs)) {
  x <- pairs[[name]]$x
  y <- pairs[[name]]$y
  n <- sum(complete.cases(x, y))
  for (level in c(0.95, 0.9)) {
    p <- cor.test(x, y, conf.level = level)
    ci <- if (is.null(p$conf.int)) c(NA, NA) else p$conf.int
    vals <- c(r = unname(p$estimate), low = ci[1], high = ci[2], p_value = p$p.value, n = n)
    for (q in names(vals)) out(name, "pearson", level, q, vals[[q]])
    s <- suppressWarnings(cor.test(x, y, method = "spearman", exact = FALSE))
    rho <- unname(s$estimate)
    ci <- if (n > 3) {
      half <- qnorm((1 + level) / 2) * sqrt((1 + rho^2 / 2) / (n - 3))
      tanh(atanh(rho) + c(-1, 1) * half)
    } else c(NA, NA)
    vals <- c(r = rho, low = ci[1], high = ci[2], p_value = s$p.value, n = n)
    for (q in names(vals)) out(name, "spearman", level, q, vals[[q]])
  }
}

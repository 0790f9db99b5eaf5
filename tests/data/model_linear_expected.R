# Expected values for tests/unit/test_model_linear.c.
#
# Regenerate with:
#   Rscript tests/data/model_linear_expected.R > tests/data/model_linear_expected.csv
#
# For each ols/wls case of model_cases.csv (data from model_synthetic.csv or
# the shipped datasets, see model_common.R): lm() on the usable rows, with
# weights = population (or the case's weights column) for wls. Written as
# case,term,quantity,value with sprintf("%.17g"):
#   per term: estimate, std_error, statistic (t), p_value from summary.lm;
#             ci_low, ci_high from confint(fit, level = level);
#   per model: n = nobs(fit) (zero weights excluded), df_residual, r_squared,
#             adj_r_squared, sigma from summary.lm; deviance = deviance(fit);
#             null_deviance from glm(family = gaussian) with the same data and
#             weights; log_likelihood = logLik(fit); aic = AIC(fit);
#   dropped:  the code of every row left out (not finite, or weight 0).
source(local({
  f <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  file.path(if (length(f)) dirname(sub("^--file=", "", f[1])) else "tests/data",
            "model_common.R")
}))

cat("case,term,quantity,value\n")
for (i in seq_len(nrow(cs <- cases(c("ols", "wls"))))) {
  k <- cs[i, ]
  data <- dataset(k$dataset)
  f <- as.formula(k$formula)
  w <- if (k$family == "wls") (if (nzchar(k$weights)) k$weights else "population") else NULL
  ok <- usable_rows(f, data, w)
  sub <- data[ok, ]
  level <- as.numeric(k$level)
  if (is.null(w)) {
    fit <- lm(f, sub)
    gfit <- glm(f, gaussian, sub)
  } else {
    sub$.w <- sub[[w]]
    fit <- lm(f, sub, weights = .w)
    gfit <- glm(f, gaussian, sub, weights = .w)
  }
  s <- summary(fit)
  out_terms(k$case, coef(s), confint(fit, level = level), FALSE)
  model <- c(n = nobs(fit), df_residual = fit$df.residual, r_squared = s$r.squared,
             adj_r_squared = s$adj.r.squared, sigma = s$sigma, deviance = deviance(fit),
             null_deviance = gfit$null.deviance,
             log_likelihood = as.numeric(logLik(fit)), aic = AIC(fit))
  for (q in names(model)) out(k$case, "", q, model[[q]])
  gone <- data$code[!ok]
  if (!is.null(w)) gone <- c(gone, sub$code[sub$.w == 0])
  for (g in gone) out(k$case, "", "dropped", g)
}

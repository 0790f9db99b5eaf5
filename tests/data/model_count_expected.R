# Expected values for tests/unit/test_model_count.c.
#
# Regenerate with:
#   Rscript tests/data/model_count_expected.R > tests/data/model_count_expected.csv
#
# For each poisson/negbin case of model_cases.csv (data: model_common.R) the
# model is deaths ~ <right side of the case's formula> + offset(log(population)),
# fitted on the usable rows by glm(family = poisson) or MASS::glm.nb() with
# their default controls. Written as case,term,quantity,value (sprintf("%.17g")):
#   per term: estimate, std_error, statistic (z), p_value from summary();
#             ci_low, ci_high from confint.default(fit, level = level), the
#             Wald interval; ratio, ratio_low, ratio_high = exp() of those;
#   per model: n = nobs(fit), df_residual, deviance, null_deviance,
#             log_likelihood = logLik(fit), aic = AIC(fit) (for glm.nb this
#             counts theta, as fit$aic does), iterations = fit$iter, and for
#             glm.nb theta = fit$theta, theta_se = fit$SE.theta;
#   dropped:  the code of every row left out.
suppressPackageStartupMessages(library(MASS))
source(local({
  f <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  file.path(if (length(f)) dirname(sub("^--file=", "", f[1])) else "tests/data",
            "model_common.R")
}))

cat("case,term,quantity,value\n")
for (i in seq_len(nrow(cs <- cases(c("poisson", "negbin"))))) {
  k <- cs[i, ]
  data <- dataset(k$dataset)
  rhs <- sub("^[^~]*~", "", k$formula)
  f <- as.formula(paste("deaths ~", rhs, "+ offset(log(population))"))
  ok <- usable_rows(f, data)
  sub <- data[ok, ]
  level <- as.numeric(k$level)
  fit <- if (k$family == "poisson") glm(f, poisson, sub) else glm.nb(f, sub)
  stopifnot(fit$converged)
  out_terms(k$case, coef(summary(fit)), confint.default(fit, level = level), TRUE)
  model <- c(n = nobs(fit), df_residual = fit$df.residual, deviance = deviance(fit),
             null_deviance = fit$null.deviance,
             log_likelihood = as.numeric(logLik(fit)), aic = AIC(fit),
             iterations = fit$iter)
  if (k$family == "negbin") model <- c(model, theta = fit$theta, theta_se = fit$SE.theta)
  for (q in names(model)) out(k$case, "", q, model[[q]])
  for (g in data$code[!ok]) out(k$case, "", "dropped", g)
}

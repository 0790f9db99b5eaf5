# Shared by model_linear_expected.R and model_count_expected.R: the data
# sets (as the C tests build them) and the rule for which rows a model uses.
#
# Rows: percap drops a row when any value the model needs is missing or not
# finite (log of 0, division by 0) and notes it; R's na.omit would drop only
# the missing ones and lm/glm would then stop at the infinite ones. So the
# model frame is built with na.pass and every row with a non-finite value in
# any of its columns (response, terms, offset, weights) is left out before
# fitting -- the documented percap rule, applied here independently.

script_dir <- local({
  f <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(f)) dirname(normalizePath(sub("^--file=", "", f[1]))) else "tests/data"
})
root_dir <- normalizePath(file.path(script_dir, "..", ".."))

# Synthetic tables (model_synthetic.csv) with rate per 100,000, computed in
# the order percap_rates_compute uses: deaths * per / population.
synthetic <- function(name) {
  d <- read.csv(file.path(script_dir, "model_synthetic.csv"), na.strings = "NA",
                stringsAsFactors = FALSE)
  d <- d[d$dataset == name, ]
  d$rate <- d$deaths * 1e5 / d$population
  d
}

# The replication data: deaths to 12 April 2023 over men aged 16-61.5 in the
# 2021 census, with the regional statistics as covariates.
real_data <- function() {
  s <- read.csv(file.path(root_dir, "datasets", "region_stats.csv"), stringsAsFactors = FALSE)
  d <- read.csv(file.path(root_dir, "datasets", "deaths_2023-04-12.csv"),
                stringsAsFactors = FALSE)
  m <- merge(s, d[, c("region_code", "deaths")], by = "region_code")
  stopifnot(nrow(m) == 85)
  m$code <- m$region_code
  m$population <- m$men_16_61_2021
  m$rate <- m$deaths * 1e5 / m$population
  m
}

dataset <- function(name) if (name == "real") real_data() else synthetic(name)

usable_rows <- function(formula, data, weights = NULL) {
  mf <- suppressWarnings(model.frame(formula, data, na.action = na.pass))
  ok <- rep(TRUE, nrow(data))
  for (col in mf) {
    m <- as.matrix(col)
    ok <- ok & apply(m, 1, function(v) all(is.finite(v)))
  }
  if (!is.null(weights)) ok <- ok & is.finite(data[[weights]])
  ok
}

cases <- function(families) {
  cs <- read.csv(file.path(script_dir, "model_cases.csv"), stringsAsFactors = FALSE,
                 na.strings = character(0), colClasses = "character")
  cs[cs$family %in% families, ]
}

out <- function(case, term, quantity, value) {
  v <- if (is.character(value)) value else sprintf("%.17g", as.numeric(value))
  cat(paste(case, term, quantity, v, sep = ","), "\n", sep = "")
}

out_terms <- function(case, est, ci, ratios) {
  for (j in seq_len(nrow(est))) {
    term <- rownames(est)[j]
    q <- c(estimate = est[j, 1], std_error = est[j, 2], statistic = est[j, 3],
           p_value = est[j, 4], ci_low = ci[j, 1], ci_high = ci[j, 2])
    if (ratios) q <- c(q, ratio = exp(est[j, 1]), ratio_low = exp(ci[j, 1]),
                       ratio_high = exp(ci[j, 2]))
    for (k in names(q)) out(case, term, k, q[[k]])
  }
}

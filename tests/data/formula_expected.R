# Expected values for tests/unit/test_formula.c.
#
# Regenerate with:
#   Rscript tests/data/formula_expected.R > tests/data/formula_expected.csv
#
# For every formula of formula_cases.csv, over the "synth" table of
# model_synthetic.csv (rate = deaths * 1e5 / population), R's own reading of
# the formula: the column names of model.matrix(), the response as deparse()
# prints it, whether there is an intercept, and the values of the response and
# of every design column. Rows are kept when every value is finite (percap's
# rule: a missing value or a log of 0 drops the row, with a note); each
# dropped row is listed. Columns: kind,id,code,j,value where kind is
#   column    j = column index from 0, value = its name
#   response  value = the left side
#   intercept value = 1 or 0
#   dropped   code = the row left out
#   y         code, value = the response
#   x         code, j, value = the design entry
# Numbers via sprintf("%.17g").
script_dir <- local({
  f <- grep("^--file=", commandArgs(FALSE), value = TRUE)
  if (length(f)) dirname(sub("^--file=", "", f[1])) else "tests/data"
})
d <- read.csv(file.path(script_dir, "model_synthetic.csv"), na.strings = "NA",
              stringsAsFactors = FALSE)
d <- d[d$dataset == "synth", ]
d$rate <- d$deaths * 1e5 / d$population
cases <- read.csv(file.path(script_dir, "formula_cases.csv"), stringsAsFactors = FALSE,
                  colClasses = "character", strip.white = FALSE)

row <- function(...) cat(paste(..., sep = ","), "\n", sep = "")
num <- function(v) sprintf("%.17g", v)

cat("kind,id,code,j,value\n")
for (i in seq_len(nrow(cases))) {
  id <- cases$id[i]
  f <- as.formula(cases$formula[i])
  mf <- suppressWarnings(model.frame(f, d, na.action = na.pass))
  X <- model.matrix(f, mf)
  y <- model.response(mf)
  ok <- is.finite(y) & apply(X, 1, function(v) all(is.finite(v)))
  for (j in seq_len(ncol(X))) row("column", id, "", j - 1, colnames(X)[j])
  row("response", id, "", "", deparse(f[[2]]))
  row("intercept", id, "", "", attr(terms(f), "intercept"))
  for (code in d$code[!ok]) row("dropped", id, code, "", "")
  for (r in which(ok)) {
    row("y", id, d$code[r], "", num(y[r]))
    for (j in seq_len(ncol(X))) row("x", id, d$code[r], j - 1, num(X[r, j]))
  }
}

# Synthetic area tables for the formula, model and correlation tests.
#
# Regenerate (only if the tests' expected values are regenerated too):
#   Rscript tests/data/model_synthetic.R > tests/data/model_synthetic.csv
#
# Columns: dataset,code,deaths,population,x1,x2,x3,wt ("NA" = missing).
# Datasets:
#   synth  40 areas, overdispersed (negative binomial) counts; x2 missing in
#          3 areas; x3 <= 0 in some (log(x3) undefined there); one weight 0.
#   zeros  15 small areas, most with 0 deaths.
#   huge   12 areas with ~1e7 deaths over populations of 1e8 to 2e9.
#   equal  8 areas with exactly the same rate (5 per 1000).
#   one    a single area.
set.seed(20230412, kind = "Mersenne-Twister", normal.kind = "Inversion",
         sample.kind = "Rejection")

synth <- local({
  n <- 40
  population <- round(exp(runif(n, log(5e3), log(2e6))))
  x1 <- round(runif(n, 5, 35), 1)
  x2 <- round(runif(n, 0, 99), 2)
  x3 <- round(rnorm(n, 3, 2), 2)
  x3[7] <- 0
  wt <- round(runif(n, 0.5, 3), 3)
  wt[11] <- 0
  mu <- population * exp(-8.5 + 0.05 * x1 + 0.004 * x2)
  deaths <- rnbinom(n, size = 4, mu = mu)
  x2[c(5, 18, 33)] <- NA
  data.frame(dataset = "synth", code = sprintf("S%02d", 1:n), deaths, population,
             x1, x2, x3, wt)
})

zeros <- local({
  n <- 15
  population <- round(runif(n, 1000, 20000))
  x1 <- round(runif(n, 0, 10), 2)
  deaths <- rpois(n, population * exp(-10 + 0.15 * x1))
  data.frame(dataset = "zeros", code = sprintf("Z%02d", 1:n), deaths, population,
             x1, x2 = round(runif(n, 0, 50), 2), x3 = 1, wt = 1)
})

huge <- local({
  n <- 12
  population <- round(exp(runif(n, log(1e8), log(2e9))))
  x1 <- round(runif(n, 0, 10), 3)
  deaths <- rnbinom(n, size = 50, mu = population * exp(-5 + 0.1 * x1))
  data.frame(dataset = "huge", code = sprintf("H%02d", 1:n), deaths, population,
             x1, x2 = round(runif(n, 0, 50), 2), x3 = 1, wt = 1)
})

equal <- data.frame(dataset = "equal", code = sprintf("E%02d", 1:8),
                    deaths = 5 * c(3, 8, 1, 12, 40, 7, 2, 25),
                    population = 1000 * c(3, 8, 1, 12, 40, 7, 2, 25),
                    x1 = c(4.5, 1.2, 8.8, 3.3, 6.1, 2.7, 9.4, 5.0),
                    x2 = c(10, 20, 15, 30, 5, 25, 12, 18), x3 = 1, wt = 1)

one <- data.frame(dataset = "one", code = "O01", deaths = 17, population = 23456,
                  x1 = 3.5, x2 = 1, x3 = 1, wt = 1)

all <- rbind(synth, zeros, huge, equal, one)
write.csv(all, stdout(), row.names = FALSE, quote = FALSE, na = "NA")

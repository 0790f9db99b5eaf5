# The aggregation benchmark in base R: deaths by region with a date cut.
# read.csv reads only the two columns needed (the others are "NULL" in
# colClasses), as character; ISO dates compare correctly as strings.
# Usage: Rscript aggregate.R FILE SINCE UNTIL
args <- commandArgs(trailingOnly = TRUE)
header <- names(read.csv(args[1], nrows = 1, check.names = FALSE))
classes <- ifelse(header %in% c("region", "death_date"), "character", "NULL")
d <- read.csv(args[1], colClasses = classes, encoding = "UTF-8", na.strings = character(0))
keep <- d$death_date >= args[2] & d$death_date <= args[3] & d$region != ""
counts <- table(d$region[keep])
write.csv(data.frame(region = names(counts), n = as.vector(counts)), stdout(),
          row.names = FALSE)

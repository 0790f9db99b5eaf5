# Independent count of the BBC/Mediazona list by region, with R's own CSV
# reader and table(), for tests/shared/list_counts.sh. Run once:
#   Rscript tests/shared/list_counts.R ../shared/reference/casualties > tests/shared/list_counts_R.csv
# Output: version,cut,region,deaths (region as written in the list).
args <- commandArgs(trailingOnly = TRUE)
dir <- if (length(args)) args[1] else "../shared/reference/casualties"
emit <- function(version, cut, d) {
  d <- d[!is.na(d$region) & d$region != "", ]
  tab <- table(d$region)
  for (r in sort(names(tab)))
    cat(sprintf("%s,%s,\"%s\",%d\n", version, cut, r, as.integer(tab[[r]])))
}
cat("version,cut,region,deaths\n")
l23 <- read.csv(file.path(dir, "bbc_mediazona_list_2023-04-12.csv"), stringsAsFactors = FALSE)
l22 <- read.csv(file.path(dir, "bbc_mediazona_list_2022-12-09.csv"), stringsAsFactors = FALSE)
emit("2023-04-12", "all", l23)
emit("2022-12-09", "all", l22)
dated <- l23[!is.na(l23$deathConfirmedDate) & l23$deathConfirmedDate != "", ]
emit("2023-04-12", "2022-04-05", dated[as.Date(dated$deathConfirmedDate) <= as.Date("2022-04-05"), ])

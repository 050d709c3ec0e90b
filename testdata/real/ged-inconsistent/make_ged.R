# Writes ged231_sample_inconsistent.csv from cran/uncertainUCDP data/ucdpged.rda (1000 real UCDP GED 23.1
# events): every row whose low/best/high are inconsistent, plus the first 47 consistent rows, in the
# data set's order, with R's write.csv (row.names = FALSE, na = "": GED's own CSV leaves missing cells empty).
# Run: Rscript make_ged.R /path/to/ucdpged.rda
args <- commandArgs(trailingOnly = TRUE)
e <- new.env(); load(args[1], envir = e); d <- as.data.frame(get("ucdpged", e))
bad <- which(d$high < d$best | d$low > d$best | d$low > d$high)
good <- setdiff(seq_len(nrow(d)), bad)[1:47]
d$date_start <- format(d$date_start, "%Y-%m-%d")
d$date_end <- format(d$date_end, "%Y-%m-%d")
write.csv(d[sort(c(bad, good)), ], "ged231_sample_inconsistent.csv", row.names = FALSE, na = "")

# Writes acled_argentina_2022_write_csv.csv with R's own write.csv (defaults: row names, NA as NA,
# strings quoted) from acledR's data/acled_old_dummy.rda (real ACLED rows, Argentina, June 2022).
# Run: Rscript make_r_na.R /path/to/acled_old_dummy.rda
args <- commandArgs(trailingOnly = TRUE)
e <- new.env(); load(args[1], envir = e); d <- as.data.frame(get("acled_old_dummy", e))
keep <- c(which(d$event_type == "Protests")[1:30], which(d$event_type == "Riots"), which(d$event_type == "Strategic developments"))
write.csv(d[sort(keep), ], "acled_argentina_2022_write_csv.csv")

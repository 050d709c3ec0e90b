## A root code outside CAMEO's 01-20 is a usage error naming the flag.
# status: 1
# expect: --cameo-roots: "21" is not a CAMEO root code
--cameo-roots 14,21 20170701234500.export.CSV
